"""Proper names (people, places, organisations) found in article text, and the
names that set one group of articles apart from the rest.

A heuristic for Dutch (and English) news text, corpus-wide:
- a name is a run of capitalised words (`Donald Trump`, `Witte Huis`,
  `The Washington Post`); a comma, a full stop or a lowercase word ends it;
- a capitalised word at the start of a sentence counts only if the corpus also
  has it capitalised in mid-sentence, so `Volgens` or `Dit` is never a name;
- nationality adjectives (`Russische`, `Amerikaanse`) count only inside a
  longer name (`Islamitische Staat`);
- a single word that is the last word of exactly one longer name is that name
  (`Lavrov` -> `Sergej Lavrov`); a Dutch possessive `s` is dropped (`Trumps`).
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .records import pickled_as_fields
from .spill import Kept
from .text import pack, sentence_breaks, unpack

_CAPITALISED = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w’'-]*|[A-Z]+\d[\w-]*)$")
_ADJECTIVE = re.compile(r"(?:isch|(?:isch|sch|aans|ees|eins|ns|ts|ds)e)$")
_OPENING = "\"'‘“„(«"
_NAME_ABBREVIATIONS = frozenset({"St", "Sint", "Dr", "Mr", "Jr"})
# Lowercase words that may stand inside a name: `Meet the Press`, `Bank of England`.
_CONNECTORS = frozenset({"the", "of", "van", "von", "der", "den", "la", "le", "du"})
STOPWORDS = frozenset(
    """
    de het een dit dat die deze hij zij ze ik we wij jij je u men er na in op als maar en ook
    volgens later over wat wie waar toen nu dan toch zo nog al bij van voor met aan uit tot door
    om te tijdens nadat omdat terwijl want dus wel niet geen ja nee hier daar zijn haar hun
    mijn ons onze jullie iedereen niemand alles niets elke ieder alle vandaag gisteren morgen
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei
    juni juli augustus september oktober november december nochtans pas of sinds tussen vorige
    vorig volgende dankzij zonder
    russen amerikanen duitsers fransen britten belgen nederlanders europeanen chinezen
    democraten republikeinen israëliërs iraniërs syriërs oekraïners palestijnen
    the a an and or but of to in on at for with by he she they we it this that there
    """.split()
)
# Ministry portfolios are capitalised but say nothing of whose ministry it is.
NOT_NAMES = frozenset(
    {
        "Buitenlandse Zaken",
        "Binnenlandse Zaken",
        "Economische Zaken",
        "Justitie",
        "Defensie",
        "Financiën",
        "Volksgezondheid",
    }
)
TITLES = frozenset(
    "minister president premier ambassadeur senator senatoren generaal koning koningin "
    "prins paus burgemeester directeur voorzitter mr dr prof".split()
)


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class TextScan:
    """What one text says about names before the rest of the corpus is known: done
    once per article (in any process, and cacheable), resolved by a NameFinder.

    Kept as packed text (`text.pack`), not as tuples and sets of words: an archive
    holds hundreds of thousands of runs, and a Python object per word would take five
    times the text (and as long again to pass from the process that parsed it to the
    one that builds).  `serve` and incremental builds keep every article's scan from
    build to build; a build reads them three times (see model.py's `_Mentions`)."""

    packed: Kept  # `mid_text`, a NUL (never in a word), `runs_text`: see `text.pack`
    lead_runs: int  # how many of the runs are in the first block (the lead)

    @classmethod
    def of(
        cls, mid: set[str], runs: list[tuple[tuple[str, ...], bool]], lead_runs: int
    ) -> TextScan:
        lines = (("^" if initial else "") + " ".join(words) for words, initial in runs)
        text = "\n".join(sorted(mid)) + "\0" + "\n".join(lines)
        return cls(pack(text.encode("utf-8")), lead_runs)

    @property
    def runs_text(self) -> str:
        """Candidate runs, one per line, words by spaces, "^" first if clause-initial."""
        return self.unpacked()[2]

    def unpacked(self) -> tuple[str, str, str]:
        """`mid_text` (the capitalised words seen in mid-sentence, one per line), a NUL,
        `runs_text`."""
        return unpack(self.packed).decode("utf-8").partition("\0")

    @property
    def run_lines(self) -> list[str]:
        runs_text = self.runs_text
        return runs_text.split("\n") if runs_text else []


def _parse_run(line: str) -> tuple[tuple[str, ...], bool]:
    initial = line.startswith("^")
    return tuple(line.removeprefix("^").split(" ")), initial


_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"(?:{'|'.join(sorted(_NAME_ABBREVIATIONS))})\.|[’'-]*[{_UPPER}][\w’'-]*"
_CONN = "|".join(sorted(_CONNECTORS))
# A segment: capitalised words (and connectors between them) separated by single spaces,
# never across punctuation.  Everything else in a sentence cannot be part of a name.
_MORE_WORDS = rf"(?:(?: (?:{_CONN}))* (?:{_WORD}))*(?![\w’'-])"
SEGMENT_AS_WRITTEN = rf"(?<![\w’'-])(?:{_WORD}){_MORE_WORDS}"
# The same search, faster: Python's regex engine skips ahead to a possible first
# character only when a pattern starts with a character class, not with an assertion.
# So the first character is taken first, and the rest of the first word is matched
# from there, in the same order of alternatives (tests/test_properties.py compares the
# two).  About 0.08 ms less per article, out of 1.2 ms to load it.
_FIRST_REST = "|".join(
    [rf"(?<={a[0]}){re.escape(a[1:])}\." for a in sorted(_NAME_ABBREVIATIONS)]
    + [rf"(?<=[’'-])[’'-]*[{_UPPER}][\w’'-]*", rf"(?<=[{_UPPER}])[\w’'-]*"]
)
_SEGMENT = re.compile(rf"[’'\-{_UPPER}](?<![\w’'-].)(?:{_FIRST_REST}){_MORE_WORDS}")
_STRIP = "’'-"
_CLAUSE_START = _OPENING + ":;"  # after one of these, a capital may just start the clause
# A capitalised word with nothing for `_segment_runs` to take apart (no hyphen, quote, dot).
_PLAIN_WORD = re.compile(rf"[{_UPPER}]\w*$")


def scan_text(blocks: Sequence[str]) -> TextScan:
    """Find the candidate runs of a text once (cacheable, in any process): a regular
    expression finds each segment of capitalised words (with connectors such as `the`
    or `van` between them, never across punctuation); only those are looked at word
    by word."""
    mid: set[str] = set()
    runs: list[tuple[tuple[str, ...], bool]] = []
    lead = 0
    for index, block in enumerate(blocks):
        text = " ".join(block.split())
        # Segments never cross a sentence break (it has punctuation), so the whole block
        # is searched at once; a segment at a sentence's start is clause-initial.
        starts = {0, *(start for _, start in sentence_breaks(text))}
        for match in _SEGMENT.finditer(text):
            start = match.start()
            if start in starts:
                initial = True
            else:
                before = start - 2 if text[start - 1] == " " else start - 1
                initial = text[before] in _CLAUSE_START
            segment = match.group()
            if " " in segment or not _PLAIN_WORD.match(segment) or segment == "The":
                segment_mid, segment_runs = _segment_runs(segment, initial)
                mid.update(segment_mid)
                runs.extend(segment_runs)
            elif segment.lower() not in STOPWORDS:  # most segments: one plain word
                if not initial:
                    mid.add(segment)
                runs.append(((segment,), initial))
        if index == 0:
            lead = len(runs)
    return TextScan.of(mid, runs, lead)


@lru_cache(maxsize=65536)  # the same names recur all through an archive
def _segment_runs(
    segment: str, initial: bool
) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], bool], ...]]:
    """The runs in one segment, and its capitalised words not at a clause's start.  A
    compound with a lowercase tail (`Huis-woordvoerster`, `G20-top`) ends a run with its
    head; on its own the head counts only as an acronym (`G20`)."""
    mid: list[str] = []
    runs: list[tuple[tuple[str, ...], bool]] = []
    run: list[str] = []
    run_initial = False
    pending: list[str] = []  # connectors waiting for a capitalised word
    for position, raw in enumerate(segment.split(" ")):
        word = raw.strip(_STRIP)
        first = position == 0
        is_initial = initial and first
        if not word:
            continue
        if word in _CONNECTORS and not first:
            if run:
                pending.append(word)
            continue
        capitalised = bool(_CAPITALISED.match(word.rstrip(".")))
        if capitalised and not is_initial and word.lower() not in STOPWORDS:
            mid.append(word)
        head, _, tail = word.partition("-")
        if tail and not _CAPITALISED.match(word.rsplit("-", 1)[1]):
            acronym = (head.isupper() or any(c.isdigit() for c in head)) and len(head) > 1
            if run or acronym:
                runs.append(((*run, head), run_initial if run else False))
            run, pending = [], []
            continue
        if capitalised and (run or word.lower() not in STOPWORDS or word == "The"):
            if not run:
                run_initial = is_initial
            run += [*pending, word]
            pending = []
        else:
            if run:
                runs.append((tuple(run), run_initial))
            run, pending = [], []
    if run:
        runs.append((tuple(run), run_initial))
    return tuple(mid), tuple(runs)


