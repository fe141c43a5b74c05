"""`serve`: build, serve the site with livereload, rebuild and reload on every change.

Changes are reported by the operating system (watch.py), not found by polling.

A rebuild that fails (a problem in an article, the settings or a template) keeps
the server up: it prints the problems, and every page shows them on an error page
until the next good save.  Rebuilds are incremental (see incremental.py).

While it waits for a save, the server renders every article's card a few at a time on
its event loop (`warm_step`): after a full build the worker processes have them, not
this one, and an edit that changes a name's list would otherwise render its cards.
"""

from __future__ import annotations

import gc
import sys
import traceback
from collections.abc import Collection
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado.ioloop import IOLoop
from tornado.web import HTTPError

from . import parallel
from .build import build
from .config import load_config
from .errors import GeneratorError, Severity, display_path
from .i18n import Translator
from .incremental import BuildState
from .render import default_theme
from .report import BuildReport
from .watch import EventWatcher
from .write import intact_tree

# livereload drops (does not delay) a reload within this many seconds of the last one: the
# site is rebuilt but the browser never hears of it. Never drop one.
RELOAD_PAUSE = 0.0
WARM_BATCH = 100  # articles whose cards one step renders: about 15 ms, all a save may wait


@dataclass
class SiteServer:
    source: Path
    out: Path
    config_file: Path | None = None
    theme: Path = field(default_factory=default_theme)
    state: BuildState = field(default_factory=lambda: BuildState(keep_last=True))
    failure: list[str] = field(default_factory=list)  # the last build's errors; empty: fine
    report: BuildReport | None = None  # the last build's, if it got that far
    language: str = "nl"
    # Paths changed since the last build that got to its end (which loaded the sources as
    # they were then); None: not known, the next build lists the sources.
    unseen: set[str] | None = None
    warm_from: int | None = None  # the next article whose card `warm_step` renders

    def rebuild(self, changed: Collection[str] | None = None) -> bool:
        """Build; remember and print what went wrong.  Never raises for a user's mistake.
        `changed`: every path changed since the last call, if the watcher knows."""
        if changed is None:
            self.unseen = None
        elif self.unseen is not None:
            self.unseen.update(changed)
        unseen = None if self.unseen is None else frozenset(self.unseen)
        try:
            config = load_config(self.source, self.config_file, out=self.out)
            self.language = config.language
            # (No reference to the site it keeps: a full build lets go of it first.)
            report = self.report = build(config, self.theme, self.state, changed=unseen)
            self.unseen = set()  # the state has every source as it is now
            last = self.state.last
            if not report.patched and last is not None:
                _settle()
                # Before the next edit, not during it: templates compiled, and (after a
                # build through the staging folder) the new site's files checked against
                # its manifest (0.2-0.5 s at 10,000 articles; see write.intact_tree).
                last.renderer.warm()
                last.tree = last.tree or intact_tree(self.out)
                self.warm_from = 0  # a new renderer: no card yet
            elif report.patched:  # its files (timeline.json: 6 MB at 10,000) are let go of
                parallel.give_back_memory()
        except GeneratorError as error:
            self.failure = error.messages
        except Exception as error:  # a bug: keep serving, show it, print the traceback
            traceback.print_exc()
            self.failure = [f"internal error: {type(error).__name__}: {error}"]
        else:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            print(report.summary(), flush=True)
            self.failure = [str(p) for p in report.problems if p.severity is Severity.ERROR]
            return not self.failure
        for message in self.failure:
            print(message, file=sys.stderr, flush=True)
        return False

    def warm_step(self) -> bool:
        """Render the cards of the next WARM_BATCH articles of the site last built (see
        the module's docstring); whether there are more.  An edit patched in between
        goes on with the renderer that has it: the cache is the one they share."""
        last = self.state.last
        start = self.warm_from
        if last is None or start is None:
            return False
        renderer = last.renderer
        renderer.warm_cards(renderer.site.articles[start : start + WARM_BATCH])
        more = start + WARM_BATCH < len(renderer.site.articles)
        self.warm_from = start + WARM_BATCH if more else None
        return more

    def error_page(self) -> bytes:
        translate = Translator(self.language)
        items = "".join(f"<li><code>{escape(message)}</code></li>" for message in self.failure)
        return (
            f'<!DOCTYPE html><html lang="{self.language}"><head><meta charset="utf-8">'
            f"<title>{escape(translate('build_failed'))}</title></head><body>"
            f'<main id="tijdlijn-build-error"><h1>{escape(translate("build_failed"))}</h1>'
            f"<ul>{items}</ul><p>{escape(translate('build_failed_help'))}</p></main>"
            "</body></html>"
        ).encode()

    def watched(self) -> list[Path]:
        paths = [self.source, self.theme]
        if self.config_file is not None:
            paths.append(self.config_file)
        return paths

    def serve(self, host: str, port: int) -> None:
        self.rebuild()
        watcher = EventWatcher(ignore=self.out)
        server = Server(watcher=watcher)
        server.SFH = _handler_for(self)
        loop = IOLoop.current()  # (the one livereload runs: this thread's)
        warming = False  # whether a step is on the loop's list

        def warm() -> None:  # a step at a time: requests and saves come in between
            nonlocal warming
            warming = False  # (also if the step fails: the next build starts again)
            if self.warm_step():
                warming = True
                loop.add_callback(warm)

        def keep_warming() -> None:
            nonlocal warming
            if not warming and self.warm_from is not None:
                warming = True
                loop.add_callback(warm)

        def rebuild() -> None:  # one function for every watched path: run once a batch
            self.rebuild(watcher.changed_paths)
            keep_warming()

        keep_warming()

        for path in self.watched():
            server.watch(str(path), rebuild)
        LiveReloadHandler.DEFAULT_RELOAD_TIME = RELOAD_PAUSE
        print(
            f"Serving {display_path(self.out)}/ at http://{host}:{port}/ (Ctrl+C stops)", flush=True
        )
        try:
            server.serve(port=port, host=host, root=str(self.out), restart_delay=0)
        except OSError as error:
            raise GeneratorError(f"cannot serve on {host}:{port}: {error.strerror}") from None


def _settle() -> None:
    """After a full build: collect what the last one left, then exempt everything still
    alive (the site kept for the next edit: millions of objects) from the garbage
    collector's full passes, which otherwise add 0.1 s to an edit now and then.  And
    hand the memory freed back to the system (Linux): without that a server at rest
    after a few rebuilds of 10,000 articles held 177 MiB instead of 135."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    parallel.give_back_memory()


def _handler_for(site: SiteServer) -> type[StaticFileHandler]:
    class SiteHandler(StaticFileHandler):
        """The built site only: no hidden files, our 404 page, the error page after a
        failed build."""

        async def get(self, path: str, include_body: bool = True) -> None:
            if any(part.startswith(".") for part in path.split("/")):
                raise HTTPError(404)
            if site.failure and (path == "" or path.endswith(("/", ".html"))):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(site.error_page())
                return
            await super().get(path, include_body)

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            page = site.out / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
                return
            super().write_error(status_code, **kwargs)

    return SiteHandler


def serve(source: Path, out: Path, config_file: Path | None, host: str, port: int) -> None:
    """Serve until Ctrl+C; `site.toml` in the source folder is watched with the articles."""
    if not source.is_dir():
        raise GeneratorError(f"{display_path(source)}: source folder not found")
    SiteServer(source, out, config_file).serve(host, port)
