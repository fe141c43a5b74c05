"""The pipeline: load -> model -> render -> write, and the one-line summary."""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from jinja2 import TemplateError, TemplateSyntaxError

from . import parallel
from .config import Config, build_date, default_theme
from .errors import GeneratorError, Problem, Severity, display_path
from .incremental import BuildState, SearchFile, new_search_file, write_search
from .load import SourceCache, load_documents
from .model import build_site
from .patch import (
    Added,
    Edit,
    LastBuild,
    Moved,
    Published,
    Removed,
    added_or_removed_files,
    edited_files,
    moved_files,
    retitled,
    source_changes,
)
from .render import Page, Renderer
from .report import BuildReport
from .search import SearchIndex
from .textedit import article_files
from .unchanged import build_key, forget_last_build
from .write import (
    Content,
    Placed,
    Scratch,
    SiteWriter,
    Tree,
    WriteReport,
    check_output,
    clear_scratch,
    intact_tree,
    patch_output,
    scratch_folder,
    to_scratch,
)

# (pages done, pages in all, the stage): an incremental build first checks every page's
# fingerprint ("checking"), then renders and writes ("building"), unless it wrote the few
# changed pages in place at once.
Progress = Callable[[int, int, str], None]
Chosen = tuple[int, tuple[int, ...]]  # an article's number, and its related articles'

# An incremental build's survey renders at most this many changed pages in each process
# (into the scratch folder, see `_Survey`) and writes them in place; when more changed,
# they go through the staging folder.  The bytes wait on disk, not in memory, so this
# bounds only the renders thrown away then: a whole-site change (theme, settings) is not
# surveyed at all.  Moving an article across years changes about 800 of 10,000
# articles' pages (every page of its names' lists between its old and new place).
PATCH_PAGES = 1000


def build(
    config: Config,
    theme: Path | None = None,
    state: BuildState | None = None,
    progress: Progress | None = None,
    changed: Collection[str] | None = None,
) -> BuildReport:
    """Build the site.  With a state (from the last build), unchanged files are not
    parsed again and unchanged pages not rendered again; the result is the same.
    `changed`: with a state, every path changed since its build, as `serve`'s watcher
    saw them (see load.load_documents); None: the sources are listed to find out."""
    started = time.perf_counter()
    if not config.source.is_dir():
        raise GeneratorError(f"{display_path(config.source)}: source folder not found")
    stamp = build_date()
    theme = theme or default_theme()
    if state is not None:
        state.begin(build_key(config, theme, stamp))
    known_tree = None  # the output's manifest as `serve` last wrote it
    if state is None or state.last is None:
        check_output(config.out, config.source)  # refuse early, before any work
        sources = state.sources if state else None
        before = None  # the sources as the last build had them, if it can be patched
        if state is not None and state.search is not None and state.pages:
            before = dict(state.sources)
        documents, problems = load_documents(config.source, sources, changed)
        if state is not None and before is not None:  # `build --incremental`, or `serve`
            report = _patch_cached(config, theme, stamp, state, before, problems, started)
            if report is not None:
                return report
            state.search = None  # out of date: the build makes the site's own
            state.articles = {}
    else:  # `serve`, after a good build: perhaps only texts changed (see patch.py)
        before = dict(state.sources)
        documents, problems = load_documents(config.source, state.sources, changed)
        report = _patch(config, state, source_changes(before, state.sources), problems, started)
        if report is not None:
            return report
        known_tree = state.last.tree if state.last is not None else None
        if state.last is not None:  # about to build in full: what it kept is out of date
            state.last.release()
            state.last = None
            state.search = None
        check_output(config.out, config.source)
    # `serve` keeps how names were found, to patch an edit to an article's names
    keep_names = state is not None and state.keep_last
    site, model_problems = build_site(documents, config, keep_names)
    del documents  # the site keeps what pages need; the rest (name scans) can go now
    if state is not None and site._related is not None:
        site._related.reuse(state.related)
    problems = sorted(problems + model_problems)
    skipped = sum(1 for p in problems if p.severity is Severity.ERROR)

    written = None
    rendered = 0
    if not (config.strict and problems):
        renderer = Renderer(site, theme, build_date=stamp)
        forget_last_build(config.out)  # the output is about to change
        try:
            pages, written, tree = _render_and_write(config, renderer, state, progress, known_tree)
        except TemplateError as error:  # a mistake in a theme: the user's, not a bug
            raise GeneratorError(template_problem(error)) from None
        rendered = pages.rendered
        if state is not None:
            state.pages = pages.fingerprints
            state.search = pages.search
            state.articles = {} if state.keep_last else article_files(site)
            # every article's page was fingerprinted: every related list is in `chosen`
            related = site._related
            state.related = related.remember(pages.chosen) if related is not None else None
            if state.keep_last and isinstance(pages.search, SearchIndex):
                state.last = LastBuild(site, renderer, pages.search, tuple(model_problems), tree)
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


