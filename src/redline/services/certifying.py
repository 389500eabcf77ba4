"""Certificates from a terminal: answer and certify a question, certify a screening run, show the public key, fetch
an issued certificate, and check or replay a certificate file. Each call is made as the configured actor; a
database that cannot be used is Unavailable, a file that is no certificate InvalidInput, a certificate whose
question cannot be asked again here InvalidInput too.

The certificate service itself (`redline.services.certificates`) is shared with the API and MCP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from redline.certificates.document import CertificateError, Verdict, load_document, verify_document
from redline.resolve import QueryError
from redline.screen.pipeline import ScreenOutcome
from redline.services.certificates import CertificateService, Certified
from redline.services.errors import InvalidInput
from redline.services.replay import CannotReplay, ReplayReport, replay
from redline.services.status import StatusService
from redline.services.stores import usable
from redline.settings import settings
from redline.store.certificates import StoredCertificate


@dataclass(frozen=True)
class Checked:
    """A certificate file checked offline: the verdict and, when it reads, its document."""

    verdict: Verdict
    document: dict[str, Any]


def check(data: bytes, public_key: Ed25519PublicKey | None, name: str, load: bool = False) -> Checked:
    """Verify a certificate file's canonical form, digests and signature (and, with `load`, read its document);
    InvalidInput naming the file when it is no certificate at all. An invalid one is a verdict, not an error."""
    try:
        verdict = verify_document(data, public_key)
        return Checked(verdict, load_document(data) if load else {})
    except CertificateError as exc:
        raise InvalidInput(f"{name}: {exc}") from None


def replay_certificate(document: dict[str, Any], name: str) -> ReplayReport:
    """Ask a verified certificate's question again (redline.services.replay); `name` is the file it came from."""
    try:
        with usable():
            return replay(document)
    except CannotReplay as exc:
        raise InvalidInput(f"{name}: cannot replay: {exc}") from None


@dataclass
class Certifier:
    """The certificate use cases for one door (`door`: cli, api or mcp), as the configured actor."""

    service: CertificateService
    door: str = "cli"

    @classmethod
    def default(cls, bundled_only: bool = False, door: str = "cli") -> Certifier:
        """Over the configured database; with `bundled_only`, answers from the bundled data alone."""
        with usable():
            return cls(CertificateService.default(StatusService.bundled() if bundled_only else None), door)

    @property
    def who(self) -> str:
        return settings().actor

    def answer(self, kind: str, question: dict[str, Any]) -> Certified:
        """Answer a status, match or timeline question and certify the answer (audited)."""
        try:
            with usable():
                return self.service.ask(kind, question, self.who, self.door)
        except QueryError as exc:
            raise InvalidInput(str(exc)) from None

    def screening(self, outcome: ScreenOutcome, input_name: str | None = None) -> Certified:
        with usable():
            return self.service.screening(outcome, self.who, self.door, input_name=input_name)

    def public_key(self) -> Ed25519PublicKey:
        """The deployment's public key (the key pair is made, and its creation audited, on first use)."""
        with usable():
            return self.service.public_key(self.who)

    def issued(self, certificate_id: str) -> StoredCertificate | None:
        with usable():
            return self.service.get(certificate_id)
