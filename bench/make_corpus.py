"""Write a deterministic corpus of realistic news articles for benchmarks.

    python bench/make_corpus.py --n N --out DIR [--format seed|md|hugo|hugo-same|pelican] [--seed S]

The articles are recombined from the five seed texts in `seeds/`: whole paragraphs and
new paragraphs of seed sentences, with the seeds' sub-headings between paragraphs now and
then.  Each article opens with a lead sentence made of the seeds' own names, places and
topics (`Sergej Lavrov spreekt in Helsinki met Donald Trump over cyberveiligheid`), so that
every headline (and so every page address) is unique and a few names recur across months;
each month favours a pair of names, which gives its event a name of its own.  Dates are
spread over 2015-2024, about a third of them with day precision.

`hugo` and `pelican` are the issue's comparison site: an index page and a page per article.
`hugo-same` is Tijdlijn's own site made by Hugo, as far as Hugo can: the names Tijdlijn
finds in the same articles (those with a page of their own) and each article's month
become taxonomies, their pages list cards (date, headline, summary, names) a hundred a
page, the home page shows each event with its first cards, an article's page links its
names, its neighbours and five related articles (Hugo's related content, by shared
names), with a feed and a sitemap; not Tijdlijn's search index, timeline.json or chart.

With `--people N` each article also quotes three of N people that no seed names, drawn
with a long tail (Zipf, s = 1.05: a few are quoted often, most once or twice), as a real
archive names thousands of people where the seeds name a few dozen; the names, their
pages and the index of names then grow with the archive (without it, 10,000 articles
have about 150 names with a page).

Article i depends only on --seed, --people and i: a corpus of 200 is the first 200 articles of a
corpus of 2000, and the same arguments give byte-identical files in every format.  All
formats carry the same text: only the header and the sub-heading markup differ.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import multiprocessing
import random
import re
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FORMATS = ("seed", "md", "hugo", "hugo-same", "pelican")
FIRST_YEAR, YEARS = 2015, 10
SLUG_MAX = 60
TITLE_MAX = 110  # Tijdlijn cuts longer headlines; keep them whole in every format
TITLE = "Trump en Rusland, 2015-2024"
DESCRIPTION = "Een benchmarkcorpus, samengesteld uit de vijf voorbeeldartikelen."

# Names, places and topics that occur in the seeds, for the lead sentences.
PEOPLE = (
    "Donald Trump",
    "Vladimir Poetin",
    "Sergej Lavrov",
    "Sergej Kislyak",
    "John Bolton",
    "Hillary Clinton",
    "John McCain",
    "Lindsey Graham",
    "Dan Coates",
    "Herbert McMaster",
    "Mario Rubio",
)
PLACES = (
    "Helsinki",
    "Washington",
    "Moskou",
    "Hamburg",
    "Jeruzalem",
    "het Witte Huis",
    "het Kremlin",
    "St. Petersburg",
)
TOPICS = (
    "cyberveiligheid",
    "Islamitische Staat",
    "de Krim",
    "MH17",
    "Syrië",
    "Noord-Korea",
    "kernwapens",
    "terrorisme",
    "Russisch gas voor Duitsland",
    "de presidentsverkiezingen",
    "staatsgeheimen",
    "de NAVO",
    "Iran en Hezbollah",
)
WHEN = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "opnieuw",
    "vandaag",
    "donderdagavond",
)
LEADS = (
    "{a} spreekt {when} in {place} met {b} over {topic}",
    "{a} en {b} praten {when} in {place} over {topic}",
    "{a} waarschuwt {b} {when} in {place} voor de gevolgen van {topic}",
    "{a} belt {when} met {b} over {topic}",
    "{a} bekritiseert {b} na het overleg over {topic} in {place}",
    "Ophef in {place} nadat {a} {when} met {b} sprak over {topic}",
    "{a} ontmoet {b} {when} in {place} om te praten over {topic}",
    "{a} wil {when} opheldering van {b} over {topic}",
    "Nieuw overleg in {place}: {a} en {b} zoeken toenadering over {topic}",
    "{a} verdedigt {when} in {place} de koers van {b} rond {topic}",
)
EDIT_SENTENCE = "Dit bericht is later bijgewerkt."
# The long tail of people (`--people`): first names, a prefix, family names.
FIRST_NAMES = """Anna Bram Carla Daan Eva Finn Greet Hugo Iris Jan Kees Lieke Marco Nina Olaf
Petra Quinten Rosa Sander Tess Ulrich Vera Wim Xander Yara Zeger Abel Britt Cor Dewi Emma Floor
Gijs Hanna Ids Jet Koen Lot Mees Noor Otto Pien Roel Sara Teun Uma Vince Wout Yfke Zoë Aart Bas
Chantal Dirk Elif Frits Gerda Hans Inge Joost Karin Lars Maud Niels Olga Pim Ruud Sietske Thijs
Ursula Victor Wendy Yusuf Zainab""".split()
PREFIXES = ("", "van ", "van der ", "van den ")
FAMILY_NAMES = """Aalders Beek Blom Bos Brink Brouwer Bruin Dam Dekker Dijkstra Drost Engels Evers
Faber Gerritsen Gorter Graaf Groot Haan Hendriks Hermans Heijnen Hoekstra Hofman Huisman Jacobs
Jonker Kaya Kok Koning Koster Kramer Kroon Kuiper Kuipers Lambers Linden Maas Meijer Mol Molenaar
Nijhuis Otten Pauw Peters Pinas Poortman Post Postma Prins Pronk Ramdin Rijnders Roos Rutten Sahin
Schouten Scholten Sluiter Smit Stam Sterk Timmer Tjon Veenstra Veldman Verhoeven Vermeulen Vink
Visser Vos Wessels Willems Wijnands Wolters Wouters Yilmaz Zwart""".split()
QUOTED_PER_ARTICLE = 3

# People no generated article names: `name_edit` adds one of them to an article.
NEW_NAMES = ("Marieke Jansen", "Pieter Bakker", "Sanne Visser", "Ruben Smit", "Lotte Mulder")


@dataclass(frozen=True)
class Article:
    """One generated article, in a form every output format can write."""

    number: int
    year: int
    month: int
    day: int | None  # None: known only to the month
    title: str  # the lead's first sentence without its full stop
    slug: str
    blocks: tuple[tuple[str, str], ...]  # ("p" | "h", text)

    @property
    def date(self) -> str:
        """The date as written in a Tijdlijn article: `2017-05` or `2017-05-16`."""
        month = f"{self.year:04d}-{self.month:02d}"
        return month if self.day is None else f"{month}-{self.day:02d}"

    @property
    def full_date(self) -> str:
        """A day for tools that need one (Hugo, Pelican): the 1st when only the month is known."""
        return f"{self.year:04d}-{self.month:02d}-{self.day or 1:02d}"

    @property
    def stem(self) -> str:
        """A file name stem in the style of the seeds: `00042_3f2a9c1b7e0d4c55`."""
        digest = hashlib.sha256(f"{self.number}:{self.title}".encode()).hexdigest()[:16]
        return f"{self.number:05d}_{digest}"


@dataclass(frozen=True)
class SeedText:
    """The paragraphs, sentences and sub-headings of one seed file."""

    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]
    headings: tuple[str, ...]


# --- reading the seeds ----------------------------------------------------------------------

_CAPTION = re.compile(r"Volledig scherm\b[^©\n]*©\s*\S+\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'‘“„(]?[A-Z0-9À-Þ])")
_CLOSING = ".!?:;,…)]\"'”’"


def _looks_like_heading(chunk: str) -> bool:
    return len(chunk) <= 60 and len(chunk.split()) <= 8 and chunk[-1] not in _CLOSING


def _split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph; `St. Petersburg` stays whole."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        piece = paragraph[start : match.start()]
        if piece.endswith(" St."):
            continue
        parts.append(paragraph[start : match.end()].strip())
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def _balanced(sentence: str) -> bool:
    """Whether a sentence can stand alone: its double quotes are closed."""
    opening = sentence.count("„") + sentence.count("“")
    return opening == sentence.count("”") and sentence.count('"') % 2 == 0


def read_seed(text: str) -> SeedText:
    """Split one seed file into clean paragraphs, sentences and sub-headings.

    Scraper leftovers are removed here (photo captions, pull quotes, `,,` for „), so the
    corpus is the same clean text in every format."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\A\s*date\s+\S+\s*", "", text)
    text = _CAPTION.sub("", text).replace(",,", "„")
    chunks = [" ".join(c.split()) for c in re.split(r"\n\s*\n", text)]
    chunks = [c for c in chunks if c and not c.startswith("Quote ")]
    headings = [c for c in chunks[1:-1] if _looks_like_heading(c)]
    paragraphs = [c for c in chunks if c not in headings]
    sentences = [s for p in paragraphs for s in _split_sentences(p) if _balanced(s)]
    return SeedText(tuple(paragraphs), tuple(s for s in sentences if len(s) > 20), tuple(headings))


