"""Pickling for the small frozen records of which a build has one per article (its
date, document, name scan, own fields...): the loading workers send them to the
build's process, and `build --incremental` keeps them in its cache file.

Dataclasses pickle a slots class through `__getstate__`/`__setstate__` functions that
look the fields up again for every object (`dataclasses.fields`): that was half the
time of reading or writing a 10,000-article cache.  Here each object is pickled as its
class and its field values, taken in one C call, and made again by one call to the
class (its `__init__` as the dataclass made it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_as_fields(cls: type[T]) -> type[T]:
    """Class decorator, above `@dataclass(...)`: pickle instances as (class, field values).
    A dataclass with its own `__init__` (`init=False`) is made again without calling it."""
    names = tuple(field.name for field in fields(cls))  # type: ignore[arg-type]
    if len(names) < 2:  # attrgetter of one name gives the value, not a tuple
        raise TypeError(f"{cls.__name__}: pickled_as_fields needs two fields or more")
    values = attrgetter(*names)
    reduce: Callable[[Any], tuple[object, ...]]
    if cls.__dataclass_params__.init:  # type: ignore[attr-defined]

        def reduce(self: Any) -> tuple[object, ...]:
            return cls, values(self)

    else:

        def reduce(self: Any) -> tuple[object, ...]:
            return _made_again, (cls, names, values(self))

    cls.__reduce__ = reduce  # type: ignore[assignment, method-assign]
    return cls


def _made_again(cls: type[T], names: tuple[str, ...], values: tuple[object, ...]) -> T:
    made = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made