class NameFinder:
    """Resolves the scans of a whole corpus into names: a sentence-initial word counts
    only if some text has it in mid-sentence.  The same run of words recurs thousands
    of times in an archive; each distinct run is resolved once."""

    def __init__(self, scans: Iterable[TextScan]) -> None:
        mid_sentence: set[str] = set()
        lines: set[str] = set()  # every distinct run of the corpus
        for scan in scans:
            mid_text, _, runs_text = scan.unpacked()
            mid_sentence.update(mid_text.split("\n"))
            lines.update(runs_text.split("\n"))
        mid_sentence.discard("")
        lines.discard("")
        self._start(mid_sentence, lines)

    def _start(self, mid_sentence: set[str], lines: Iterable[str]) -> dict[str, str | None]:
        """Resolve each distinct run once, here: the same runs recur all through an
        archive (`Trump`, `Witte Huis`), and `find` then only looks them up.  Returns
        what each stands for before the possessive rule."""
        self.mid_sentence = mid_sentence
        resolved = {line: self._resolve(*_parse_run(line)) for line in lines}
        self._whole: set[str] = {name for name in resolved.values() if name and " " in name}
        self._resolved: dict[str, str | None] = {
            line: self._possessive(name) for line, name in resolved.items()
        }
        return resolved

    def find(self, scan: TextScan) -> list[str]:
        """The names in a scanned text, in order of appearance, one entry per mention."""
        return self.find_with_lead(scan)[0]

    def find_with_lead(self, scan: TextScan) -> tuple[list[str], list[str]]:
        """The names in the whole text, and those in its lead (the first block)."""
        name_of = self.name_of_run
        names = [name_of(line) for line in scan.run_lines]
        found = [name for name in names if name is not None]
        lead = [name for name in names[: scan.lead_runs] if name is not None]
        return found, lead

    @property
    def names_found(self) -> set[str]:
        """Every distinct name in the texts the finder was made from (and any `find`
        was asked of since)."""
        return {name for name in self._resolved.values() if name is not None}

    @property
    def runs(self) -> Mapping[str, str | None]:
        """Each distinct run of the texts (a line of `TextScan.runs_text`) and the name it
        stands for (None: no name)."""
        return self._resolved

    def name_of_run(self, line: str) -> str | None:
        """The name a run (a line of `TextScan.runs_text`) stands for, resolved once."""
        try:
            return self._resolved[line]
        except KeyError:
            name = self._resolved[line] = self._possessive(self._resolve(*_parse_run(line)))
            return name

    def _possessive(self, name: str | None) -> str | None:
        """A name of several words without a Dutch possessive `s` (`Donald Trumps`) if the
        texts name it so too: not by its last word alone, as `_resolve` goes by for one
        word, since many family names end in an `s` that another one lacks (`Mees Kuipers`
        and `Petra Kuiper`, `Sarah Sanders` and `Sander Smit`)."""
        if name is None or " " not in name:
            return name
        head, _, last = name.rpartition(" ")
        base = _possessive_base(last)
        return f"{head} {base}" if base != last and f"{head} {base}" in self._whole else name

    def _known(self, word: str) -> bool:
        if word.lower() in STOPWORDS and word != "The":
            return False
        return word in self.mid_sentence or _possessive_base(word) in self.mid_sentence

    def _resolve(self, words: tuple[str, ...], initial: bool) -> str | None:
        run = list(words)
        if initial and not self._known(run[0]):
            run = run[1:]
            # the next word starts afresh: a stopword cannot start a name
            while run and run[0].lower() in STOPWORDS and run[0] != "The":
                run = run[1:]
        while run and (run[0].lower() in TITLES or (run[0].lower() in STOPWORDS and len(run) < 3)):
            run = run[1:]
        while run and (run[-1].lower() in STOPWORDS or run[-1] in _CONNECTORS):
            run = run[:-1]
        if run and _ADJECTIVE.search(run[0]) and (len(run) == 1 or run[1].isupper()):
            run = run[1:]  # `Russische`, `Amerikaanse VN`
        for generic in NOT_NAMES:
            if " ".join(run[: generic.count(" ") + 1]) == generic:
                run = run[generic.count(" ") + 1 :]  # `Buitenlandse Zaken Sergej Lavrov`
                break
        if not run:
            return None
        base = _possessive_base(run[-1])
        if len(run) == 1 and base != run[-1] and base in self.mid_sentence:
            run = [base]  # `Trumps` -> `Trump` (several words: see `_possessive`)
        return " ".join(run)


