"""Records pickled as their field values (records.py): what a loading worker sends and
the incremental cache keeps must come back equal, field for field."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields

import pytest

from generator.load import load_file
from generator.records import pickled_as_fields
from tests.conftest import SEEDS


@pickled_as_fields
@dataclass(frozen=True, slots=True, init=False)
class _Packed:
    text: str
    size: int

    def __init__(self, text: str) -> None:  # works its fields out: not to be run again
        object.__setattr__(self, "text", text + "!")
        object.__setattr__(self, "size", len(text))


def test_a_record_with_its_own_init_comes_back_as_it_was_not_made_again() -> None:
    record = _Packed("trump")
    again = pickle.loads(pickle.dumps(record))
    assert again == record
    assert (again.text, again.size) == ("trump!", 5)  # not "trump!!", 6: not made anew


def test_every_loaded_seed_comes_back_equal_in_every_field() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        loaded, _ = load_file(path, path.read_bytes())
        for document in loaded:
            again = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
            for field in fields(document):
                assert getattr(again, field.name) == getattr(document, field.name), field.name
            for field in fields(document.document):  # `==` leaves out its warnings
                name = field.name
                assert getattr(again.document, name) == getattr(document.document, name), name
            assert again.document.blocks == document.document.blocks
            assert again.scan == document.scan
            assert again.own == document.own


def test_a_record_of_one_field_is_refused() -> None:
    with pytest.raises(TypeError, match="two fields"):

        @pickled_as_fields
        @dataclass(frozen=True, slots=True)
        class _One:
            value: int
