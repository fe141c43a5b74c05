"""How `serve` learns that a file changed: from the operating system, not by polling.

livereload's own watcher stat()s every watched file every 0.8 s and compares their
times: with 10,000 articles each pass took 0.13 s of CPU, and a save waited up to
0.8 s before the rebuild began, longer than the rebuild itself (see patch.py).
`EventWatcher` keeps livereload's watcher interface (livereload still serves the
pages and tells the browsers to reload), but a thread receives the changes from
watchfiles (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows)
about STEP_MS after a save.  Hidden files and folders (editors' swap files, `.git`,
our cache and staging folders) and the output folder are not watched: a rebuild
never sets off another one.  Where the system refuses more watches (Linux has a
limit per user), it falls back to watchfiles' polling, and says so.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

STEP_MS = 30  # how long the files must be quiet before the changes are reported


class EventWatcher(Watcher):
    def __init__(self, ignore: Path | None = None) -> None:
        super().__init__()
        self.ignore = ignore.resolve() if ignore is not None else None  # the output folder
        self.stop = threading.Event()
        self._changed: set[str] = set()
        self._complete = False  # whether `_changed` holds every change since the last batch
        # What the batch being handled changed, all of it; None if it may miss some (the
        # first batch: saves before the watch was in place; after polling took over).
        self.changed_paths: frozenset[str] | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._default = watchfiles.DefaultFilter()

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        """Whether a change can matter to the site (watchfiles' filter)."""
        if not self._default(change, path):
            return False
        resolved = Path(path).resolve()
        if self.ignore is not None and resolved.is_relative_to(self.ignore):
            return False
        for root in self._tasks:
            base = Path(root).resolve()
            if resolved.is_relative_to(base):
                parts = resolved.relative_to(base).parts
                return not any(part.startswith(".") for part in parts)
        return True

    def start(self, callback: Callable[[], None]) -> bool:
        """Watch in a thread; `callback` (livereload's, which calls `examine`) runs on the
        server's event loop after each batch of changes.  True: livereload does not poll."""
        if self._thread is None:
            loop = IOLoop.current()

            def changed(paths: Iterable[str]) -> None:
                with self._lock:
                    self._changed.update(paths)
                loop.add_callback(callback)

            roots = [str(root) for root in self._tasks if Path(root).exists()]
            self._thread = threading.Thread(
                target=self._run, args=(roots, changed), name="tijdlijn-watch", daemon=True
            )
            self._thread.start()
        return True

    def _run(self, roots: list[str], changed: Callable[[Iterable[str]], None]) -> None:
        polling = False
        while not self.stop.is_set():
            try:
                for changes in watchfiles.watch(
                    *roots,
                    watch_filter=self.relevant,
                    step=STEP_MS,
                    stop_event=self.stop,
                    raise_interrupt=False,
                    force_polling=polling or None,
                ):
                    changed(path for _, path in changes)
                return
            except Exception as error:  # e.g. the system's limit on watched folders
                if polling:
                    raise
                print(f"watching by polling: {error}", file=sys.stderr, flush=True)
                polling = True
                with self._lock:
                    self._complete = False  # saves until polling starts go unseen

    def examine(self) -> tuple[str | None, float | None]:
        """Run the tasks if anything changed since the last call; livereload reloads the
        browsers when this returns a path."""
        with self._lock:
            changed, self._changed = self._changed, set()
            complete, self._complete = self._complete, True
        if not changed:  # perhaps livereload's own message, queued when it started
            return self._changes.pop() if self._changes else (None, None)
        self.changed_paths = frozenset(changed) if complete else None
        self.filepath = min(changed)
        done: list[Callable[[], object]] = []
        for task in self._tasks.values():
            func = task["func"]
            if func is not None and func not in done:  # each rebuild once
                done.append(func)
                func()
        return self.filepath, None