def _patch(
    config: Config,
    state: BuildState,
    change: list[Edit] | Added | Removed | Moved | None,
    problems: list[Problem],
    started: float,
) -> BuildReport | None:
    """A build after edits to articles that leave the site's shape alone, or an article
    added or removed, from the last build `serve` kept (see patch.py); None if it
    cannot be done that way (the caller builds in full)."""
    last = state.last
    assert last is not None
    problems = sorted(problems + list(last.problems))
    if change is None or (config.strict and problems):
        return None
    related = last.site._related
    earlier = None  # every article's related articles, as the last build chose them
    if related is not None and state.related is not None:
        earlier = state.related if state.related.signature == related.signature else None
    tree = intact_tree(config.out, last.tree)  # read once (the first edit after a build)
    if tree is None:
        return None
    # Each page made is written to the scratch folder at once, and moved into place from
    # there: an article added to a large archive remakes hundreds of pages (187, 30 MB,
    # for one naming the two most named of 10,000 articles), which were all held at once.
    scratch, numbers = scratch_folder(config.out), itertools.count(1)
    scratch.mkdir(parents=True, exist_ok=True)

    def keep(data: bytes) -> Scratch:
        return to_scratch(scratch / f"patch-{next(numbers)}", data)

    try:
        published = _published(config.out, tree)
        if isinstance(change, (Added, Removed)):
            edited = added_or_removed_files(last, change, earlier, published, state.pages, keep)
        elif isinstance(change, Moved):
            edited = moved_files(last, change, earlier, published, state.pages, keep)
        else:
            edited = edited_files(last, change, earlier, published, state.pages, keep)
        if edited is None:
            return None
        forget_last_build(config.out)
        site, files, gone, fingerprints, chosen = edited
        patched = patch_output(config.out, files, gone, tree)
    except TemplateError as error:
        state.last = None
        raise GeneratorError(template_problem(error)) from None
    except BaseException:
        state.last = None  # half patched: not to be trusted
        raise
    finally:
        clear_scratch(config.out)  # what was not moved into the site
    if patched is None:
        return None
    written, last.tree = patched
    if chosen is not None:  # an article's names changed: so did related articles
        state.related = chosen
    for path in gone:
        state.pages.pop(path, None)
    for path, fingerprint in fingerprints.items():
        state.pages[path] = (fingerprint, last.tree.files[path])  # as written
    return BuildReport(
        articles=len(site.articles),
        events=len(site.events),
        skipped=sum(1 for p in problems if p.severity is Severity.ERROR),
        problems=tuple(problems),
        written=written,
        rendered=len(fingerprints),
        out=config.out,
        seconds=time.perf_counter() - started,
        patched=True,
    )


