"""Settings are declared once: the README's table is generated from the code, and parsing fails with the name."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.settings import SETTINGS, SettingError, Settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- settings:start (generated from src/redline/settings.py: redline data settings) -->\n"
END = "\n<!-- settings:end -->"


def test_readme_settings_table_is_generated_from_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(START) + len(START) : text.index(END)]
    assert section == settings_table(), "run `redline data settings` and paste it between the README markers"


def test_defaults_and_overrides(tmp_path: Path) -> None:
    default = Settings.from_env({"REDLINE_HOME": str(tmp_path)})
    assert default.home == tmp_path
    assert default.database_url == f"sqlite:///{tmp_path / 'redline.db'}"
    assert default.user is None and default.max_upload_bytes == 50 * 1024 * 1024
    assert default.trusted_proxies == {"127.0.0.1", "::1"}
    given = Settings.from_env(
        {
            "REDLINE_HOME": str(tmp_path),
            "REDLINE_DATABASE_URL": "postgresql://u@h/db",
            "REDLINE_USER": " ana ",
            "REDLINE_MAX_UPLOAD_MB": "1.5",
            "REDLINE_TRUSTED_PROXIES": "10.0.0.1, *",
        }
    )
    assert given.database_url == "postgresql://u@h/db" and given.user == "ana"
    assert given.max_upload_bytes == int(1.5 * 1024 * 1024) and given.trusted_proxies == {"10.0.0.1", "*"}


@pytest.mark.parametrize("value", ["lots", "0", "-3"])
def test_a_bad_value_names_its_variable(value: str) -> None:
    with pytest.raises(SettingError, match="REDLINE_MAX_UPLOAD_MB"):
        Settings.from_env({"REDLINE_MAX_UPLOAD_MB": value})


def test_every_variable_is_named_once() -> None:
    names = [setting.variable for setting in SETTINGS]
    assert len(names) == len(set(names)) and all(name.startswith("REDLINE_") for name in names)
