"""Bytes a build holds for every article but reads only a few times (its packed text,
search words and name scan), kept in a temporary file instead of in memory.

A build needs every article at once (the model relates them all), but an article's
text is read only to make its own page, and its words and name scan once each.  Held
in memory they were 2 kB per article: 200 MB of a 100,000-article build's 520, and a
forked worker starts with all of its parent's memory.  Here the process that imported
this module (the build's) appends them to one unlinked temporary file and keeps only a
`Stored` number (where they are: 44 bytes); reading one back is one `os.pread`.  Not
`mmap`: the pages a mapping reads count in the process's memory, and a worker reading
every article's text would hold them all again.

Forked workers read the same file (they inherit its descriptor, and the part not yet
written is in their copy of the buffer); what a worker keeps is kept by the process it
is sent to.  A `Stored` pickles as its bytes, and is kept again when unpickled: the
results workers send back and the incremental cache file carry the bytes, never a
place in a file that another process cannot read.

The file lives where `tempfile` puts it (TMPDIR, else /tmp) and vanishes with the
process.  Where /tmp is held in memory (tmpfs), point TMPDIR at a disk.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import threading
from typing import IO

_LENGTH_BITS = 24
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
SMALL = 128  # shorter bytes stay in memory: a reference and a read cost more than they save
_FLUSH_AT = 1 << 18  # bytes gathered before one write

_owner = os.getpid()  # forked workers see their parent's pid here: they do not write
_lock = threading.Lock()  # `serve` builds in one thread while others may read
_file: IO[bytes] | None = None
_written = 0  # bytes in the file; those after it wait in `_buffer`
_buffer = bytearray()


class Stored(int):
    """Where `keep` put some bytes: offset << 24 | length.  An int, so that a million
    of them cost no more than a million ints; equal when the bytes are equal."""

    __slots__ = ()

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        return keep, (fetch(self),)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (bytes, Stored)):
            return fetch(self) == fetch(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(fetch(self))

    def __repr__(self) -> str:
        return f"Stored(offset={int(self) >> _LENGTH_BITS}, length={int(self) & _LENGTH_MASK})"


class _ToKeep(bytes):
    """Bytes a forked worker would have kept: kept by the process they are sent to."""

    __slots__ = ()

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        return keep, (bytes(self),)


Kept = bytes | Stored


def keep(data: bytes) -> Kept:
    """`data`, or where it was written in this process's spill file (see the module)."""
    if not SMALL <= len(data) <= _LENGTH_MASK:
        return bytes(data)
    if os.getpid() != _owner:
        return _ToKeep(data)
    global _file
    with _lock:
        if _file is None:
            _file = tempfile.TemporaryFile(prefix="tijdlijn-")  # noqa: SIM115 (the process's)
            atexit.register(_file.close)
        offset = _written + len(_buffer)
        _buffer.extend(data)
        if len(_buffer) >= _FLUSH_AT:
            _flush()
    return Stored(offset << _LENGTH_BITS | len(data))


def fetch(data: Kept) -> bytes:
    """The bytes themselves."""
    if not isinstance(data, Stored):
        return data
    offset, length = int(data) >> _LENGTH_BITS, int(data) & _LENGTH_MASK
    if offset >= _written:  # perhaps not written yet (`_written` only grows)
        with _lock:
            if offset >= _written:
                start = offset - _written
                return bytes(_buffer[start : start + length])
    assert _file is not None, "a Stored comes only from keep, which opened the file"
    return os.pread(_file.fileno(), length, offset)


def _new_lock_in_child() -> None:
    """A fork made while another thread held the lock would leave it held for good."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_in_child)


def _flush() -> None:
    global _written
    if _file is not None and _buffer:
        os.pwrite(_file.fileno(), _buffer, _written)
        _written += len(_buffer)
        _buffer.clear()
