"""Docs that run (as datasette's tests keep its docs and --help in step).

In the README and docs/*.md, inside fenced blocks:
- a line starting `$ redline ...` is an example: it is run here, against a fresh $REDLINE_HOME, from the
  repository's root, and must exit with a documented code (0, or 1 for findings); when a ```json block follows it,
  the output must contain that JSON (`"..."` stands for any value, `"...": "..."` for any other keys);
- a line starting `redline ...` is a synopsis: its command must exist and every `--option` it names must be an
  option of that command (or, for a group's synopsis, of one of its commands).
And every command, option and setting of the CLI is named somewhere in the README or docs.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import typer

from redline.cli.app import build_app
from redline.settings import SETTINGS

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
REDLINE = Path(sys.executable).parent / "redline"


@dataclass(frozen=True)
class Example:
    file: Path
    line: int
    command: str
    expected_json: str | None  # the ```json block right after it, if any

    def __str__(self) -> str:
        return f"{self.file.relative_to(REPO)}:{self.line}"


def fenced_lines(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line number, language, text) of every line inside a fenced block."""
    language: str | None = None
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith("```"):
            language = None if language is not None else text[3:].strip()
            continue
        if language is not None:
            yield number, language, text


def examples() -> list[Example]:
    found: list[Example] = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, _, text in fenced_lines(path):
            if not text.startswith("$ redline "):
                continue
            expected = None
            # An example's output block: the next fence, right after the example's own block closes.
            after = number
            while after < len(lines) and not lines[after].startswith("```"):
                after += 1
            if after + 1 < len(lines) and lines[after + 1].strip() == "```json":
                end = after + 2
                while not lines[end].startswith("```"):
                    end += 1
                expected = "\n".join(lines[after + 2 : end])
            found.append(Example(path, number, text[2:].split("  #")[0].strip(), expected))
    return found


def synopses() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for number, _, text in fenced_lines(path):
            if re.match(r"redline [a-z]", text):
                found.append((f"{path.relative_to(REPO)}:{number}", text.split("  #")[0].split(" #")[0]))
    return found


def cli() -> click.Group:
    command = typer.main.get_command(build_app())
    assert isinstance(command, click.Group)
    return command


def leaves(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from leaves(sub, (*path, name))
    else:
        yield path, command


def contains(actual: Any, expected: Any) -> bool:
    """`expected` (from the docs) is in `actual`: "..." is any value; a "...": "..." item allows other keys; a list
    whose last item is "..." may go on."""
    if expected == "...":
        return True
    if isinstance(expected, str) and "..." in expected and isinstance(actual, str):
        head = expected.split("...")[0]
        return actual.startswith(head)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        keys = [key for key in expected if key != "..."]
        if "..." not in expected and set(actual) != set(keys):
            return False
        return all(key in actual and contains(actual[key], expected[key]) for key in keys)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        items = expected[:-1] if expected and expected[-1] == "..." else expected
        if len(items) > len(actual) or (items is expected and len(items) != len(actual)):
            return False
        return all(contains(a, e) for a, e in zip(actual, items, strict=False))
    return bool(actual == expected)


@pytest.mark.parametrize("page", sorted({example.file for example in examples()}), ids=lambda path: path.name)
def test_examples_run(page: Path, tmp_path: Path) -> None:
    """A page's examples run in order in one fresh home, as a reader typing them would."""
    environment = os.environ | {"REDLINE_HOME": str(tmp_path / "home"), "COLUMNS": "160", "NO_COLOR": "1"}
    environment.pop("REDLINE_DATABASE_URL", None)
    for example in [example for example in examples() if example.file == page]:
        argv = shlex.split(example.command)
        done = subprocess.run(
            [str(REDLINE), *argv[1:]], cwd=REPO, env=environment, capture_output=True, text=True, timeout=300
        )
        assert done.returncode in (0, 1), (
            f"{example}: `{example.command}` exited {done.returncode}: {done.stderr[-800:]}"
        )
        if example.expected_json is not None:
            actual = json.loads(done.stdout)
            expected = json.loads(example.expected_json)
            assert contains(actual, expected), f"{example}: the output differs from the documented JSON:\n{done.stdout}"


def test_there_are_examples_in_every_guide() -> None:
    files = {example.file.name for example in examples()}
    assert {"README.md", "sources.md", "screen.md", "resolve.md"} <= files


@pytest.mark.parametrize(("where", "line"), synopses(), ids=[where for where, _ in synopses()])
def test_synopsis_names_real_commands_and_options(where: str, line: str) -> None:
    root = cli()
    words = line.split()[1:]
    command: click.Command = root
    alternatives = " | " in line  # `redline sources add FILE | list | ...`: the group's synopsis
    for word in words:
        if not (isinstance(command, click.Group) and word in command.commands):
            break
        nxt = command.commands[word]
        if alternatives and not isinstance(nxt, click.Group):
            break
        command = nxt
    assert command is not root, f"{where}: no command {line.split()[1]!r}"
    options = {flag for _, leaf in leaves(command) for param in leaf.params for flag in getattr(param, "opts", [])} | {
        flag for _, leaf in leaves(command) for param in leaf.params for flag in getattr(param, "secondary_opts", [])
    }
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", line)) - {"--help"}
    unknown = sorted(flag for flag in named if flag not in options)
    assert not unknown, f"{where}: {unknown} are not options of `redline {' '.join(words[:2])}`"


def test_every_command_option_and_setting_is_documented() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)
    missing = []
    for path, command in leaves(cli()):
        name = "redline " + " ".join(path)
        if name not in text:
            missing.append(name)
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            flags = [flag for flag in [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]]
            long_flags = [flag for flag in flags if flag.startswith("--")]
            if long_flags and not any(flag in text for flag in long_flags):
                missing.append(f"{name} {long_flags[0]}")
    missing += [setting.variable for setting in SETTINGS if setting.variable not in text]
    assert not missing, f"undocumented: {missing}"
