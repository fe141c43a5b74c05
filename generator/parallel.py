"""Work spread over the machine's cores: parsing files, rendering pages.

Worker processes are forked, so they start with everything the parent has built
(the site model, the compiled templates) without copying it through a pipe; only
each task's small description goes to them, and its result comes back.  Small
jobs run in this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400  # below this, one process is faster
CHUNK = 64  # items per task: fewer round trips, still an even spread

# What workers need and cannot be sent through a pipe (compiled templates): set by
# `run` just before the workers are forked, read by the task functions.
shared: dict[str, Any] = {}


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def give_back_memory() -> None:
    """Return the C heap's free memory to the system (glibc's malloc_trim): a process
    that built a large site and let go of it keeps that memory otherwise.  Elsewhere
    (macOS, musl) nothing happens."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        _libc().malloc_trim(0)


def _die_with_parent(parent: int) -> None:
    """A worker ends when its parent does, even if the parent is killed (Linux): an
    orphan would keep running, and keep the parent's output pipes open."""
    try:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError, TypeError):
        return  # not Linux: the pool's own checks end the worker when the parent exits
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def workers() -> int:
    """How many processes to use: TIJDLIJN_WORKERS, else every core this process may use."""
    wanted = os.environ.get("TIJDLIJN_WORKERS")
    if wanted and wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def forks(items: int) -> bool:
    """Whether `run` with this many items hands them to worker processes."""
    return (
        workers() >= 2 and items >= MIN_ITEMS and "fork" in multiprocessing.get_all_start_methods()
    )


def run(
    task: Callable[[Sequence[T]], list[R]], items: Sequence[T], context: dict[str, Any]
) -> Iterator[R]:
    """task(chunk) for chunks of `items`, results in order, in forked workers when it pays.

    `task` must be a module-level function; it finds `context` in `parallel.shared`.
    """
    shared.clear()
    shared.update(context)
    if not forks(len(items)):
        for start in range(len(items)):  # one at a time: each result is used at once
            yield from task(items[start : start + 1])
        return
    chunks = (items[start : start + CHUNK] for start in range(0, len(items), CHUNK))
    fork = multiprocessing.get_context("fork")
    count = workers()
    # A worker's garbage collector would walk every object it inherited (the whole site
    # model) on each full pass: frozen before the fork, they are left out of its passes.
    # (`serve` keeps its site frozen between builds: then it stays so.)
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    # The heap's free memory (what parsing left, at 100,000 articles 14 MiB once the site
    # model is made) would be counted in every worker's resident memory too.
    give_back_memory()
    try:
        with ProcessPoolExecutor(
            max_workers=count,
            mp_context=fork,
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            # Every chunk at once: results are small (parsed articles, which the build
            # keeps anyway, or what became of a page that a worker wrote itself).  Each
            # is let go once used: a future keeps its result (at 100,000 articles
            # `build --incremental` peaked 12 MiB higher when every one was kept).
            futures = deque(pool.submit(task, chunk) for chunk in chunks)
            while futures:
                yield from futures.popleft().result()
    finally:
        if not was_frozen:
            gc.unfreeze()
