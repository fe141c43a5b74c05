"""`build --incremental` after edits to articles' texts alone, without the site model.

An edit to the words of an article's body changes three kinds of files (see patch.py):
its own page, the search shards that hold the words that came or went, and the feeds if
they carry it.  Nothing else is made from its text (its lead aside, which gives its
headline and dek: an edit there is not one of these), so nothing else needs the site
model, which takes 0.5 s to make again at 10,000 articles (and its cache 0.4 s to load
and save):

- its page is the page as written last, its old body swapped for the new one.  The
  default theme (the only one) puts an article's text on its page through `body_html`
  alone (were it to show, say, a word count, the tests that compare text edits with
  clean builds would fail); the old body must be found there exactly once;
- the search index is the one the last build saved, each article's old words swapped
  for its new ones;
- the cache is read in part (`incremental.CachedState`): the state without its sources,
  and the old records of the edited files only.

Anything else (a headline, a name, a date, a file added, a problem that came or went, an
article the feeds carry, an output file not as written) and this gives way to
build.py, which patches from the whole cache or builds.  The result is the site a full
build makes, byte for byte; the tests compare the two.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from .config import Config
from .feeds import feeds_enabled, latest
from .incremental import ArticleFiles, CachedState, with_digest
from .load import LoadedDocument, model_inputs, read_files
from .model import Site
from .report import BuildReport
from .search import SearchIndex, article_number
from .sources import SourceStats
from .text import pack_for_archive
from .unchanged import LastBuild, forget_last_build
from .write import file_stat, patch_output, recover_needed

# More files changed than this at once (a checkout, a search and replace): their records
# would be read from the cache one by one; build.py reads it whole, and patches or builds.
MAX_FILES = 16


def article_files(site: Site) -> dict[str, ArticleFiles]:
    """Where each article of a site is, as `patch_texts` needs to know it later."""
    in_feeds = {article.location for article in latest(site)} if feeds_enabled(site) else set()
    return {
        article.location: ArticleFiles(
            article_number(site, index),
            f"{article.page_path}index.html",
            article.location in in_feeds,
        )
        for index, article in enumerate(site.articles)
    }


def patch_texts(
    config: Config, last: LastBuild, sources: SourceStats, started: float
) -> tuple[BuildReport, LastBuild] | None:
    """The site in `config.out` patched after edits to the texts of the source files
    whose size or time is not as `last` (the last incremental build, under the same
    code, theme and settings) read them; `sources`: every source file's now.  Returns
    the report and what the next build must know of this one; None, with nothing
    written, if the edits are not to texts alone (the caller builds)."""
    if sources.keys() != last.sources.keys():
        return None  # a file added or removed
    changed = [path for path, stat in sources.items() if stat != last.sources[path]]
    if not changed or len(changed) > MAX_FILES or recover_needed(config.out):
        return None
    cache = CachedState.open(config.out)
    if cache is None:
        return None
    state = cache.state
    search = state.search
    if not isinstance(search, SearchIndex) or not state.articles or state.key != last.key:
        return None
    files: list[tuple[str, bytes]] = []
    pack_for_archive(len(sources))  # as `load_documents` would: the records compare equal
    read = dict(read_files([Path(path) for path in changed]))
    for path in changed:
        was, now = cache.record(path), read[path]
        if was is None or was.problems != now.problems:
            return None  # a warning or an error came or went: the report changes
        if len(was.documents) != len(now.documents):
            return None
        for old, new in zip(was.documents, now.documents, strict=True):
            where = state.articles.get(new.location)
            if where is None or where.in_feeds or where.page not in state.pages:
                return None
            if not _text_only(old, new):
                return None
            fingerprint, digest = state.pages[where.page]
            if old.document != new.document:
                try:
                    page = swapped_body((config.out / where.page).read_bytes(), old, new)
                except OSError:
                    return None
                if page is None:
                    return None
                files.append((where.page, page))
            state.pages[where.page] = (with_digest(fingerprint, new.digest), digest)
            assert old.own is not None and new.own is not None
            search.replace_words(
                where.number,
                old.own.headline,
                old.search_words(),
                new.own.headline,
                new.search_words(),
            )
        cache.put(path, now)
    # The output checked last: an edit that is not to a text alone (most often, one that
    # names someone) is refused before this, and the build checks it again.
    tree = state.output(config.out)
    if tree is None:
        return None
    shards, gone = search.changed_files()
    forget_last_build(config.out)  # the output is about to change
    patched = patch_output(config.out, [*files, *shards], gone, tree)
    if patched is None:
        return None
    written, tree = patched
    for path, _ in files:
        state.pages[path] = (state.pages[path][0], tree.files[path])
    tree.save_stats()  # so that the next no-change build finds the site as written
    cache.save()
    read_stats = {**last.sources, **{p: file_stat(read[p].size, read[p].mtime_ns) for p in changed}}
    now = replace(last, sources=read_stats, files=written.files)
    report = BuildReport(
        articles=last.articles,
        events=last.events,
        skipped=last.skipped,
        problems=tuple(last.problems),
        written=written,
        rendered=len(files),
        out=config.out,
        seconds=time.perf_counter() - started,
        patched=True,
    )
    return report, now


def _text_only(old: LoadedDocument, new: LoadedDocument) -> bool:
    """Whether only the article's text changed: not what the model takes from it, nor
    its headline, dek or slug."""
    return (
        old.own is not None
        and old.own == new.own
        and old.scan == new.scan
        and model_inputs(old) == model_inputs(new)
    )


def swapped_body(data: bytes, old: LoadedDocument, new: LoadedDocument) -> bytes | None:
    """An article's page as written last (`data`: checked by the caller's tree, by
    size and time), with the new text's body in place of the old; None if the old body
    is not found on it exactly once."""
    body = old.document.body_html.encode("utf-8")
    if data.count(body) != 1:
        return None
    return data.replace(body, new.document.body_html.encode("utf-8"))
