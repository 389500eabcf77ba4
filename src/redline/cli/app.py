"""The `redline` command line. Thin: parse arguments, call the layers below, print."""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime

import click
import typer

from redline.cli.errors import RefusalsAreUserErrors, UserError

HELP = "May a US person buy, sell or hold this security? Point-in-time status under US China investment bans."


def _status(app: typer.Typer) -> None:
    from redline.cli.status import lists, status, timeline

    app.command("status")(status)
    app.command("timeline")(timeline)
    app.command("lists")(lists)


def _match(app: typer.Typer) -> None:
    from redline.cli import match as match_cli

    app.command("match")(match_cli.match)
    app.command("match-pairs")(match_cli.match_pairs)


def _data(app: typer.Typer) -> None:
    from redline.cli.data import data_app

    app.add_typer(data_app, name="data")


def _demo(app: typer.Typer) -> None:
    from redline.cli.demo import demo

    app.command("demo")(demo)


def _serve(app: typer.Typer) -> None:
    from redline.cli.serve import serve

    app.command("serve")(serve)


def _impact(app: typer.Typer) -> None:
    from redline.cli.impact import impact_app

    app.add_typer(impact_app, name="impact")


def _sources(app: typer.Typer) -> None:
    from redline.cli.sources import sources_app

    app.add_typer(sources_app, name="sources")


def _screen(app: typer.Typer) -> None:
    from redline.cli.screen import screen

    app.command("screen")(screen)


def _alerts(app: typer.Typer) -> None:
    from redline.cli.alerts import alerts_app, audit_app

    app.add_typer(alerts_app, name="alerts")
    app.add_typer(audit_app, name="audit")


def _certificate(app: typer.Typer) -> None:
    from redline.cli.certificate import certificate_app

    app.add_typer(certificate_app, name="certificate")


def _mcp(app: typer.Typer) -> None:
    from redline.cli.mcp import mcp

    app.command("mcp")(mcp)


def _keys(app: typer.Typer) -> None:
    from redline.cli.keys import keys_app

    app.add_typer(keys_app, name="keys")


def _news(app: typer.Typer) -> None:
    from redline.cli.news import news_app

    app.add_typer(news_app, name="news")


# Each command's module is imported only when that command runs (or for the full help): a cold
# `redline status 1810.HK` does not pay for SQLAlchemy, screening or the impact studies.
_COMMANDS = {
    "data": _data,
    "status": _status,
    "timeline": _status,
    "lists": _status,
    "demo": _demo,
    "serve": _serve,
    "match": _match,
    "match-pairs": _match,
    "impact": _impact,
    "sources": _sources,
    "screen": _screen,
    "alerts": _alerts,
    "audit": _alerts,
    "keys": _keys,
    "news": _news,
    "certificate": _certificate,
    "mcp": _mcp,
}


def build_app(command: str | None = None) -> typer.Typer:
    """The CLI with every command, or with only `command`'s group when it is a known command name."""
    app = typer.Typer(
        name="redline",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        cls=RefusalsAreUserErrors,
    )
    registrars = [_COMMANDS[command]] if command in _COMMANDS else list(dict.fromkeys(_COMMANDS.values()))
    for register in registrars:
        register(app)
    if command in _COMMANDS:

        @app.callback()
        def _group() -> None:
            """Keeps a single registered command a subcommand (Typer would otherwise make it the root)."""

    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from redline.cli.app import app` (tests, docs): the full CLI
        return build_app()
    raise AttributeError(name)


INTERNAL_ERROR = 70  # EX_SOFTWARE (sysexits.h): a fault in Redline itself, never 1 ("findings") or 2 ("your input")


def _log_internal_error(exc: BaseException) -> str:
    """The traceback, appended to $REDLINE_HOME/errors.log for a bug report; where it went, or why not."""
    try:
        from redline.settings import settings

        path = settings().home / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            log.write(f"--- {stamp} redline {' '.join(sys.argv[1:])[:500]}\n")
            log.write("".join(traceback.format_exception(exc)))
        return f"details in {path}"
    except Exception as failure:  # the log itself failed (read-only home...): the one line still goes out
        return f"the traceback could not be logged ({type(failure).__name__})"


def main() -> None:
    """Entry point: every error becomes one line on stderr, never a traceback. Exit codes: 0 done (no findings),
    1 findings (`screen`), 2 bad input or usage, 70 internal error (logged), 130 interrupted."""
    try:
        result = build_app(sys.argv[1] if len(sys.argv) > 1 else None)(standalone_mode=False)
    except UserError as exc:
        print(f"redline: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except click.exceptions.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else "", file=sys.stderr)
        sys.exit(2)
    except click.UsageError as exc:
        print(f"redline: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        print("redline: interrupted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("redline: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        where = _log_internal_error(exc)
        print(f"redline: internal error ({type(exc).__name__}); {where}", file=sys.stderr)
        sys.exit(INTERNAL_ERROR)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":  # `python -m redline.cli.app ...`, as docs and notes show
    main()
