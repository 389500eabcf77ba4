"""Issuing certificates: answer a question on one fixed catalog, describe the exact data it used, sign, store.

Every interface (CLI, API, MCP) calls this; each certificate is recorded by an audit entry
(`certificate.issue`) under the actor who asked, with the door they came through.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from redline import __version__
from redline.catalog import Catalog
from redline.certificates.document import digest
from redline.model import iso
from redline.screen.pipeline import ScreenOutcome, sha256_of
from redline.services.answers import answer, normalised
from redline.services.status import StatusService
from redline.sources.bundled import data_files, data_version
from redline.store.certificates import ISSUE_ACTION, CertificateStore, StoredCertificate
from redline.store.news import NewsStore
from redline.store.screening import ScreenStore
from redline.store.signing_key import SigningKey, signing_key

DOORS = ("cli", "api", "mcp")


@dataclass(frozen=True, slots=True)
class Certified:
    """An answer and the signed certificate of it."""

    answer: dict[str, Any]
    certificate: dict[str, Any]
    stored: StoredCertificate

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def text(self) -> str:
        """The certificate file's content (canonical JSON and a newline)."""
        return self.stored.document

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.answer, "certificate": self.certificate}


def has_news(catalog: Catalog) -> bool:
    return catalog.version.startswith("news-") or "-news-" in catalog.version


def data_used(catalog: Catalog, accepted_news: list[str]) -> dict[str, Any]:
    """The exact data behind an answer: the bundled files (each hashed), every imported snapshot the catalog holds
    (immutable: id, content hash, records digest) and the accepted news facts (proposal ids)."""
    return {
        "bundled": {"version": data_version(), "files": data_files()},
        "catalog": catalog.version,
        "snapshots": [
            {
                "id": snapshot.id,
                "list": snapshot.list_key,
                "content_sha256": snapshot.content_hash,
                "records_sha256": snapshot.records_sha256,
                "known_from": iso(snapshot.known_from),
            }
            for snapshot, _ in catalog.editions
        ],
        "news": {"accepted": sorted(accepted_news)},
    }


@dataclass
class CertificateService:
    status: StatusService
    store: CertificateStore
    news: NewsStore
    runs: ScreenStore
    key_source: Callable[[], SigningKey] = field(default=signing_key)

    @classmethod
    def default(cls, status: StatusService | None = None) -> CertificateService:
        """Over the configured database and the current catalog."""
        store = CertificateStore()
        return cls(status or StatusService.current(), store, NewsStore(), ScreenStore(engine=store.engine))

    def key(self, who: str) -> SigningKey:
        """The deployment's key; its creation (on first use) is audited under `who`."""
        key = self.key_source()
        if key.created:
            self.store.record_key(key, who)
        return key

    def public_key(self, who: str) -> Ed25519PublicKey:
        return self.key(who).private.public_key()

    def public_key_pem(self, who: str) -> str:
        """The deployment's public key as PEM text: what a verifier on another machine needs."""
        from redline.certificates.keys import public_key_text

        return public_key_text(self.public_key(who))

    def get(self, certificate_id: str) -> StoredCertificate | None:
        return self.store.get(certificate_id)

    # -- questions ----------------------------------------------------------------------------------------------
    def ask(self, kind: str, question: dict[str, Any], who: str, door: str) -> Certified:
        """Answer a status, match or timeline question on one catalog and certify the answer."""
        catalog = self.status.catalog
        fixed = StatusService(lambda: catalog)  # the answer and the data described are the same catalog's
        result = answer(kind, question, fixed)
        return self._issue(kind, question, result, catalog, who, door, subject=str(question["query"]))

    def screening(self, outcome: ScreenOutcome, who: str, door: str, input_name: str | None = None) -> Certified:
        """Certify a finished screening run from its record: the input file's hash, the options, the summary and
        the hash of the screened output file (every row's decision)."""
        run = self.runs.run(outcome.run_id)
        if run is None:
            raise LookupError(f"no screening run {outcome.run_id}")
        question = {
            "input_sha256": run["input_sha256"],
            "input": input_name or Path(run["input_path"]).name,
            "input_format": run["input_format"],
            **run["parameters"],
        }
        result = {
            **outcome.to_json(),
            "output_sha256": sha256_of(outcome.output),
            "run": {"id": run["id"], "audit_seq": run["audit_seq"], "actor": run["actor"]},
        }
        catalog = self.status.catalog
        extra: dict[str, Any] = {"run_id": run["id"]}
        if catalog.version != run["versions"].get("catalog"):
            extra["note"] = f"the run used catalog {run['versions'].get('catalog')}; {catalog.version} is described"
        return self._issue("screening", question, normalised(result), catalog, who, door, run["id"], extra)

    def _issue(
        self,
        kind: str,
        question: dict[str, Any],
        result: dict[str, Any],
        catalog: Catalog,
        who: str,
        door: str,
        subject: str,
        extra: dict[str, Any] | None = None,
    ) -> Certified:
        key = self.key(who)
        accepted = [proposal.id for proposal in self.news.accepted()] if has_news(catalog) else []
        data = data_used(catalog, accepted)
        certificate_id = uuid.uuid4().hex
        details = {
            "certificate": certificate_id,
            "kind": kind,
            "door": door,
            "subject": subject[:200],
            "question_sha256": digest(question),
            "answer_sha256": digest(result),
            "data_sha256": digest(data),
            "bundled_data": data["bundled"]["version"],
            "catalog": data["catalog"],
            "snapshots": [snapshot["id"] for snapshot in data["snapshots"]],
            **(extra or {}),
        }

        def sign(seq: int, at: str) -> dict[str, Any]:
            from redline.certificates.document import sign_body

            body = {
                "id": certificate_id,
                "kind": kind,
                "issued_at": at,
                "actor": who,
                "door": door,
                "engine": {"redline": __version__},
                "question": question,
                "answer": result,
                "data": data,
                "audit": {"seq": seq, "action": ISSUE_ACTION},
            }
            return sign_body(body, key.private)

        stored = self.store.issue(certificate_id, kind, subject, details, sign, who)
        return Certified(result, stored.parsed(), stored)
