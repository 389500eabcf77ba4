"""Ed25519 public keys as text: PEM (what `redline certificate public-key` prints) or 64 hex digits (raw)."""

from __future__ import annotations

import hashlib
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

_HEX_KEY = re.compile(r"[0-9a-f]{64}")


def raw_hex(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short name of the key: the first 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The PEM (SubjectPublicKeyInfo) form: what other tools (openssl, any Ed25519 library) read."""
    return public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key given as PEM or as the 64 lowercase hex digits of its raw bytes; ValueError otherwise."""
    stripped = text.strip()
    if _HEX_KEY.fullmatch(stripped):
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(stripped))
    if stripped.startswith("-----BEGIN"):
        loaded = load_pem_public_key(stripped.encode("ascii", "replace"))
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("the PEM key is not an Ed25519 public key")
        return loaded
    raise ValueError("not a public key: give the PEM that `redline certificate public-key` prints, or 64 hex digits")
