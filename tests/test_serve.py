"""The rebuild behind `serve`: problems become an error page, the next good save recovers."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.serve import SiteServer

from .conftest import REPO, SEEDS


def server(tmp_path: Path, theme: Path | None = None) -> SiteServer:
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    site = SiteServer(source, tmp_path / "site")
    if theme is not None:
        site.theme = theme
    return site


def test_a_broken_article_fails_the_rebuild_until_it_is_fixed(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site = server(tmp_path)
    assert site.rebuild() is True and site.failure == []
    (site.source / "kapot.txt").write_text("date 2018-13 Tekst.")
    assert site.rebuild() is False
    assert site.failure == ["src/kapot.txt:1: cannot read the date '2018-13'"]
    page = site.error_page().decode()
    assert "</head>" in page  # livereload puts its script there
    assert "src/kapot.txt:1: cannot read the date &#x27;2018-13&#x27;" in page
    (site.source / "kapot.txt").write_text("date 2018-07 Tekst.")
    assert site.rebuild() is True and site.failure == []


def test_a_broken_template_is_reported_with_its_file_and_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    theme = Path(shutil.copytree(REPO / "templates", tmp_path / "theme"))
    site = server(tmp_path, theme)
    assert site.rebuild() is True
    base = theme / "base.html"
    base.write_text(base.read_text().replace("{% block main %}", "{% block main %"))
    line = next(
        n for n, text in enumerate(base.read_text().splitlines(), 1) if "{% block main %" in text
    )
    assert site.rebuild() is False
    assert site.failure == [f"{base}:{line}: expected token 'end of statement block', got '%'"]
    base.write_text(base.read_text().replace("{% block main %", "{% block main %}"))
    assert site.rebuild() is True


def test_a_broken_settings_file_is_a_failure_too(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site = server(tmp_path)
    (site.source / "site.toml").write_text("language = 3\n")
    assert site.rebuild() is False
    assert site.failure == ["src/site.toml:1: 'language' must be text"]


def test_a_save_in_a_rebuild_that_failed_is_not_forgotten(tmp_path: Path, monkeypatch):
    """The watcher reports each save once; a rebuild that fails before it loads the
    articles (here: broken settings) must not lose the article saved with them."""
    monkeypatch.chdir(tmp_path)
    site = server(tmp_path)
    assert site.rebuild() is True
    article, settings = site.source / "002_f80c548452cfc866.txt", site.source / "site.toml"
    good = settings.read_text()
    article.write_text(article.read_text() + "\n\nHet woord xylofoonachtig is nieuw.")
    settings.write_text("language = 3\n")
    assert site.rebuild({str(article.resolve()), str(settings.resolve())}) is False
    settings.write_text(good)
    assert site.rebuild({str(settings.resolve())}) is True
    pages = [p for p in site.out.rglob("index.html") if "xylofoonachtig" in p.read_text()]
    assert len(pages) == 1


def test_after_a_full_build_the_site_is_checked_before_the_next_edit(tmp_path: Path, monkeypatch):
    """A build through the staging folder hands over no manifest: serve reads and checks it
    right after (0.2-0.5 s at 10,000 articles), so that the first edit does not wait."""
    from generator.write import read_tree

    monkeypatch.chdir(tmp_path)
    site = server(tmp_path)
    assert site.rebuild() is True and site.state.last is not None
    tree = site.state.last.tree
    manifest = read_tree(site.out)
    assert tree is not None and manifest is not None and tree.files == manifest.files


def test_cards_rendered_while_waiting_are_those_an_edit_would_render(tmp_path: Path, monkeypatch):
    """After a full build by worker processes, `serve` renders the cards itself a few at
    a time while it waits (`warm_step`): the next edit renders only the cards it changes,
    and the site is still a clean build's, also after an edit in the middle of warming."""
    from generator import parallel, serve
    from generator.render import Renderer

    from .test_patch import assert_same_site

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIJDLIJN_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # the seeds' pages rendered by workers
    monkeypatch.setattr(serve, "WARM_BATCH", 2)
    rendered: list[str] = []
    card = Renderer._card

    def counted(self: Renderer, article):
        if article.slug not in self._cards:
            rendered.append(article.slug.rsplit("-", 1)[-1])
        return card(self, article)

    monkeypatch.setattr(Renderer, "_card", counted)
    site = server(tmp_path)

    def add(name: str, date: str) -> None:
        """An article naming the seeds' two people with a page: on their lists."""
        (site.source / f"{name}.txt").write_text(
            f" date {date} Donald Trump en Vladimir Poetin bellen opnieuw ({name}).",
            encoding="utf-8",
        )
        rendered.clear()
        assert site.rebuild() is True and site.report is not None and site.report.patched
        clean = tmp_path / f"clean-{name}"
        assert SiteServer(site.source, clean).rebuild() is True
        assert_same_site(site.out, clean)

    def warm_steps() -> int:
        steps = 1
        while site.warm_step():
            steps += 1
        assert site.warm_from is None
        return steps

    assert site.rebuild() is True
    assert rendered == [] and site.warm_from == 0, "the workers rendered the cards"
    assert warm_steps() == 3  # five articles, two a step
    add("eerste", "2017-06-01")
    assert rendered == ["eerste"], "the new card only"

    (site.source / "site.toml").write_text('title = "Anders"\n', encoding="utf-8")
    assert site.rebuild() is True and not site.report.patched and site.warm_from == 0
    assert site.warm_step() is True  # two cards of six
    add("tweede", "2017-06-02")  # patched in the middle of warming
    assert len(rendered) > 1, "cards not warmed yet, rendered by the edit"
    assert warm_steps() == 3  # the rest of seven, from the third
    add("derde", "2017-06-03")
    assert rendered == ["derde"]
