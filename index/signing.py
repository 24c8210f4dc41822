"""Ed25519 keys and detached signatures for protocol packs and content files.

A public key is written as text, "ed25519:<base64 of the 32 raw bytes>", so it fits on one line of
the machine policy (or one registry value). Its key id is the first 16 hex digits of the SHA-256
of the raw bytes: short enough to read out, long enough that two keys never share one by chance.
A private key is a PKCS#8 PEM file, created readable by its owner only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# cryptography is imported where a signature is checked or made: opening the app without a pack
# or a content update to check never needs it.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_PREFIX = "ed25519:"
MAX_KEY_FILE_BYTES = 16 * 1024


class SigningError(ValueError):
    """A key or signature that cannot be used; the message says why."""


@dataclass(frozen=True)
class PublicKey:
    raw: bytes

    @property
    def text(self) -> str:
        return KEY_PREFIX + base64.b64encode(self.raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]

    def verifies(self, data: bytes, signature: bytes) -> bool:
        """True only if `signature` was made over exactly `data` with this key's private half."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_public_key(text: str) -> PublicKey:
    """ "ed25519:<base64>" (as `pack keygen` prints it) → PublicKey; raises SigningError."""
    text = text.strip()
    if not text.startswith(KEY_PREFIX):
        raise SigningError(f"a public key starts with '{KEY_PREFIX}' (as `pack keygen` prints it)")
    try:
        raw = base64.b64decode(text[len(KEY_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningError("the public key is not valid base64") from exc
    if len(raw) != 32:
        raise SigningError(f"an Ed25519 public key is 32 bytes, this one is {len(raw)}")
    return PublicKey(raw)


def generate_private_key(path: Path) -> PublicKey:
    """A new key pair: the private half written to `path` (mode 0600, never overwritten)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise SigningError(f"{path} already exists: a key is never overwritten") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public_key_of(key)


def public_key_of(key: Ed25519PrivateKey) -> PublicKey:
    from cryptography.hazmat.primitives import serialization

    return PublicKey(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The private key in a PEM file written by `generate_private_key`; raises SigningError."""
    try:
        data = Path(path).read_bytes()[: MAX_KEY_FILE_BYTES + 1]
    except OSError as exc:
        raise SigningError(f"cannot read the key file {path}: {exc.strerror or exc}") from exc
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{path} is not an unencrypted Ed25519 private key (PEM)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def encode_signature(signature: bytes) -> str:
    return base64.b64encode(signature).decode("ascii")


def decode_signature(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningError("the signature is not valid base64") from exc
    if len(raw) != 64:
        raise SigningError(f"an Ed25519 signature is 64 bytes, this one is {len(raw)}")
    return raw