def _patch_cached(
    config: Config,
    theme: Path,
    stamp: str | None,
    state: BuildState,
    before: SourceCache,
    problems: list[Problem],
    started: float,
) -> BuildReport | None:
    """`build --incremental` after edits to articles' texts (or one headline, or one
    article's names), or an article added or removed: the site patched as
    `serve` patches it (see patch.py), from the last build's site model made again from
    its sources as they were (`before`: the same model, since code, theme and settings
    are as they were, or the state would have forgotten its pages) and the search index
    it saved.  Not a survey of every page's fingerprint: at 10,000 articles an edit
    naming someone new took 2.5 s that way and takes about 1.4 s this way.  None if it
    cannot be done so: the caller builds (the state's search index may then be patched
    already: a build gives the state its own)."""
    change = source_changes(before, state.sources)
    if not change:  # None: more than texts changed; []: nothing did (the survey shows it)
        return None
    if isinstance(change, (Added, Removed, Moved)):
        renamed = 1  # its names come or go: see `keep_names` in `build`
    else:
        renamed = sum(1 for was, now in change if was.scan != now.scan)
        if retitled(change) > 1 or renamed > 1:
            return None  # `_patch` would refuse: not worth a model first
    if config.strict and problems:
        return None
    if isinstance(state.search, SearchFile):  # as this process's last build left it
        state.search = state.search.load()
    if state.search is None:
        return None
    tree = state.output(config.out)
    if tree is None:
        return None
    documents = [document for record in before.values() for document in record.documents]
    site, model_problems = build_site(documents, config, keep_names=renamed > 0)
    del documents
    if site._related is not None:
        site._related.reuse(state.related)
    assert isinstance(state.search, SearchIndex)
    renderer = Renderer(site, theme, build_date=stamp)
    state.last = LastBuild(site, renderer, state.search, tuple(model_problems), tree)
    try:
        report = _patch(config, state, change, problems, started)
        if report is not None and state.last is not None and state.last.tree is not None:
            state.last.tree.save_stats()  # so that the next no-change build finds it as written
            state.articles = article_files(state.last.site)
        return report
    finally:
        if state.last is not None:
            state.last.release()
            state.last = None


def _published(out: Path, tree: Tree) -> Published:
    """A reader of the files of the site in `out`, each only if its bytes are still as
    the site's manifest says."""

    def read(path: str) -> bytes | None:
        try:
            data = (out / path).read_bytes()
        except OSError:
            return None
        return data if tree.files.get(path) == hashlib.sha256(data).hexdigest() else None

    return read


def _render_and_write(
    config: Config,
    renderer: Renderer,
    state: BuildState | None,
    progress: Progress | None,
    known_tree: Tree | None = None,
) -> tuple[_pages | _Survey, WriteReport, Tree | None]:
    """Render and write the site; returns what was rendered, what changed, and (when
    written in place) the output's manifest as it is now."""
    survey = None
    surveyed = state is not None and bool(state.pages)  # after an incremental build
    # The search index the build makes: sent back to be kept (`serve`), pickled into the
    # cache folder by the worker that made it (`build --incremental`: at 100,000 articles
    # the build's process then peaks at 518 MiB instead of 635), or neither.
    keep: bool | Path = False
    if state is not None:
        keep = True if state.keep_last else new_search_file(config.out)
    try:
        if surveyed and state is not None:  # perhaps few pages changed
            survey = _Survey(renderer, state, progress, scratch_folder(config.out), keep)
            in_place = survey.write_in_place(config.out, known_tree)
            if in_place is not None:
                return survey, *in_place
        writer = SiteWriter(config.out, config.source)
        pages = _pages(renderer, writer, state, progress, survey, keep)
        for path, placed in pages:
            writer.add(path, placed)
        return pages, writer.finish(), None
    finally:
        if surveyed:
            clear_scratch(config.out)  # what was not moved into the site


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


