"""Signed certificates of answers: the canonical form, Ed25519 signatures and offline verification.

Pure: no database, no files. The deployment's key is kept by `redline.store.signing_key`; certificates are issued
and replayed by `redline.services.certificates` and `redline.services.replay` (docs/certificates.md).
"""

from redline.certificates.document import (
    FORMAT,
    CertificateError,
    Verdict,
    canonical_bytes,
    load_document,
    sign_body,
    verify_document,
)
from redline.certificates.keys import key_id, parse_public_key, public_key_text

__all__ = [
    "FORMAT",
    "CertificateError",
    "Verdict",
    "canonical_bytes",
    "key_id",
    "load_document",
    "parse_public_key",
    "public_key_text",
    "sign_body",
    "verify_document",
]