def read_seeds(folder: Path = SEEDS) -> list[SeedText]:
    """The seed texts, in file name order."""
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"{folder}: no seed .txt files found")
    return [read_seed(path.read_text(encoding="utf-8")) for path in files]


# --- making articles ------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by `-`, cut at a word boundary to SLUG_MAX characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SLUG_MAX:
            break
        slug = candidate
    return slug or "artikel"


class CorpusMaker:
    """Makes article after article; article i depends only on the seed and i."""

    def __init__(self, seeds: Sequence[SeedText], seed: int, people: int = 0) -> None:
        self.seeds = list(seeds)
        self.seed = seed
        self.people = long_tail(seed, people)
        self.weights = list(itertools.accumulate(1 / rank**1.05 for rank in range(1, people + 1)))
        self.all_headings = sorted({h for s in self.seeds for h in s.headings})
        self.used_slugs: set[str] = set()
        self.months: dict[tuple[int, int], tuple[int, str, str, str]] = {}
        self.tries = 1000  # lead sentences tried before a sequel is made
        self.sequels: dict[str, int] = {}  # title -> its next sequel number

    def _month_theme(self, year: int, month: int) -> tuple[int, str, str, str]:
        """A month's favourite seed, pair of people and place: they recur within the month."""
        key = (year, month)
        if key not in self.months:
            rng = random.Random(f"{self.seed}:month:{year}-{month}")
            a, b = rng.sample(PEOPLE[:6], 2) if rng.random() < 0.7 else rng.sample(PEOPLE, 2)
            self.months[key] = (rng.randrange(len(self.seeds)), a, b, rng.choice(PLACES))
        return self.months[key]

    def _lead(self, rng: random.Random, theme: tuple[int, str, str, str]) -> tuple[str, str]:
        """A lead sentence (as title) whose slug no earlier article has."""
        _, fav_a, fav_b, fav_place = theme
        for _ in range(self.tries):
            a, b = (fav_a, fav_b) if rng.random() < 0.6 else tuple(rng.sample(PEOPLE, 2))
            place = fav_place if rng.random() < 0.5 else rng.choice(PLACES)
            title = rng.choice(LEADS).format(
                a=a, b=b, place=place, topic=rng.choice(TOPICS), when=rng.choice(WHEN)
            )
            title = title[0].upper() + title[1:]
            slug = slugify(title)
            if len(title) <= TITLE_MAX and slug not in self.used_slugs:
                self.used_slugs.add(slug)
                return title, slug
        # Beyond some tens of thousands of articles the combinations run out: number a
        # sequel of the last one tried, in front, where the slug keeps it.  From then on a
        # few tries are enough (smaller corpora never get here, so they stay as they were).
        self.tries = 20
        sequel = self.sequels.get(title, 2)
        while slugify(f"Vervolg {sequel}: {title}") in self.used_slugs:
            sequel += 1
        self.sequels[title] = sequel + 1
        title = f"Vervolg {sequel}: {title}"
        self.used_slugs.add(slugify(title))
        return title, slugify(title)

    def article(self, number: int) -> Article:
        """Article `number` of the corpus."""
        rng = random.Random(f"{self.seed}:article:{number}")
        month_index = rng.randrange(YEARS * 12)
        year, month = FIRST_YEAR + month_index // 12, month_index % 12 + 1
        day = rng.randint(1, 28) if rng.random() < 1 / 3 else None
        theme = self._month_theme(year, month)
        favourite = self.seeds[theme[0]]

        def source() -> SeedText:
            return favourite if rng.random() < 0.7 else rng.choice(self.seeds)

        title, slug = self._lead(rng, theme)
        lead = [f"{title}.", *rng.sample(source().sentences, rng.randint(1, 2))]
        blocks: list[tuple[str, str]] = [("p", " ".join(lead))]
        for index in range(rng.randint(3, 9)):
            if index and blocks[-1][0] == "p" and rng.random() < 0.2:
                pool = source().headings or tuple(self.all_headings)
                blocks.append(("h", rng.choice(pool)))
            seed = source()
            if rng.random() < 0.6:
                blocks.append(("p", rng.choice(seed.paragraphs)))
            else:
                picked = rng.sample(seed.sentences, min(len(seed.sentences), rng.randint(2, 4)))
                blocks.append(("p", " ".join(picked)))
        if blocks[-1][0] == "h":
            blocks.pop()
        if self.people:  # (a generator of its own: without people, articles are as they were)
            quoted = random.Random(f"{self.seed}:people:{number}").choices(
                self.people, cum_weights=self.weights, k=QUOTED_PER_ARTICLE
            )
            first, *others = quoted
            text = f"Volgens de krant sprak {first} erover. "
            text += " ".join(f"Ook {person} reageerde." for person in others)
            blocks.append(("p", text))
        return Article(number, year, month, day, title, slug, tuple(blocks))


