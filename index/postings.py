"""A posting pool for Whoosh's segment writer that groups postings by term as they arrive.

Whoosh 2.7.4 keeps every posting as a tuple, sorts millions of them, and when its memory limit is
reached pickles them one by one into run files that it merges back with a heap, posting by
posting: most of a build's time. Documents are added in docnum order, so the postings of one term
already arrive sorted; this pool appends them to compact per-term arrays, sorts only the distinct
terms, and spills to disk (and merges back) whole terms at a time. It hands the writer the same
postings in the same order, so the segment written is the same.
"""

from __future__ import annotations

import heapq
import marshal
import shutil
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path

Posting = tuple  # (fieldname, term bytes, docnum, weight, value bytes or None), as Whoosh writes it
_NO_VALUE = -1
_TERM_OVERHEAD = 400  # bytes: the dict entry, key and four arrays of a new term


class TermPool:
    """Stands in for `whoosh.writing.PostingPool` (add, iter_postings, cleanup)."""

    def __init__(self, tempdir: Path, limit_mb: float) -> None:
        self.limit = int(limit_mb * 1024 * 1024)
        self.tempdir = tempdir
        self.fieldnames: set[str] = set()
        self._terms: dict[tuple[str, bytes], tuple[array, array, bytearray, array]] = {}
        self._size = 0
        self._spill_dir: Path | None = None
        self._runs: list[Path] = []

    def add(self, item: Posting) -> None:
        fieldname, tbytes, docnum, weight, value = item
        key = (fieldname, tbytes)
        postings = self._terms.get(key)
        if postings is None:
            self.fieldnames.add(fieldname)
            postings = self._terms[key] = (array("q"), array("d"), bytearray(), array("q"))
            self._size += _TERM_OVERHEAD + len(tbytes)
        postings[0].append(docnum)
        postings[1].append(weight)
        if value is None:
            postings[3].append(_NO_VALUE)
            self._size += 24
        else:
            postings[2].extend(value)
            postings[3].append(len(value))
            self._size += 24 + len(value)
        if self._size > self.limit:
            self._spill()

    def _spill(self) -> None:
        """Write the terms held so far, sorted, to a run file and start afresh."""
        if self._spill_dir is None:
            self._spill_dir = Path(tempfile.mkdtemp(prefix=".postings-", dir=self.tempdir))
        path = self._spill_dir / f"{len(self._runs)}.run"
        with path.open("wb") as handle:
            for key in sorted(self._terms):
                docs, weights, values, lengths = self._terms[key]
                marshal.dump((*key, docs.tobytes(), weights.tobytes(), bytes(values), lengths.tobytes()), handle)
        self._runs.append(path)
        self._terms = {}
        self._size = 0

    @staticmethod
    def _read_run(path: Path, number: int) -> Iterator[tuple]:
        with path.open("rb") as handle:
            while True:
                try:
                    fieldname, tbytes, docs, weights, values, lengths = marshal.load(handle)
                except EOFError:
                    return
                yield fieldname, tbytes, number, (docs, weights, values, lengths)

    def _memory_run(self, number: int) -> Iterator[tuple]:
        for key in sorted(self._terms):
            docs, weights, values, lengths = self._terms[key]
            yield *key, number, (docs, weights, values, lengths)

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted as Whoosh sorts them: by field, term, then docnum."""
        runs = [self._read_run(path, number) for number, path in enumerate(self._runs)]
        runs.append(self._memory_run(len(runs)))
        group_key = None
        group: list[tuple] = []
        # Runs hold consecutive documents, so one term's parts come in docnum order by run number.
        for fieldname, tbytes, _number, parts in heapq.merge(*runs, key=lambda row: row[:3]):
            if (fieldname, tbytes) != group_key:
                if group:
                    yield from _postings(*group_key, group)
                group_key, group = (fieldname, tbytes), []
            group.append(parts)
        if group:
            yield from _postings(*group_key, group)

    items = iter_postings

    def cleanup(self) -> None:
        self._terms = {}
        if self._spill_dir is not None:
            shutil.rmtree(self._spill_dir, ignore_errors=True)
            self._spill_dir = None
        self._runs = []


def _postings(fieldname: str, tbytes: bytes, parts: list[tuple]) -> Iterator[Posting]:
    docs, weights, lengths = array("q"), array("d"), array("q")
    values = bytearray()
    for part_docs, part_weights, part_values, part_lengths in parts:
        docs.frombytes(part_docs) if isinstance(part_docs, bytes) else docs.extend(part_docs)
        weights.frombytes(part_weights) if isinstance(part_weights, bytes) else weights.extend(part_weights)
        lengths.frombytes(part_lengths) if isinstance(part_lengths, bytes) else lengths.extend(part_lengths)
        values += part_values
    blob = bytes(values)
    offset = 0
    rows = []
    for docnum, weight, length in zip(docs, weights, lengths, strict=True):
        if length == _NO_VALUE:
            rows.append((fieldname, tbytes, docnum, weight, None))
        else:
            rows.append((fieldname, tbytes, docnum, weight, blob[offset : offset + length]))
            offset += length
    if any(a[2] >= b[2] for a, b in zip(rows, rows[1:], strict=False)):
        rows.sort()  # the same document twice (or out of order): sort as Whoosh's pool would
    yield from rows
