"""The pipeline: load -> model -> render -> write, and the one-line summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import parallel
from .config import Config, build_date, default_theme
from .errors import GeneratorError, Severity, display_path
from .incremental import BuildState
from .load import load_documents
from .model import build_site
from .render import Page, Renderer
from .report import BuildReport
from .unchanged import build_key, code_version, forget_last_build
from .write import Placed, SiteWriter, WriteReport, check_output

Progress = Callable[[int, int], None]  # (pages done, pages in all)


def build(
    config: Config,
    theme: Path | None = None,
    state: BuildState | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site.  With a state (from the last build), unchanged files are not
    parsed again and unchanged pages not rendered again; the result is the same."""
    started = time.perf_counter()
    if not config.source.is_dir():
        raise GeneratorError(f"{display_path(config.source)}: source folder not found")
    check_output(config.out, config.source)  # refuse early, before any work
    stamp = build_date()
    theme = theme or default_theme()
    if state is not None:
        state.begin(code_version(), build_key(config, theme, stamp))

    documents, problems = load_documents(config.source, state.sources if state else None)
    site, model_problems = build_site(documents, config)
    del documents  # the site keeps what pages need; the rest (name scans) can go now
    problems = sorted(problems + model_problems)
    skipped = sum(1 for p in problems if p.severity is Severity.ERROR)

    written = None
    rendered = 0
    if not (config.strict and problems):
        renderer = Renderer(site, theme, build_date=stamp)
        forget_last_build(config.out)  # the output is about to change
        try:
            pages, written = _render_and_write(config, renderer, state, progress)
        except TemplateError as error:  # a mistake in a theme: the user's, not a bug
            raise GeneratorError(template_problem(error)) from None
        rendered = pages.rendered
        if state is not None:
            state.pages = pages.fingerprints
    return BuildReport(
        articles=len(site.articles),
        events=len(site.events),
        skipped=skipped,
        problems=tuple(problems),
        written=written,
        rendered=rendered,
        out=config.out,
        seconds=time.perf_counter() - started,
    )


def _render_and_write(
    config: Config, renderer: Renderer, state: BuildState | None, progress: Progress | None
) -> tuple[_pages, WriteReport]:
    writer = SiteWriter(config.out, config.source)
    pages = _pages(renderer, writer, state, progress)
    for path, placed in pages:
        writer.add(path, placed)
    return pages, writer.finish()


def template_problem(error: TemplateError) -> str:
    """`templates/x.html:12: what is wrong`, from a syntax error or from the frames
    Jinja adds to the traceback of an error while rendering."""
    if isinstance(error, TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: {error.message}"
    frame = error.__traceback__
    where = "templates:1"
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            where = f"{filename}:{frame.tb_lineno}"
        frame = frame.tb_next
    return f"{where}: {error.message or error}"


class _pages:
    """Every file of the site, placed for the writer.  With a state, pages whose
    fingerprint is unchanged (and that are still as published) are not rendered.
    When there are many pages, worker processes render them and place them into the
    staging folder themselves (its system calls cost as much as the rendering); this
    process receives what became of each.  Counts what it rendered."""

    def __init__(
        self,
        renderer: Renderer,
        writer: SiteWriter,
        state: BuildState | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.renderer = renderer
        self.writer = writer
        self.known = state.pages if state is not None else None
        self.progress = progress
        self.fingerprints: dict[str, tuple[str, str]] = {}
        self.rendered = 0

    def __iter__(self) -> Iterator[tuple[str, Placed]]:
        renderer, writer, known = self.renderer, self.writer, self.known
        plan = renderer.plan()
        paths = [renderer.path_of(page) for page in plan]
        prints: list[str] = []
        todo = list(range(len(plan)))
        if known is not None:
            prints = list(parallel.run(_fingerprints, plan, {"renderer": renderer}))
            todo = [
                i
                for i, path in enumerate(paths)
                if (before := known.get(path)) is None
                or before[0] != prints[i]
                or not writer.current.holds(path, before[1])  # edited by hand since
            ]
        # The files for programs (search index, feeds, timeline.json) go first, as one
        # task: one worker makes them while the others render pages.
        items: list[Page | None] = [None, *(plan[i] for i in todo)]
        if parallel.forks(len(items)):
            writer.prepare()  # before the workers write into the staging folder
        context = {"renderer": renderer, "writer": writer}
        made = parallel.run(_render, items, context)
        other_files = next(made)
        waiting = iter(todo)
        next_todo = next(waiting, None)
        for index, path in enumerate(paths):
            if self.progress is not None:
                self.progress(index, len(plan))
            if index != next_todo:
                before = self.fingerprints[path] = known[path]  # type: ignore[index]
                yield path, Placed(before[1], published=True)  # checked above
                continue
            next_todo = next(waiting, None)
            [(path, placed)] = next(made)
            self.rendered += 1
            if prints:
                self.fingerprints[path] = (prints[index], placed.digest)
            yield path, placed
        yield from other_files


def _fingerprints(pages: Sequence[Page]) -> list[str]:
    """The fingerprints of some pages (in a worker, or here)."""
    renderer: Renderer = parallel.shared["renderer"]
    return [renderer.fingerprint(page) for page in pages]


def _render(items: Sequence[Page | None]) -> list[list[tuple[str, Placed]]]:
    """Render pages (None: all the other files of the site) and place them in the
    staging folder; in a worker, or here.  One list of files per item."""
    renderer: Renderer = parallel.shared["renderer"]
    writer: SiteWriter = parallel.shared["writer"]
    done = []
    for item in items:
        files = renderer.other_files() if item is None else [renderer.render_page(item)]
        done.append([(path, writer.place(path, data)) for path, data in files])
    return done