def long_tail(seed: int, count: int) -> list[str]:
    """`count` people, the most often quoted first: names no seed has, in a fixed order
    for the seed."""
    if count == 0:
        return []
    everyone = [f"{f} {p}{n}" for f in FIRST_NAMES for p in PREFIXES for n in FAMILY_NAMES]
    if count > len(everyone):
        raise SystemExit(f"--people: at most {len(everyone)}")
    random.Random(f"{seed}:people").shuffle(everyone)
    return everyone[:count]


def make_articles(
    n: int, seed: int = 1, seeds_folder: Path = SEEDS, people: int = 0
) -> list[Article]:
    """The first `n` articles of the corpus for `seed` (and `people`, see the module's
    docstring)."""
    maker = CorpusMaker(read_seeds(seeds_folder), seed, people)
    return [maker.article(i) for i in range(n)]


# --- writing formats ------------------------------------------------------------------------


def _body(article: Article, heading: str) -> str:
    """Blocks separated by blank lines; sub-headings prefixed with `heading` (may be empty)."""
    parts = [f"{heading}{text}" if kind == "h" else text for kind, text in article.blocks]
    return "\n\n".join(parts) + "\n"


def render_seed(article: Article) -> str:
    """The plain-text format of `seeds/`: ` date 2017-05 <lead>` and paragraphs."""
    return f" date {article.date} {_body(article, '')}"