class EditableNameFinder(NameFinder):
    """A NameFinder that can be told of an edit to one text (`edited`), for `serve` and
    incremental builds: it counts the texts each run and each mid-sentence word is in,
    so that it knows when one comes or goes, and keeps what each run resolved to before
    the possessive rule (`_raw`), on which that rule works.  (Counting costs a build
    about 35 ms at 10,000 articles: only those that patch edits pay it.)"""

    def __init__(self, scans: Iterable[TextScan]) -> None:
        self._mid_counts: Counter[str] = Counter()  # word -> texts with it in mid-sentence
        self._line_counts: Counter[str] = Counter()  # run -> texts with it
        for scan in scans:
            mid, lines = _distinct(scan)
            self._mid_counts.update(mid)
            self._line_counts.update(lines)
        self._raw = self._start(set(self._mid_counts), self._line_counts)
        self._whole_counts = Counter(name for name in self._raw.values() if name and " " in name)

    def edited(self, old: TextScan, new: TextScan) -> EditableNameFinder | None:
        """This finder with one text's scan `old` replaced by `new` (this one is left as
        it was); None if that changes the name a run of any other text stands for (a word
        seen in mid-sentence for the first time or no longer, a name of several words
        that a possessive now drops its `s` for, or no longer)."""
        old_mid, old_lines = _distinct(old)
        new_mid, new_lines = _distinct(new)
        other = copy.copy(self)
        other._mid_counts = self._mid_counts.copy()
        other._line_counts = self._line_counts.copy()
        mid_changed = _recount(other._mid_counts, old_mid, new_mid)
        if mid_changed:
            other.mid_sentence = set(other._mid_counts)
        lines_changed = _recount(other._line_counts, old_lines, new_lines)
        other._raw, other._resolved = dict(self._raw), dict(self._resolved)
        other._whole_counts = self._whole_counts.copy()
        again = {line for line in lines_changed if line in other._line_counts}  # new runs
        for line in lines_changed - again:  # runs no text has any more
            other._count_whole(other._raw.pop(line), -1)
            del other._resolved[line]
        # `_resolve` reads which words are seen in mid-sentence: the runs with a word that
        # came or went are resolved again (a run holds every word it was resolved from).
        again |= other._containing(mid_changed)
        for line in again:
            other._count_whole(other._raw.get(line), -1)
            other._raw[line] = other._resolve(*_parse_run(line))
            other._count_whole(other._raw[line], 1)
        other._whole = set(other._whole_counts)
        # `_possessive` reads the names of several words: a run whose name is one that
        # came or went with an `s` is looked at again (its name holds the other's text).
        again |= other._containing(other._whole ^ self._whole)
        for line in again:
            other._resolved[line] = name = other._possessive(other._raw[line])
            was = self._resolved.get(line, name)  # (a new run: only this text has it)
            if name != was and other._line_counts[line] > (line in new_lines):  # others too
                return None
        return other

    def _count_whole(self, name: str | None, change: int) -> None:
        if name and " " in name:
            self._whole_counts[name] += change
            if not self._whole_counts[name]:
                del self._whole_counts[name]

    def _containing(self, words: Iterable[str]) -> set[str]:
        """The runs (of `_raw`) that hold any of these words' text."""
        if not words:
            return set()
        pattern = re.compile("|".join(map(re.escape, sorted(words))))
        return {line for line in self._raw if pattern.search(line)}