class _Survey:
    """An incremental build's first look: every page's fingerprint, and the files for
    programs, made in the worker pool; a page whose fingerprint changed is rendered there
    too, up to PATCH_PAGES of them per worker, each into a file of the scratch folder.
    An edit to one article changes tens to hundreds of a large site's thousands of pages:
    then those are moved into place
    (`write.patch_output`) instead of through the staging folder, which has to be
    brought up to date with the published site and swapped in (0.8-3.3 s at 10,000
    articles, growing with the site)."""

    def __init__(
        self,
        renderer: Renderer,
        state: BuildState,
        progress: Progress | None,
        scratch: Path,
        keep: bool | Path,
    ) -> None:
        self.renderer = renderer
        self.known = state.pages
        plan = renderer.plan()
        scratch.mkdir(parents=True, exist_ok=True)
        context = {"renderer": renderer, "keep": keep, "known": state.pages}
        context["rendered"] = [0]  # pages rendered by one process (each worker its own)
        context["scratch"] = scratch
        context["numbers"] = itertools.count(1)  # names of its scratch files (each its own)
        made = parallel.run(_survey, [None, *plan], context)
        others = next(made)
        assert isinstance(others, _OtherFiles)
        self.others = others  # their files in the scratch folder, for either way of writing
        self.prints: dict[str, str] = {}  # path -> fingerprint, every page
        self.chosen: dict[int, tuple[int, ...]] = {}  # article -> its related articles
        self.changed: list[tuple[str, Scratch | None]] = []  # path, its file if rendered
        for index in range(len(plan)):
            if progress is not None:
                progress(index, len(plan), "checking")
            path, fingerprint, related, data = next(made)
            self.prints[path] = fingerprint
            if related is not None:
                self.chosen[related[0]] = related[1]
            if self.known.get(path, ("", ""))[0] != fingerprint:
                self.changed.append((path, data))
        self.fingerprints: dict[str, tuple[str, str]] = {}  # as `_pages` has them
        self.rendered = 0

    def write_in_place(self, out: Path, known_tree: Tree | None) -> tuple[WriteReport, Tree] | None:
        """Move the changed pages into place where their bytes differ; None (nothing
        written) if too many changed, or the output is not the site the state describes."""
        pages = [(path, data) for path, data in self.changed if data is not None]
        if len(pages) != len(self.changed):  # too many: rendered again, by the workers
            self.changed.clear()
            return None
        changed = {path for path, _ in pages}
        expected = {p: self.known[p][1] for p in self.prints if p not in changed}
        patched = patch_output(out, [*pages, *self.others.files], (), known_tree, expected)
        if patched is None:
            return None
        tree = patched[1]
        tree.save_stats()  # so that the next no-change build finds it as written
        self.fingerprints = {path: (fp, tree.files[path]) for path, fp in self.prints.items()}
        self.rendered = len(pages)
        return patched

    @property
    def search(self) -> SearchIndex | SearchFile | None:
        return self.others.search


def _survey(
    items: Sequence[Page | None],
) -> list[tuple[str, str, Chosen | None, Scratch | None] | _OtherFiles]:
    """For each page, its path and fingerprint (and for an article, the related articles
    that went into it), and if the fingerprint changed, the page rendered into a file of
    the scratch folder (while this process has rendered no more than PATCH_PAGES: more go
    through the staging folder anyway); for None, every other file of the site, each in
    a file of the scratch folder too (10 MB at 10,000 articles, which would otherwise
    pass through the build's process as bytes).  In a worker, or here."""
    renderer: Renderer = parallel.shared["renderer"]
    known: dict[str, tuple[str, str]] = parallel.shared["known"]
    rendered: list[int] = parallel.shared["rendered"]
    done: list[tuple[str, str, Chosen | None, Scratch | None] | _OtherFiles] = []
    for item in items:
        if item is None:
            done.append(_other_files(renderer, lambda path, data: (path, _to_scratch(data))))
            continue
        path = renderer.path_of(item)
        fingerprint = renderer.fingerprint(item)
        related = renderer.related_numbers(item)
        data = None
        if known.get(path, ("", ""))[0] != fingerprint and rendered[0] < PATCH_PAGES:
            rendered[0] += 1
            data = _to_scratch(renderer.render_page(item)[1])
        done.append((path, fingerprint, related, data))
    return done