def render_md(article: Article) -> str:
    """Tijdlijn's Markdown with a `Key: value` header (`# ` is an <h2> there)."""
    header = f"Title: {article.title}\nDate: {article.date}\nSlug: {article.slug}\n"
    return f"{header}\n{_body(article, '# ')}"


def render_hugo(article: Article, names: Sequence[str] | None = None) -> str:
    """Hugo content with TOML front matter; with `names` (format hugo-same), those and the
    month (the event) as taxonomies."""
    front = (
        f"+++\ntitle = {json.dumps(article.title, ensure_ascii=False)}\n"
        f"date = {article.full_date}\nslug = {json.dumps(article.slug)}\n"
    )
    if names is not None:
        front += (
            f"events = [{json.dumps(f'{article.year:04d}-{article.month:02d}')}]\n"
            f"names = {json.dumps(list(names), ensure_ascii=False)}\n"
        )
    return f"{front}+++\n\n{_body(article, '## ')}"


def tijdlijn_names(articles: Sequence[Article]) -> dict[int, list[str]]:
    """Each article's names with a page of their own, as Tijdlijn finds them in the same
    articles (most mentioned first), by article number.

    Tijdlijn runs in a process of its own: its site model (60 MB at 10,000 articles)
    would otherwise raise this process's peak RSS, and Linux carries a process's peak
    over into every child it starts, so bench/run.py would report it for each build."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "corpus"
        write_corpus(articles, source, "seed")
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            by_stem = pool.submit(_names_by_stem, source, Path(folder) / "site").result()
    return {article.number: by_stem.get(article.stem, []) for article in articles}


def _names_by_stem(source: Path, out: Path) -> dict[str, list[str]]:
    """Tijdlijn's load and model on a seed-format corpus: each file's names with a page."""
    sys.path.insert(0, str(REPO))
    from generator.config import load_config
    from generator.load import load_documents
    from generator.model import build_site

    documents, _ = load_documents(source)
    site, _ = build_site(documents, load_config(source, None, out=out))
    return {
        Path(article.source_path).stem: [entry.name for entry in site.names_with_pages(article)]
        for article in site.articles
    }


def render_pelican(article: Article) -> str:
    """Pelican Markdown with its metadata header."""
    header = (
        f"Title: {article.title}\nDate: {article.full_date}\nSlug: {article.slug}\n"
        "Category: nieuws\n"
    )
    return f"{header}\n{_body(article, '## ')}"


SITE_TOML = f'title = "{TITLE}"\ndescription = "{DESCRIPTION}"\nlanguage = "nl"\n'

HUGO_CONFIG = f"""\
baseURL = "https://example.org/"
languageCode = "nl"
title = "{TITLE}"
# One index page plus one page per article, nothing else.
disableKinds = ["taxonomy", "term", "section", "RSS", "sitemap", "robotsTXT", "404"]