def _distinct(scan: TextScan) -> tuple[set[str], set[str]]:
    """A scan's words seen in mid-sentence, and its distinct runs."""
    mid_text, _, runs_text = scan.unpacked()
    mid, lines = set(mid_text.split("\n")), set(runs_text.split("\n"))
    mid.discard("")
    lines.discard("")
    return mid, lines


def _recount(counts: Counter[str], old: set[str], new: set[str]) -> set[str]:
    """One text's `old` things replaced by its `new` ones in `counts` (texts per thing);
    returns the things that came or went (no text had them, or no text has them now)."""
    changed = set()
    for thing in old - new:
        counts[thing] -= 1
        if not counts[thing]:
            del counts[thing]
            changed.add(thing)
    for thing in new - old:
        counts[thing] += 1
        if counts[thing] == 1:
            changed.add(thing)
    return changed


def _possessive_base(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and word[-2] not in "s'" else word


def canonical_names(
    mentions: Iterable[str], aliases: Mapping[str, str] | None = None
) -> dict[str, tuple[str, ...]]:
    """Map each distinct mention to the canonical names it stands for.

    - a run that starts with another mention is two names side by side
      (`Buitenlandse Zaken Sergej Lavrov`, `Trump Poetin`), if that mention stands on its
      own somewhere (`Sander Kuipers` is one name, though `Sarah Sander` ends in `Sander`)
      and what follows it starts with a capital (not `van der Veenstra`);
    - a single word that ends exactly one longer name is that name (`Lavrov`);
    - configured aliases (`Poetin` -> `Vladimir Poetin`) win over both.
    """
    aliases = aliases or {}
    distinct = set(mentions)
    known = distinct | {name.rsplit(" ", 1)[-1] for name in distinct if " " in name}
    parts = {name: _split_at_known(name, distinct, known) for name in distinct}
    atoms = {atom for split in parts.values() for atom in split}
    longer_by_last: dict[str, set[str]] = {}
    for atom in atoms:
        words = atom.split()
        if len(words) > 1:
            longer_by_last.setdefault(words[-1], set()).add(atom)

    def canonical(atom: str) -> str:
        if atom in aliases:
            return aliases[atom]
        if " " not in atom and len(longer_by_last.get(atom, ())) == 1:
            atom = next(iter(longer_by_last[atom]))
        return aliases.get(atom, atom)

    return {name: tuple(canonical(atom) for atom in split) for name, split in parts.items()}


def _split_at_known(name: str, heads: set[str], known: set[str]) -> tuple[str, ...]:
    """`name` as the names side by side in it: a head mentioned on its own (`heads`), then
    a known name (or one of these, or an acronym, or more words)."""
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):
        if not words[cut][0].isupper():
            continue  # `Sander | van der Veenstra`, `Meet | the Press`
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head in heads and (tail in known or tail.isupper() or len(words) - cut >= 2 or cut >= 2):
            return (head, *_split_at_known(tail, heads, known))
    return (name,)


