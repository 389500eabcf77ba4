"""The certificate document: canonical form, signature, and that no byte of a certificate file can change unseen."""

from __future__ import annotations

import contextlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.certificates import (
    CertificateError,
    canonical_bytes,
    key_id,
    parse_public_key,
    public_key_text,
    sign_body,
    verify_document,
)
from redline.certificates.document import file_bytes
from redline.certificates.keys import raw_hex

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
BODY = {
    "id": "0" * 32,
    "kind": "status",
    "issued_at": "2026-12-02T10:00:00.000000Z",
    "actor": "Ana Analyst",
    "door": "cli",
    "engine": {"redline": "0.1.0"},
    "question": {"query": "小米集团", "on": "2021-03-16T12:00:00-04:00", "known_at": "2021-03-11T12:00:00-05:00"},
    "answer": {"us_person": {"may_buy": False, "may_sell": True, "may_hold": True}, "score": 0.93, "warnings": []},
    "data": {"bundled": {"version": "abc", "files": {}}, "catalog": "bundled", "snapshots": [], "news": {}},
    "audit": {"seq": 7, "action": "certificate.issue"},
}
SIGNED = file_bytes(sign_body(BODY, KEY))


def test_canonical_form_is_sorted_compact_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": ["é", 1.5, None, True]}) == '{"a":["é",1.5,null,true],"b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_bytes({"x": float("nan")})


def test_signed_file_verifies_with_the_key_and_carries_digests() -> None:
    assert SIGNED.endswith(b"}\n") and SIGNED.count(b"\n") == 1
    verdict = verify_document(SIGNED, KEY.public_key())
    assert verdict.ok, verdict.reasons
    assert verdict.certificate_id == BODY["id"] and verdict.key_id == key_id(KEY.public_key())
    document = json.loads(SIGNED)
    assert set(document["certificate"]["digests"]) == {"question", "answer", "data"}


def test_another_key_is_refused() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key()
    verdict = verify_document(SIGNED, other)
    assert not verdict.ok
    assert any("not by the given key" in reason for reason in verdict.reasons)


def test_a_resigned_forgery_fails_with_the_published_key() -> None:
    document = json.loads(SIGNED)
    forged = dict(document["certificate"])
    forged["answer"] = {**BODY["answer"], "us_person": {"may_buy": True, "may_sell": True, "may_hold": True}}
    forged.pop("digests")
    forger = Ed25519PrivateKey.generate()
    forgery = file_bytes(sign_body(forged, forger))
    assert verify_document(forgery).ok  # intact in itself...
    assert not verify_document(forgery, KEY.public_key()).ok  # ...but not signed by the deployment


def test_an_edited_answer_names_the_reason() -> None:
    edited = SIGNED.replace(b'"may_buy":false', b'"may_buy":true ')
    verdict = verify_document(edited, KEY.public_key())
    assert not verdict.ok
    assert any("answer does not match its digest" in reason for reason in verdict.reasons)


def test_reformatted_json_is_not_the_certificate() -> None:
    pretty = json.dumps(json.loads(SIGNED), indent=2, ensure_ascii=False).encode() + b"\n"
    verdict = verify_document(pretty, KEY.public_key())
    assert not verdict.ok and "canonical form" in verdict.reasons[0]


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[1, 2]", b"{not json"])
def test_unreadable_input_raises(data: bytes) -> None:
    with pytest.raises(CertificateError):
        verify_document(data)


@settings(max_examples=400, deadline=None)
@given(position=st.integers(min_value=0, max_value=len(SIGNED) - 1), value=st.integers(min_value=0, max_value=255))
def test_editing_any_byte_fails_verification(position: int, value: int) -> None:
    if SIGNED[position] == value:
        value = (value + 1) % 256
    edited = SIGNED[:position] + bytes([value]) + SIGNED[position + 1 :]
    try:
        verdict = verify_document(edited, KEY.public_key())
    except CertificateError:
        return  # unreadable: not a certificate at all, which fails verification too
    assert not verdict.ok, f"byte {position} set to {value} still verifies"


@settings(max_examples=100, deadline=None)
@given(position=st.integers(min_value=0, max_value=len(SIGNED)), extra=st.binary(min_size=1, max_size=3))
def test_inserting_bytes_fails_verification(position: int, extra: bytes) -> None:
    edited = SIGNED[:position] + extra + SIGNED[position:]
    with contextlib.suppress(CertificateError):  # unreadable also fails verification
        assert not verify_document(edited, KEY.public_key()).ok


def test_public_key_forms_round_trip() -> None:
    public = KEY.public_key()
    assert raw_hex(parse_public_key(public_key_text(public))) == raw_hex(public)
    assert raw_hex(parse_public_key(raw_hex(public))) == raw_hex(public)
    with pytest.raises(ValueError):
        parse_public_key("not a key")
