"""Files for programs rather than readers: feeds, sitemap, robots.txt, timeline.json.

Render calls `machine_files` once, after every page, with the canonical paths the
pages declared, so the sitemap lists exactly the pages that were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .feeds import ATOM_PATH, JSON_FEED_PATH, atom_feed, feeds_enabled, json_feed
from .model import Site
from .sitemap import ROBOTS_PATH, SITEMAP_PATH, robots, sitemap
from .timelinejs import TIMELINE_PATH, timeline_json


def machine_files(
    site: Site,
    page_paths: Iterable[str],
    timeline: bytes | None = None,
    with_timeline: bool = True,
) -> Iterator[tuple[str, bytes]]:
    """`timeline`: timeline.json if made already (see timelinejs.timeline_json_edited);
    `with_timeline`: False if the caller makes it (see Renderer.other_files)."""
    if feeds_enabled(site):
        yield ATOM_PATH, atom_feed(site)
        yield JSON_FEED_PATH, json_feed(site)
    if site.base_url:
        yield SITEMAP_PATH, sitemap(site, page_paths)
    yield ROBOTS_PATH, robots(site)
    if with_timeline:
        yield TIMELINE_PATH, timeline if timeline is not None else timeline_json(site)
