"""Guarded reading of files the app does not control (content, packs, policy, index pointers).

One hostile or broken file must cost one clear message, never the library: a FIFO must not hang
the reader, /dev/zero must not fill the memory, a folder named like a file must not raise, a YAML
alias bomb must not expand, and a BOM or CRLF line ends from a Windows editor are simply accepted.
Every refusal is an `UnsafeFileError` whose message says what was wrong, for a Problem or a notice.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import yaml

MAX_TEXT_BYTES = 2 * 1024 * 1024  # an entry, local section, pack.yaml or policy: far above any real one
MAX_RESOURCE_BYTES = 16 * 1024 * 1024  # references.yaml and the other resource files
MAX_YAML_ALIASES = 50  # real resource files use none; a billion-laughs document needs dozens
MAX_YAML_NODES = 200_000  # nodes after expanding aliases: bounds what a small document can cost
MAX_YAML_DEPTH = 60  # nesting; deeper documents are refused before the parser recurses


class UnsafeFileError(ValueError):
    """A file that cannot be used as text: the message says why; line is 1 unless known."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def inside(path: Path, root: Path) -> bool:
    """Whether path, with every symlink resolved, stays under root."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return False
    return True


def read_bytes(path: Path, *, max_bytes: int = MAX_TEXT_BYTES, root: Path | None = None) -> bytes:
    """The bytes of a regular file of at most max_bytes, or UnsafeFileError saying why not.

    The type is checked before opening and again on the open descriptor (opened non-blocking, so a
    FIFO swapped in between cannot hang us), and never more than max_bytes + 1 bytes are read.
    """
    if root is not None and not inside(path, root):
        raise UnsafeFileError("a symbolic link that points outside the pack: not allowed")
    try:
        before = os.stat(path)
    except OSError as exc:
        raise UnsafeFileError(f"cannot be read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(before.st_mode):
        raise UnsafeFileError(f"{_kind(before.st_mode)}, not a regular file")
    if before.st_size > max_bytes:
        raise UnsafeFileError(f"too large: {_size(before.st_size)}, over the {_size(max_bytes)} limit")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafeFileError(f"cannot be read: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeFileError("not a regular file")
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise UnsafeFileError(f"cannot be read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise UnsafeFileError(f"too large: over the {_size(max_bytes)} limit")
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 (a leading BOM is accepted and dropped), line ends normalised to \\n."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnsafeFileError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line} (save the file as UTF-8)", line
        ) from exc
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: Path, *, max_bytes: int = MAX_TEXT_BYTES, root: Path | None = None) -> str:
    """A guarded, size-capped read of a UTF-8 text file (BOM and CRLF accepted)."""
    return decode_text(read_bytes(path, max_bytes=max_bytes, root=root))


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


class YamlLimitError(yaml.YAMLError):
    """A YAML document refused for its shape (aliases, size after expansion, depth), not syntax."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while composing, before anything is expanded."""

    max_aliases = MAX_YAML_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_count = 0
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > self.max_aliases:
                mark = self.peek_event().start_mark
                if self.max_aliases == 0:
                    raise YamlLimitError("YAML aliases (*name) are not allowed here", mark)
                raise YamlLimitError(f"more than {self.max_aliases} YAML aliases (*name): not allowed", mark)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise YamlLimitError(f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Node count with every alias expanded, computed on the shared graph (memoised, so cheap)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a cycle (recursive alias) counts once here; the constructor handles it safely
    if isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        total = 1
    memo[key] = min(total, MAX_YAML_NODES + 1)
    return memo[key]


def load_yaml(text: str, *, aliases: bool = True) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely; returns (data, node) so callers can map keys to lines.

    aliases=False refuses any alias (front matter, pack.yaml); otherwise a few are allowed and the
    document's expanded size is capped. Raises yaml.YAMLError (with problem_mark when known).
    """
    loader = _LimitedLoader(text)
    loader.max_aliases = MAX_YAML_ALIASES if aliases else 0
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if loader.alias_count and _expanded_size(node, {}) > MAX_YAML_NODES:
            raise YamlLimitError(f"expands to more than {MAX_YAML_NODES:,} values through aliases: not allowed")
        return loader.construct_document(node), node
    except RecursionError as exc:
        raise YamlLimitError("nested too deeply to read") from exc
    finally:
        loader.dispose()


def yaml_error_line(exc: BaseException, offset: int = 1) -> int:
    """File line of a YAML error (offset: the file line of the document's first line)."""
    mark = getattr(exc, "problem_mark", None)
    return mark.line + offset if mark is not None else offset


def yaml_error_reason(exc: BaseException) -> str:
    return getattr(exc, "problem", None) or str(exc).splitlines()[0]


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, streamed: a large file costs time, never its size in memory."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeFileError("not a regular file")
        return hashlib.file_digest(handle, "sha256").hexdigest()