class DistinctiveNames:
    """For each group (e.g. a month), the names that set it apart from the rest.

    Each article is (mention counts, names in its lead).  A name scores in an
    article 3 if it is in the lead plus log(1 + mentions); in a group, the mean
    of that, times the share of the group's articles that mention it, times the
    share of articles outside the group that do not.  A name every month shares
    (`Donald Trump`) names none; one a single article repeats names little.

    Told one article at a time (each group's in order), so that a build need not hold
    every article's counts at once: a Counter and a set per article, 1.4 kB, were
    140 MB of a 100,000-article build's peak."""

    def __init__(self) -> None:
        self._total_with: Counter[str] = Counter()  # articles that mention a name
        self._inside_with: dict[str, Counter[str]] = {}  # the same, per group
        self._scores: dict[str, Counter[str]] = {}  # per group: name -> summed score
        self._sizes: Counter[str] = Counter()  # articles per group

    def add(self, group: str, counts: Mapping[str, int], lead: Container[str]) -> None:
        """One article of `group`: its names' mention counts, and the names in its lead."""
        self._total_with.update(counts.keys())
        self._inside_with.setdefault(group, Counter()).update(counts.keys())
        scores = self._scores.setdefault(group, Counter())
        for name, count in counts.items():
            scores[name] += (3.0 if name in lead else 0.0) + math.log1p(count)
        self._sizes[group] += 1

    def regrouped(
        self,
        group: str,
        articles: Iterable[tuple[Mapping[str, int], Container[str]]],
        change: int = 0,
    ) -> DistinctiveNames:
        """A copy with `group`'s articles told again (this one is left as it was): after
        an edit to the names of one of them, or with one more (`change` 1: an article
        added, perhaps the group's first) or one fewer (-1: removed).  Told in the same
        order as the first time, the group's scores are the same sums, to the last bit,
        as a new tally's.  A group left with no article is dropped."""
        fresh = DistinctiveNames()
        for counts, lead in articles:
            fresh.add(group, counts, lead)
        size = self._sizes[group] + change
        if fresh._sizes[group] != size:
            raise ValueError(f"{group} had {self._sizes[group]} articles")
        other = copy.copy(self)
        inside = fresh._inside_with.get(group, Counter())
        other._total_with = self._total_with - self._inside_with.get(group, Counter()) + inside
        other._inside_with = {**self._inside_with, group: inside}
        other._scores = {**self._scores, group: fresh._scores.get(group, Counter())}
        if change:
            other._sizes = self._sizes.copy()
            other._sizes[group] = size
            if not size:
                for tally in (other._inside_with, other._scores, other._sizes):
                    del tally[group]
        return other

    def added(
        self, group: str, counts: Mapping[str, int], lead: Container[str]
    ) -> DistinctiveNames:
        """A copy told one more article (this one is left as it was): one that comes
        after every other in time, so last in its group, as a new tally would tell it."""
        other = copy.copy(self)
        other._total_with = self._total_with.copy()
        other._inside_with = {**self._inside_with, group: Counter(self._inside_with.get(group, ()))}
        other._scores = {**self._scores, group: Counter(self._scores.get(group, ()))}
        other._sizes = self._sizes.copy()
        other.add(group, counts, lead)
        return other

    def result(self, top: int = 2) -> dict[str, list[str]]:
        """Each group's `top` names, best first."""
        total = sum(self._sizes.values())
        result: dict[str, list[str]] = {}
        for key, size in self._sizes.items():
            inside_with = self._inside_with[key]
            outside = total - size
            ranked: list[tuple[float, str]] = []
            for name, score in self._scores[key].items():
                share_outside = (
                    (self._total_with[name] - inside_with[name]) / outside if outside else 0.0
                )
                coverage = inside_with[name] / size
                ranked.append((score / size * coverage * (1.0 - share_outside), name))
            ranked.sort(key=lambda item: (-item[0], item[1]))
            result[key] = [name for score, name in ranked[:top] if score > 0]
        return result
