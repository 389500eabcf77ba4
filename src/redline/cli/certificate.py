"""`redline certificate public-key | verify | replay | get`, and the `--certificate FILE` option of the answering
commands (docs/certificates.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from redline.cli.errors import UserError

if TYPE_CHECKING:
    from redline.certificates.document import Verdict
    from redline.services.certifying import Certifier, Checked
    from redline.services.screening_run import ScreenOutcome

certificate_app = typer.Typer(help="Signed certificates of answers: verify, replay, the public key.",
                              no_args_is_help=True)  # fmt: skip

CertificateOption = Annotated[
    Path | None,
    typer.Option(
        "--certificate",
        help="Also write a signed certificate of the answer to FILE (recorded in the audit log; docs/certificates.md)",
        dir_okay=False,
    ),
]


def write_certificate(path: Path, text: str) -> None:
    from redline.cli.options import write_output

    write_output(path, text.encode("utf-8"), "certificate")


def certifier(bundled_only: bool = False) -> Certifier:
    from redline.services.certifying import Certifier

    return Certifier.default(bundled_only)


def certified_answer(path: Path, kind: str, question: dict[str, Any], bundled_only: bool = False) -> dict[str, Any]:
    """Answer `question` with a certificate written to `path`; the answer printed is the one certified."""
    certified = certifier(bundled_only).answer(kind, question)
    write_certificate(path, certified.text)
    answer: dict[str, Any] = certified.answer
    return answer


def certify_screening(path: Path, outcome: ScreenOutcome, input_name: str) -> None:
    """Certify a finished screening run into `path`."""
    write_certificate(path, certifier().screening(outcome, input_name=input_name).text)


@certificate_app.command("public-key")
def public_key(
    raw: Annotated[bool, typer.Option("--hex", help="The 32 raw bytes as 64 hex digits instead of PEM")] = False,
) -> None:
    """Print the deployment's public key (PEM): publish it; anyone can then verify its certificates offline.
    The key is generated on first use under $REDLINE_HOME (or read from REDLINE_SIGNING_KEY)."""
    from redline.certificates.keys import public_key_text as pem
    from redline.certificates.keys import raw_hex

    key = certifier().public_key()
    typer.echo(raw_hex(key) if raw else pem(key).rstrip("\n"))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _public_key(given: str | None) -> Any:
    """--public-key: a file holding the key, or the key itself (PEM or 64 hex digits)."""
    if given is None:
        return None
    from redline.certificates.keys import parse_public_key

    candidate = Path(given)
    text = given
    if len(given) < 4096 and "\n" not in given and candidate.is_file():
        text = _read(candidate).decode("utf-8", "replace")
    try:
        return parse_public_key(text)
    except ValueError as exc:
        raise UserError(f"--public-key: {exc}") from None


def _checked(file: Path, key: Any, load: bool = False) -> Checked:
    """A certificate file read and checked offline (the one path of `verify` and `replay`)."""
    from redline.services.certifying import check

    return check(_read(file), key, str(file), load)


def _invalid(file: Path, verdict: Verdict) -> None:
    for reason in verdict.reasons:
        typer.echo(f"{file}: invalid: {reason}", err=True)


@certificate_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="A certificate file", dir_okay=False)],
    public_key: Annotated[
        str | None, typer.Option("--public-key", help="The deployment's public key: a PEM file, or 64 hex digits")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
) -> None:
    """Check a certificate offline: its canonical form, its digests and its Ed25519 signature.
    Exit 0 valid, 1 invalid (with the reason), 2 unreadable input."""
    verdict = _checked(file, _public_key(public_key)).verdict
    if as_json:
        typer.echo(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    elif verdict.ok:
        typer.echo(f"{file}: valid certificate {verdict.certificate_id}, signed by key {verdict.key_id}")
        for note in verdict.notes:
            typer.echo(f"note: {note}")
    else:
        _invalid(file, verdict)
    raise typer.Exit(0 if verdict.ok else 1)


@certificate_app.command("replay")
def replay(
    file: Annotated[Path, typer.Argument(help="A certificate file", dir_okay=False)],
    public_key: Annotated[
        str | None, typer.Option("--public-key", help="The deployment's public key (default: this deployment's)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
) -> None:
    """Ask the certificate's question again with today's code against the data it recorded, and report whether the
    answer is the same; if not, each changed field and why (a rule fix or a data correction).
    Exit 0 same answer, 1 different (or the certificate is invalid), 2 unreadable input or nothing to replay."""
    key = _public_key(public_key) or certifier().public_key()
    checked = _checked(file, key, load=True)
    if not checked.verdict.ok:
        _invalid(file, checked.verdict)
        raise typer.Exit(1)
    from redline.services.certifying import replay_certificate

    report = replay_certificate(checked.document, str(file))
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        raise typer.Exit(0 if report.same else 1)
    typer.echo(f"certificate {report.certificate_id} ({report.kind}): "
               + ("the same answer today" if report.same else "the answer differs today"))  # fmt: skip
    for note in report.notes:
        typer.echo(f"note: {note}")
    for title, comparison in (("recorded data", report.replayed), ("today's data", report.with_today_data)):
        if comparison.same:
            continue
        assert comparison.reason is not None
        typer.echo(f"with {title}: {comparison.reason['detail']}")
        for difference in comparison.differences[:50]:
            typer.echo(f"  {difference.path}: {json.dumps(difference.recorded, ensure_ascii=False)[:200]} -> "
                       f"{json.dumps(difference.today, ensure_ascii=False)[:200]}")  # fmt: skip
        if len(comparison.differences) > 50:
            typer.echo(f"  ... and {len(comparison.differences) - 50} more (--json lists them all)")
    raise typer.Exit(0 if report.same else 1)


@certificate_app.command("get")
def get(
    certificate_id: Annotated[str, typer.Argument(help="A certificate id (from the audit log or its export)")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write it to this file", dir_okay=False)] = None,
) -> None:
    """Print (or write) a certificate this deployment issued, exactly as issued."""
    found = certifier().issued(certificate_id.strip())
    if found is None:
        raise UserError(f"no certificate {certificate_id[:40]!r} in this deployment")
    if output is not None:
        write_certificate(output, found.document)
    else:
        typer.echo(found.document, nl=False)
