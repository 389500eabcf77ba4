"""A certificate: the canonical JSON record of a question, its answer and the data it used, signed with Ed25519.

The canonical form (docs/certificates.md): JSON with keys sorted by code point, no insignificant white space
(separators `,` and `:`), strings as UTF-8 (no `\\u` escapes except those JSON requires), no NaN or infinity;
a certificate file is the canonical form of the whole document followed by one newline, nothing else. The
signature covers `redline-certificate/1` + newline + the canonical form of the `certificate` member. Because the
file must be exactly its own canonical form, no byte of it can change without verification failing: a byte that
does not alter the content (white space, an escape, the hex case of the signature) breaks the form, any other
changes what is signed or the signature itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from redline.certificates.keys import key_id, raw_hex

FORMAT = "redline-certificate/1"
ALGORITHM = "Ed25519"
DIGESTED = ("question", "answer", "data")  # members whose SHA-256 the certificate carries in `digests`
_TOP = {"format", "certificate", "signature"}
_SIGNATURE = {"algorithm", "key_id", "public_key", "value"}


class CertificateError(ValueError):
    """The input is not readable as a certificate at all (not UTF-8, not JSON, not a JSON object)."""


def canonical_bytes(value: Any) -> bytes:
    """The one byte string of `value` that is signed and hashed (see the module docstring)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


def signed_message(body: dict[str, Any]) -> bytes:
    return FORMAT.encode("ascii") + b"\n" + canonical_bytes(body)


def with_digests(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with `digests`: the SHA-256 of its question, answer and data, which `verify` recomputes and which a
    reader can compare without reading the whole answer (the audit export lists them)."""
    return {**body, "digests": {name: digest(body[name]) for name in DIGESTED}}


def sign_body(body: dict[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed document for `body` (which must hold `question`, `answer` and `data`)."""
    complete = with_digests(body)
    public = private_key.public_key()
    signature = private_key.sign(signed_message(complete))
    return {
        "format": FORMAT,
        "certificate": complete,
        "signature": {"algorithm": ALGORITHM, "key_id": key_id(public), "public_key": raw_hex(public),
                      "value": signature.hex()},
    }  # fmt: skip


def file_bytes(document: dict[str, Any]) -> bytes:
    """What a certificate file holds: the canonical form and one newline."""
    return canonical_bytes(document) + b"\n"


def load_document(data: bytes) -> dict[str, Any]:
    """The JSON object in `data`; CertificateError when it is not UTF-8 JSON holding an object."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CertificateError(f"not UTF-8 (byte {exc.start})") from None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CertificateError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise CertificateError("not JSON: nested too deeply") from None
    if not isinstance(loaded, dict):
        raise CertificateError("not a certificate: the JSON is not an object")
    return loaded


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    reasons: tuple[str, ...]
    key_id: str | None = None
    certificate_id: str | None = None
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "certificate": self.certificate_id,
            "key_id": self.key_id,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
        }


def _hex_bytes(value: Any, size: int) -> bytes | None:
    """`value` as bytes when it is exactly `2*size` lowercase hex digits (one spelling per value)."""
    if not isinstance(value, str) or len(value) != 2 * size:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return raw if raw.hex() == value else None


def _first_difference(left: bytes, right: bytes) -> int:
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return index
    return min(len(left), len(right))


def verify_document(data: bytes, public_key: Ed25519PublicKey | None = None) -> Verdict:
    """Check a certificate file offline: its form, its digests, and its signature by `public_key` (default: the
    key written in it, which only proves the file is intact: compare its key id with the deployment's).

    Raises CertificateError when `data` is not a JSON object at all; every other fault is a Verdict with reasons.
    """
    document = load_document(data)
    if set(document) != _TOP or document.get("format") != FORMAT:
        found = document.get("format")
        return Verdict(False, (f"not a {FORMAT} document (format {found!r}, members {sorted(document)})",))
    body, signature = document["certificate"], document["signature"]
    if not isinstance(body, dict) or not isinstance(signature, dict) or set(signature) != _SIGNATURE:
        return Verdict(False, ("the certificate or signature member is malformed",))
    certificate_id = body.get("id") if isinstance(body.get("id"), str) else None
    reasons: list[str] = []
    expected = file_bytes(document)
    if data != expected:
        at = _first_difference(data, expected)
        reasons.append(f"the file is not in its canonical form (first difference at byte {at}): it was edited")
    digests = body.get("digests")
    for name in DIGESTED:
        if name not in body:
            reasons.append(f"the certificate has no {name}")
        elif not isinstance(digests, dict) or digests.get(name) != digest(body[name]):
            reasons.append(f"the {name} does not match its digest: it was edited")
    raw_key, raw_signature = _hex_bytes(signature["public_key"], 32), _hex_bytes(signature["value"], 64)
    if signature["algorithm"] != ALGORITHM or raw_key is None or raw_signature is None:
        reasons.append("the signature is malformed (algorithm, public key or value)")
        return Verdict(False, tuple(reasons), None, certificate_id)
    embedded = Ed25519PublicKey.from_public_bytes(raw_key)
    if signature["key_id"] != key_id(embedded):
        reasons.append("the key id does not name the public key written in the certificate")
    notes: list[str] = []
    if public_key is None:
        notes.append(
            f"checked with the public key written in the certificate (key id {key_id(embedded)}): pass the "
            "deployment's published key (--public-key) to prove who signed it"
        )
        public_key = embedded
    elif raw_hex(public_key) != raw_hex(embedded):
        reasons.append(f"signed by key {key_id(embedded)}, not by the given key {key_id(public_key)}")
    try:
        public_key.verify(raw_signature, signed_message(body))
    except InvalidSignature:
        reasons.append("the signature does not match the certificate: it was edited or signed by another key")
    return Verdict(not reasons, tuple(reasons), key_id(public_key), certificate_id, tuple(notes))