[permalinks]
posts = "/:year/:month/:slug/"
"""

# An article page's links to the one before and after it.
_HUGO_NEIGHBOURS = """\
<nav>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
</article>
"""
    + _HUGO_NEIGHBOURS,
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ol>
{{ range .Site.RegularPages.ByDate }}
<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary }}</p></li>
{{ end }}
</ol>
{{ end }}
""",
}

PELICAN_CONFIG = f"""\
# Minimal Pelican settings: one index page plus one page per article.
AUTHOR = ""
SITENAME = "{TITLE}"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
DEFAULT_DATE_FORMAT = "%d %B %Y"

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index"]
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
PAGE_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
STATIC_PATHS = []
LINKS = ()
SOCIAL = ()
RELATIVE_URLS = True
DISPLAY_CATEGORIES_ON_MENU = False
DISPLAY_PAGES_ON_MENU = False
"""


HUGO_SAME_CONFIG = f"""\
baseURL = "https://example.org/"
languageCode = "nl"
title = "{TITLE}"
# Tijdlijn's site as far as Hugo makes it: see the module's docstring.
disableKinds = ["section", "robotsTXT"]
rssLimit = 50

[permalinks]
posts = "/:year/:month/:slug/"

[taxonomies]
event = "events"
name = "names"

[outputs]
home = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML"]

[related]
threshold = 1
includeNewer = true
toLower = false
[[related.indices]]
name = "names"
weight = 100
# as Tijdlijn: names in more than half of all articles relate nothing
cardinalityThreshold = 50
"""

# A card as Tijdlijn's: date, headline, summary, the first four names (CARD_NAMES).
_HUGO_CARD = """\
<article class="card">
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ .Summary }}</p>
{{ with .GetTerms "names" }}<ul>{{ range first 4 . }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
"""

