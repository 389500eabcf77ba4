"""Every setting Redline reads from its environment, declared once in a table (as datasette does).

Nothing else in the package reads `os.environ` for its own configuration: a module asks `settings()` for the one value
it needs, and an interface (the CLI, the server) reads the whole object once at start and hands it on. The README's
settings table is generated from `SETTINGS` (`redline data settings`), and a test keeps the two equal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default as documented, and what it does."""

    field: str
    variable: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "home",
        "REDLINE_HOME",
        "the per-user data folder",
        "Where Redline keeps its state: the database, caches, keys, downloads and errors.log.",
    ),
    Setting(
        "database_url",
        "REDLINE_DATABASE_URL",
        "SQLite at `$REDLINE_HOME/redline.db`",
        "The database of snapshots, runs, alerts, keys and the audit log (`postgresql://user@host/db` for PostgreSQL).",
    ),
    Setting(
        "user",
        "REDLINE_USER",
        "login name@host",
        "Who acts, as recorded in the audit log, for the CLI (the server records the API key's owner).",
    ),
    Setting(
        "max_upload_mb", "REDLINE_MAX_UPLOAD_MB", "50", "The largest screening upload the server accepts, in megabytes."
    ),
    Setting(
        "signing_key",
        "REDLINE_SIGNING_KEY",
        "`$REDLINE_HOME/keys/` (generated on first use)",
        "The Ed25519 private key (PEM) that signs certificates; when set, the file must exist.",
    ),
    Setting(
        "api_key",
        "REDLINE_API_KEY",
        "none",
        "The API key `redline mcp` acts with over stdio (its role applies to every tool call).",
    ),
    Setting(
        "spark_master",
        "REDLINE_SPARK_MASTER",
        "`local[*]` (Redline starts local mode)",
        "The Spark master `redline screen --engine spark` uses when `--spark-master` is not given.",
    ),
    Setting(
        "trusted_proxies",
        "REDLINE_TRUSTED_PROXIES",
        "127.0.0.1,::1",
        "Reverse proxies whose X-Forwarded-Proto is believed; `*` trusts any sender.",
    ),
)


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingError(f"REDLINE_MAX_UPLOAD_MB must be a number of megabytes, not {text!r}") from None
    if not value > 0:
        raise SettingError(f"REDLINE_MAX_UPLOAD_MB must be above zero, not {text!r}")
    return value


def _proxies(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """The configuration of one process. Build it with `Settings.from_env()`; every field has a default."""

    home: Path
    database_url: str
    user: str | None
    signing_key: Path | None
    api_key: str | None
    spark_master: str | None
    max_upload_mb: float
    trusted_proxies: frozenset[str]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def text(field: str) -> str:
            return env.get(_BY_FIELD[field].variable, "").strip()

        if text("home"):
            home = Path(text("home")).expanduser()
        else:
            from platformdirs import user_data_dir  # only without REDLINE_HOME

            home = Path(user_data_dir("redline", appauthor=False))
        parse: dict[str, Callable[[str], Any]] = {"max_upload_mb": _megabytes, "trusted_proxies": _proxies}
        values: dict[str, Any] = {
            "home": home,
            "database_url": text("database_url") or f"sqlite:///{home / 'redline.db'}",
            "user": text("user") or None,
            "signing_key": Path(text("signing_key")).expanduser() if text("signing_key") else None,
            "api_key": text("api_key") or None,
            "spark_master": text("spark_master") or None,
            "max_upload_mb": parse["max_upload_mb"](text("max_upload_mb") or "50"),
            "trusted_proxies": parse["trusted_proxies"](
                env.get("REDLINE_TRUSTED_PROXIES", _BY_FIELD["trusted_proxies"].default)
            ),
        }
        return cls(**values)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def actor(self) -> str:
        """Who is acting: REDLINE_USER, or the login name at this host (recorded with every write)."""
        if self.user:
            return self.user
        import getpass  # with socket: only a write without REDLINE_USER asks (a status answer never does)
        import socket

        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return f"{user}@{socket.gethostname()}"


_BY_FIELD = {setting.field: setting for setting in SETTINGS}
assert set(_BY_FIELD) == {field.name for field in fields(Settings)}, "every Settings field is declared in SETTINGS"


def settings() -> Settings:
    """The settings as the environment gives them now (cheap: tests and `--home` options change the environment)."""
    return Settings.from_env()


def settings_table() -> str:
    """The README's settings table (Markdown)."""
    lines = ["| variable | default | what it sets |", "|---|---|---|"]
    lines += [f"| `{s.variable}` | {s.default} | {s.help} |" for s in SETTINGS]
    return "\n".join(lines)
