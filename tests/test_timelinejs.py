"""timeline.json: the articles in the JSON shape Knight Lab's TimelineJS3 documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .conftest import BASE_URL, SEEDS, make_tree

SCHEMA = json.loads((Path(__file__).with_name("timelinejs.schema.json")).read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def timeline(site: Path) -> dict[str, Any]:
    data = json.loads((site / "timeline.json").read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []
    return data


def numbers(date: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in date.items() if key != "display_date"}


def test_the_schema_itself_is_valid_and_refuses_what_timelinejs_would_not_read():
    Draft202012Validator.check_schema(SCHEMA)
    slide = {"start_date": {"year": 2017}, "text": {"headline": "Kop"}}
    assert VALIDATOR.is_valid({"events": [slide]})
    assert VALIDATOR.is_valid({"events": [{"start_date": {"year": "2017", "month": "05"}}]})
    assert not VALIDATOR.is_valid({"title": slide})  # no events
    assert not VALIDATOR.is_valid({"events": [{"text": {"headline": "Kop"}}]})  # no date
    assert not VALIDATOR.is_valid({"events": [{"start_date": {"year": 2017, "month": "mei"}}]})
    assert not VALIDATOR.is_valid({"events": [{"start_date": {"year": 2017, "month": 13}}]})
    assert not VALIDATOR.is_valid({"events": [{**slide, "text": {"title": "Kop"}}]})


def test_seeds_give_a_title_slide_and_one_slide_per_article(cli, tmp_path: Path):
    assert cli("build", "--source", SEEDS, "--out", "site").code == 0
    data = timeline(tmp_path / "site")
    assert data["title"] == {
        "text": {
            "headline": "Trump en Rusland",
            "text": "<p>Een tijdlijn van nieuwsberichten over de banden tussen Donald Trump en "
            "Rusland, 2017–2018.</p>",
        }
    }
    assert [
        (numbers(e["start_date"]), e["start_date"]["display_date"], e["group"], e["unique_id"])
        for e in data["events"]
    ] == [
        (
            {"year": 2017, "month": 5},
            "mei 2017",
            "Trump deelt staatsgeheimen met Lavrov",
            "de-gevoelige-informatie-over-islamitische-staat-die",
        ),
        (
            {"year": 2017, "month": 5},
            "mei 2017",
            "Trump deelt staatsgeheimen met Lavrov",
            "donald-trump-heeft-een-nieuw-hoofdstuk-toegevoegd-aan-zijn",
        ),
        (
            {"year": 2017, "month": 7},
            "juli 2017",
            "G20-top in Hamburg",
            "de-amerikaanse-president-donald-trump-besprak-de-mogelijke",
        ),
        (
            {"year": 2018, "month": 7},
            "juli 2018",
            "Topontmoeting in Helsinki",
            "donald-trump-gelooft-niet-dat-rusland-een-rol-heeft-gespeeld",
        ),
        (
            {"year": 2018, "month": 7},
            "juli 2018",
            "Topontmoeting in Helsinki",
            "na-hun-ontmoeting-eerder-deze-week-in-helsinki-wil-de",
        ),
    ]
    g20 = data["events"][2]["text"]
    assert g20["headline"] == (
        "De Amerikaanse president Donald Trump besprak de mogelijke samenwerking op het gebied "
        "van cyberveiligheid…"
    )
    assert g20["text"] == (
        "<p>De Amerikaanse president Donald Trump besprak de mogelijke samenwerking op het gebied "
        "van cyberveiligheid met zijn Russische ambtgenoot Vladimir Poetin tijdens de G20-top dit "
        "weekend in Hamburg.</p>\n"
        '<p><a href="2017/07/de-amerikaanse-president-donald-trump-besprak-de-mogelijke/">'
        "Lees het artikel</a></p>"
    )


@pytest.mark.parametrize(
    ("written", "start_date", "display_date"),
    [
        ("2016", {"year": 2016}, "2016"),
        ("maart 2016", {"year": 2016, "month": 3}, "March 2016"),
        ("16 juli 2018", {"year": 2018, "month": 7, "day": 16}, "July 16, 2018"),
    ],
)
def test_start_date_has_exactly_the_known_precision(
    cli, tmp_path: Path, written: str, start_date: dict[str, int], display_date: str
):
    make_tree(
        tmp_path / "src",
        {"site.toml": 'language = "en"\n', "a.txt": f"date {written} Trump en Poetin."},
    )
    assert cli("build", "--source", "src", "--out", "site").code == 0
    (event,) = timeline(tmp_path / "site")["events"]
    assert event["start_date"] == {**start_date, "display_date": display_date}


def test_headline_and_text_are_escaped_and_links_absolute_with_a_base_url(cli, tmp_path: Path):
    make_tree(
        tmp_path / "src",
        {"a.md": "Title: <b>Trump</b> & Poetin\nDate: 2018-07\n\n<i>Niet</i> vet & zo.\n"},
    )
    assert cli("build", "--source", "src", "--out", "site", "--base-url", BASE_URL).code == 0
    (event,) = timeline(tmp_path / "site")["events"]
    assert event["text"] == {
        "headline": "&lt;b&gt;Trump&lt;/b&gt; &amp; Poetin",
        "text": "<p>Niet vet &amp; zo.</p>\n"
        f'<p><a href="{BASE_URL}2018/07/b-trump-b-poetin/">Lees het artikel</a></p>',
    }


@pytest.mark.parametrize("edited", [[0], [4], [1, 3], [0, 1, 2, 3, 4]])
def test_slides_edited_in_the_published_file_equal_the_file_made_anew(edited: list[int]):
    """serve patches timeline.json a slide at a time after a headline edit (patch.py)."""
    from dataclasses import replace

    from generator.config import load_config
    from generator.load import load_documents
    from generator.model import build_site
    from generator.timelinejs import timeline_json, timeline_json_edited

    seeds_site, _ = build_site(load_documents(SEEDS)[0], load_config(SEEDS))
    published = timeline_json(seeds_site)
    articles = list(seeds_site.articles)
    for number in edited:
        articles[number] = replace(articles[number], headline=f"Nieuwe kop {number} <&>")
    changed = replace(seeds_site, articles=tuple(articles))
    made = timeline_json_edited(changed, published, edited)
    assert made == timeline_json(changed) and made != published
    assert timeline_json_edited(changed, published + b"\n", edited) is None
    assert timeline_json_edited(changed, published.replace(b"},\n{", b"},{", 1), edited) is None


@pytest.mark.parametrize("count", [2, 5])
def test_a_slide_added_or_removed_in_the_published_file_equals_the_file_made_anew(count: int):
    """serve patches timeline.json after an article is added or removed (patch.py): its
    slide put in its place or taken out, first, in the middle or last."""
    from dataclasses import replace

    from generator.config import load_config
    from generator.load import load_documents
    from generator.model import build_site
    from generator.timelinejs import timeline_json, timeline_json_added, timeline_json_removed

    seeds_site, _ = build_site(load_documents(SEEDS)[0], load_config(SEEDS))
    longer = replace(seeds_site, articles=seeds_site.articles[:count])
    for index in range(count):
        articles = longer.articles
        shorter = replace(longer, articles=(*articles[:index], *articles[index + 1 :]))
        made, published = timeline_json(longer), timeline_json(shorter)
        assert timeline_json_added(longer, published, index) == made
        assert timeline_json_removed(shorter, made, index) == published
        assert timeline_json_added(longer, made, index) is None  # not one slide fewer
        assert timeline_json_removed(shorter, published, index) is None


@pytest.mark.parametrize("slides", [1, 2, 1000])
def test_timeline_json_in_parts_is_timeline_json(monkeypatch: pytest.MonkeyPatch, slides: int):
    """A large site's build writes it in parts as they are made (render.TIMELINE_IN_PARTS)."""
    from generator import timelinejs
    from generator.config import load_config
    from generator.load import load_documents
    from generator.model import build_site

    seeds_site, _ = build_site(load_documents(SEEDS)[0], load_config(SEEDS))
    whole = timelinejs.timeline_json(seeds_site)
    monkeypatch.setattr(timelinejs, "PART_SLIDES", slides)
    parts = list(timelinejs.timeline_json_parts(seeds_site))
    assert len(parts) == -(-len(seeds_site.articles) // slides)
    assert b"".join(parts) == whole
    json.loads(whole)
