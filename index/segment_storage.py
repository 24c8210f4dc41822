"""Read-only Whoosh storage that maps segment files instead of copying them into memory.

Whoosh 2.7.4 maps a compound segment file (.seg) and then hands each reader its parts as
`BufferFile`s, whose `BytesIO(memoryview)` copies every part it opens: each reader of a
2,000-entry index held its own ~40 MB of copies, one more per searcher and per thread. Here the
parts are read straight from the mapping (pages the OS shares and can drop), with the same bytes.
"""

from __future__ import annotations

import mmap
import os

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

SEGMENT_SUFFIX = ".seg"


class _View:
    """A read-only file over a range of a mapping: slices are read when asked for, not before."""

    __slots__ = ("_map", "_start", "_end", "_pos", "closed")

    def __init__(self, mapping: mmap.mmap, start: int, length: int) -> None:
        self._map = mapping
        self._start = start
        self._end = start + length
        self._pos = start
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._end if size is None or size < 0 else min(self._end, start + size)
        self._pos = max(start, end)
        return self._map[start:end]

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        end = self._end if size is None or size < 0 else min(self._end, self._pos + size)
        newline = self._map.find(b"\n", self._pos, end)
        return self.read((end if newline < 0 else newline + 1) - self._pos)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: self._start, os.SEEK_CUR: self._pos, os.SEEK_END: self._end}[whence]
        self._pos = max(self._start, base + offset)
        return self._pos - self._start

    def tell(self) -> int:
        return self._pos - self._start

    def close(self) -> None:
        self.closed = True


class _MappedPart(BufferFile):
    """A part of a segment, as Whoosh's BufferFile but without the copy."""

    def __init__(self, mapping: mmap.mmap, offset: int, length: int, name: str | None = None) -> None:
        self._mapping = mapping
        self._offset = offset
        self._buf = memoryview(mapping)[offset : offset + length]
        self._name = name
        self.file = _View(mapping, offset, length)
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> _MappedPart:
        return _MappedPart(self._mapping, self._offset + position, length, name or self._name)


class _MappedSegment(StructFile):
    """The whole .seg file: the compound reader reads its directory from it and takes its parts
    with subset()."""

    def __init__(self, mapping: mmap.mmap, name: str) -> None:
        super().__init__(_View(mapping, 0, len(mapping)), name=name)
        self._mapping = mapping

    def subset(self, offset: int, length: int, name: str | None = None) -> _MappedPart:
        return _MappedPart(self._mapping, offset, length, name or self._name)

    def close(self) -> None:
        if self.is_closed:
            return
        super().close()
        try:
            self._mapping.close()
        except BufferError:  # parts still open: the mapping goes when the last of them does
            pass


class MappedStorage(FileStorage):
    """FileStorage whose segment files are mapped once and read in place."""

    def __init__(self, path: str) -> None:
        # supports_mmap=False: the compound reader then takes parts with subset() (ours) instead of
        # mapping the file itself and copying each part.
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs) -> StructFile:
        if not name.endswith(SEGMENT_SUFFIX):
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as handle:
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _MappedSegment(mapping, name)


def open_mapped(path: str) -> whoosh_index.Index:
    """open_dir(path, readonly=True), with segment parts read from the mapping."""
    return MappedStorage(path).open_index()
