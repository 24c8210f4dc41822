"""Ed25519 keys and signatures: what a publisher writes is what the app verifies, and nothing else."""

from __future__ import annotations

import pytest

from index.signing import (
    SigningError,
    decode_signature,
    encode_signature,
    generate_private_key,
    load_private_key,
    parse_public_key,
    sign,
)


def test_a_signature_verifies_only_the_signed_bytes_with_the_signers_key(tmp_path) -> None:
    public = generate_private_key(tmp_path / "a.key")
    other = generate_private_key(tmp_path / "b.key")
    data = b"files:\n  x.md: 00\n"
    signature = decode_signature(encode_signature(sign(load_private_key(tmp_path / "a.key"), data)))
    assert parse_public_key(public.text).verifies(data, signature)
    assert not public.verifies(data + b" ", signature)
    assert not other.verifies(data, signature)
    assert len(public.key_id) == 16 and public.key_id != other.key_id


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("rsa:AAAA", "starts with 'ed25519:'"),
        ("ed25519:not base64!", "not valid base64"),
        ("ed25519:AAAA", "32 bytes, this one is 3"),
    ],
)
def test_a_bad_public_key_says_why(text, reason) -> None:
    with pytest.raises(SigningError, match=reason):
        parse_public_key(text)


def test_a_bad_key_file_or_signature_says_why(tmp_path) -> None:
    (tmp_path / "x.key").write_text("not a key")
    with pytest.raises(SigningError, match="not an unencrypted Ed25519 private key"):
        load_private_key(tmp_path / "x.key")
    with pytest.raises(SigningError, match="cannot read the key file"):
        load_private_key(tmp_path / "absent.key")
    with pytest.raises(SigningError, match="64 bytes"):
        decode_signature("AAAA")