HUGO_SAME_LAYOUTS = {
    "_default/baseof.html": HUGO_LAYOUTS["_default/baseof.html"],
    "partials/card.html": _HUGO_CARD,
    "_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "events" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
{{ with .GetTerms "names" }}<ul>{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
{{ with .Site.RegularPages.Related . | first 5 }}
<ul>{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul>
{{ end }}
"""
    + _HUGO_NEIGHBOURS,
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages.ByDate 100 }}
<ol>{{ range $pager.Pages }}<li>{{ partialCached "card.html" . .RelPermalink }}</li>{{ end }}</ol>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">vorige</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">volgende</a>{{ end }}</nav>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ range .Site.Taxonomies.events.Alphabetical }}
<section><h2><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</h2>
<ol>{{ range first 3 .Pages.ByDate }}
<li>{{ partialCached "card.html" . .RelPermalink }}</li>
{{ end }}</ol>
</section>
{{ end }}
{{ end }}
""",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_corpus(articles: Sequence[Article], out: Path, fmt: str) -> int:
    """Write `articles` under `out` in format `fmt`; returns the number of article files."""
    if fmt == "seed":
        _write(out / "site.toml", SITE_TOML)
        for article in articles:
            _write(out / f"{article.stem}.txt", render_seed(article))
    elif fmt == "md":
        _write(out / "site.toml", SITE_TOML)
        for article in articles:
            _write(out / f"{article.stem}.md", render_md(article))
    elif fmt in ("hugo", "hugo-same"):
        same = fmt == "hugo-same"
        _write(out / "config.toml", HUGO_SAME_CONFIG if same else HUGO_CONFIG)
        for name, text in (HUGO_SAME_LAYOUTS if same else HUGO_LAYOUTS).items():
            _write(out / "layouts" / name, text)
        names = tijdlijn_names(articles) if same else {}
        for article in articles:
            text = render_hugo(article, names.get(article.number))
            _write(out / "content" / "posts" / f"{article.stem}.md", text)
    elif fmt == "pelican":
        _write(out / "pelicanconf.py", PELICAN_CONFIG)
        for article in articles:
            _write(out / "content" / f"{article.stem}.md", render_pelican(article))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return len(articles)


def content_folder(out: Path, fmt: str) -> Path:
    """Where the article files of a corpus in `fmt` are."""
    if fmt in ("hugo", "hugo-same"):
        return out / "content" / "posts"
    if fmt == "pelican":
        return out / "content"
    return out


def article_to_edit(folder: Path) -> Path:
    """The article the benchmarks edit: the middle one of a seed or Markdown corpus."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    return files[len(files) // 2]


def append_edit(path: Path, tag: str) -> None:
    """Append EDIT_SENTENCE and `(tag)` to the last paragraph of an article file: no new
    name, so its date, headline and names stay (a text edit, see generator/patch.py)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} {EDIT_SENTENCE} ({tag})\n", encoding="utf-8")


def name_edit(path: Path, number: int) -> None:
    """Append a sentence quoting someone the corpus has not named (another one for each
    `number`, from NEW_NAMES): an author's most common edit, and not one to the text
    alone, since the article's names change with it."""
    quote(path, NEW_NAMES[number % len(NEW_NAMES)], number)


def quote(path: Path, name: str, number: int) -> None:
    """Append a sentence quoting `name` (`number` tells the sentences apart)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} Volgens {name} is dat niet zo. ({number})\n", encoding="utf-8")


def edit_headline(path: Path, tag: str) -> None:
    """Add `(tag)` to an article's headline: to its `Title:` in Markdown; in the seed
    format (the headline is made from the lead's first sentence) after its first word in
    lower case.  Its page's
    address, cards, neighbours' links and search entry change with it."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = re.sub(r"^(Title: .*)$", rf"\1 ({tag})", text, count=1, flags=re.MULTILINE)
    else:  # after the lead's first word in lower case: not inside a name, nor after the
        # headline's end (the first `. ` may be an abbreviation's: `St. Petersburg`)
        start = re.match(r"\s*date\s+\S+\s+", text)
        word = re.compile(r"(?<![\w-])[a-z]{3,}(?![\w-])").search(text, start.end() if start else 0)
        if word is not None:
            text = f"{text[: word.end()]} ({tag}){text[word.end() :]}"
    path.write_text(text, encoding="utf-8")


def move_article(path: Path, number: int) -> None:
    """Give an article another date, a different one for each `number` (2013-2017, early
    in the corpus's ten years): it moves in time, and with it its place in its names'
    lists, its neighbours and its related articles."""
    moved = f"{2013 + number % 5}-{1 + number % 9:02d}"
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = re.sub(r"^Date: .*$", f"Date: {moved}", text, count=1, flags=re.MULTILINE)
    else:
        text = re.sub(r"^(\s*date\s+)\S+", rf"\g<1>{moved}", text, count=1)
    path.write_text(text, encoding="utf-8")


def add_article(folder: Path, tag: str, date: str = "2019-06") -> Path:
    """Write a new article, in the corpus's format: by default into the middle of its ten
    years."""
    lead = f"Donald Trump en Vladimir Poetin spreken opnieuw ({tag}). Het gesprek duurt uren."
    if any(folder.glob("*.md")):
        path = folder / f"nieuw-{tag}.md"
        path.write_text(
            f"Title: Donald Trump en Vladimir Poetin spreken opnieuw ({tag})\n"
            f"Date: {date}\nSlug: nieuw-{tag}\n\n{lead}\n",
            encoding="utf-8",
        )
    else:
        path = folder / f"nieuw-{tag}.txt"
        path.write_text(f" date {date} {lead}\n", encoding="utf-8")
    return path


def add_newest(folder: Path, number: int) -> Path:
    """Write a new article dated after every other (day `number` of the January after
    the corpus's ten years), as a newsroom adds the latest on a story to its archive."""
    return add_article(folder, f"n{number}", f"{FIRST_YEAR + YEARS}-01-{number:02d}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (new or empty)")
    parser.add_argument("--format", choices=FORMATS, default="seed", help="default: seed")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument(
        "--people", type=int, default=0, help="quote a long tail of this many people (default: 0)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be 0 or more")
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: exists and is not empty; choose a new folder", file=sys.stderr)
        return 1
    articles = make_articles(args.n, args.seed, people=args.people)
    count = write_corpus(articles, args.out, args.format)
    print(f"wrote {count} articles ({args.format}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