def _to_scratch(data: Content) -> Scratch:
    """The bytes in a new file of the scratch folder, named by this process and a count."""
    file = parallel.shared["scratch"] / f"{os.getpid()}-{next(parallel.shared['numbers'])}"
    if isinstance(data, (bytes, bytearray)):
        return to_scratch(file, data)
    digest = hashlib.sha256()
    with file.open("wb") as out:
        for part in data():
            digest.update(part)
            out.write(part)
    return Scratch(file, digest.hexdigest())


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
        survey: _Survey | None = None,
        keep: bool | Path = False,
    ) -> None:
        self.renderer = renderer
        self.writer = writer
        self.known = state.pages if state is not None else None
        self.survey = survey  # if the build looked first: fingerprints and other files made
        self.keep_search = keep  # see `_render_and_write`
        self.progress = progress
        self.fingerprints: dict[str, tuple[str, str]] = {}
        self.chosen: dict[int, tuple[int, ...]] = survey.chosen if survey else {}
        self.rendered = 0
        self.search: SearchIndex | SearchFile | None = None  # the site's, with a state

    def __iter__(self) -> Iterator[tuple[str, Placed]]:
        renderer, writer, known = self.renderer, self.writer, self.known
        plan = renderer.plan()
        survey = self.survey
        # The files for programs (search index, feeds, timeline.json) go first, as one
        # task: one worker makes them while the others fingerprint and render pages.
        items: list[Page | None] = [*plan] if survey else [None, *plan]
        if parallel.forks(len(items)):
            writer.prepare()  # before the workers write into the staging folder
        context = {
            "renderer": renderer,
            "writer": writer,
            "known": known,
            "keep": self.keep_search,
            "prints": survey.prints if survey else {},
        }
        made = parallel.run(_make, items, context)
        if survey:  # made by the survey already, into the scratch folder: placed here
            files = survey.others.files
            placed = [_Made(p, writer.place(p, file.file.read_bytes())) for p, file in files]
            other_files = _OtherFiles(placed, survey.others.search)
        else:
            other_files = next(made)
            assert isinstance(other_files, _OtherFiles)
        self.search = other_files.search
        for index in range(len(plan)):
            if self.progress is not None:
                self.progress(index, len(plan), "building")
            page = next(made)
            assert isinstance(page, _Made)
            self.rendered += page.rendered
            if known is not None:
                self.fingerprints[page.path] = (page.fingerprint, page.placed.digest)
            if page.related is not None:
                self.chosen[page.related[0]] = page.related[1]
            yield page.path, page.placed
        for file in other_files.files:
            yield file.path, file.placed


class _Made(NamedTuple):
    path: str
    placed: Placed
    fingerprint: str = ""  # with a state: what the page is made from
    rendered: bool = False  # False: as published, its fingerprint unchanged
    related: Chosen | None = None  # with a state, an article's: see Site.related_numbers


class _OtherFiles(NamedTuple):
    files: list  # (path, bytes), (path, Scratch) from the survey, or _Made once placed
    search: SearchIndex | SearchFile | None  # as asked for: see `_render_and_write`


def _other_files(renderer: Renderer, handle: Callable[[str, Content], object]) -> _OtherFiles:
    """The files for programs and the assets, each handled (placed, or written into the
    scratch folder); timeline.json of a large site in parts."""
    made: list[SearchIndex] = []

    def search_index() -> SearchIndex:
        made.append(renderer.search_index())
        return made[0]

    files = []
    for path, data in renderer.other_files(search_index, parts=True):
        files.append(handle(path, data))
        # Let go of each file before the next is made: a loop's variable holds it until
        # then, and timeline.json (6 MB at 10,000 articles) was still held while the
        # search index was made.
        del data
    keep: bool | Path = parallel.shared["keep"]
    if isinstance(keep, Path):
        return _OtherFiles(files, write_search(keep, made[0]))
    return _OtherFiles(files, made[0] if keep else None)


def _make(items: Sequence[Page | None]) -> list[_Made | _OtherFiles]:
    """For each page: its fingerprint (with a state), and unless that shows it unchanged
    and it is still as published, render it and place it in the staging folder.  None:
    all the other files of the site.  In a worker, or here."""
    renderer: Renderer = parallel.shared["renderer"]
    writer: SiteWriter = parallel.shared["writer"]
    known: dict[str, tuple[str, str]] | None = parallel.shared["known"]
    prints: dict[str, str] = parallel.shared["prints"]
    done: list[_Made | _OtherFiles] = []
    for item in items:
        if item is None:
            done.append(
                _other_files(renderer, lambda path, data: _Made(path, writer.place(path, data)))
            )
            continue
        path = renderer.path_of(item)
        fingerprint = ""
        related = None
        if known is not None and path not in prints:
            fingerprint = renderer.fingerprint(item)
            related = renderer.related_numbers(item)
        elif known is not None:
            fingerprint = prints[path]
        before = known.get(path) if known is not None else None
        if before and before[0] == fingerprint and writer.current.holds(path, before[1]):
            done.append(_Made(path, Placed(before[1], published=True), fingerprint, False, related))
            continue
        path, data = renderer.render_page(item)
        done.append(_Made(path, writer.place(path, data), fingerprint, True, related))
    return done
