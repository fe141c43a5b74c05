"""The spill file: an article's packed text, words and name scan kept out of memory."""

from __future__ import annotations

import multiprocessing
import operator
import os
import pickle
import subprocess
import sys

import pytest

from generator import spill
from generator.load import parse_seed
from generator.spill import SMALL, Stored, fetch, keep

LONG = bytes(range(256)) * 4


def test_long_bytes_are_kept_out_of_memory_and_read_back_the_same():
    kept = keep(LONG)
    assert isinstance(kept, Stored)
    assert fetch(kept) == LONG
    assert fetch(keep(b"")) == b""


def test_short_bytes_stay_as_they_are():
    short = b"x" * (SMALL - 1)
    assert keep(short) == short
    assert not isinstance(keep(short), Stored)


def test_bytes_read_back_after_many_more_were_written():
    first = keep(b"a" * 1000)
    for _ in range(3 * spill._FLUSH_AT // 50_000):  # several writes of the buffer
        keep(os.urandom(50_000))
    last = keep(b"z" * 1000)
    assert fetch(first) == b"a" * 1000
    assert fetch(last) == b"z" * 1000


def test_kept_bytes_compare_by_their_content():
    one, two = keep(LONG), keep(LONG)
    assert one == two
    assert (one != two) is False
    assert one == LONG
    assert operator.eq(LONG, one)  # bytes first: Python asks the Stored
    assert one != keep(LONG[::-1])
    assert hash(one) == hash(two)
    assert len({one, two}) == 1


def test_an_article_parsed_here_keeps_its_text_out_of_memory():
    text = " ".join(f"Zin {n} over Trump en Rusland, {n * 7919 % 1000} keer." for n in range(60))
    document = parse_seed(" date 2017-05 " + text)
    assert isinstance(document.packed_blocks, Stored)
    assert document.blocks[0].text == text


def test_kept_bytes_pickle_as_the_bytes_themselves(tmp_path):
    """The incremental cache file is read by the next build, another process."""
    file = tmp_path / "kept.pickle"
    file.write_bytes(pickle.dumps(keep(LONG)))
    code = (
        "import pickle, sys; from generator.spill import fetch; "
        f"print(fetch(pickle.load(open({str(file)!r}, 'rb'))) == bytes(range(256)) * 4)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr


def _read_in_child(kept: list[Stored]) -> list[bytes]:
    return [fetch(k) for k in kept]


def _keep_in_child(data: bytes) -> object:
    return keep(data)


fork_only = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


@fork_only
def test_forked_workers_read_what_was_kept_before_they_started():
    written = keep(os.urandom(spill._FLUSH_AT))  # in the file
    waiting = keep(b"w" * 500)  # still in the buffer: the child has a copy of it
    with multiprocessing.get_context("fork").Pool(1) as pool:
        read = pool.apply(_read_in_child, ([written, waiting],))
    assert read == [fetch(written), b"w" * 500]


@fork_only
def test_what_a_forked_worker_keeps_is_kept_by_the_process_it_is_sent_to():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        received = pool.apply(_keep_in_child, (LONG,))
    assert isinstance(received, Stored)
    assert fetch(received) == LONG
