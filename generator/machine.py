"""Files for programs rather than readers: feeds, sitemap, robots.txt.

Render calls `machine_files` once, after every page, with the canonical paths the
pages declared, so the sitemap lists exactly the pages that were made.  timeline.json
is the callers' to make: whole, in parts (`Renderer.other_files`) or spliced after an
edit (`patch.edited_files`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .feeds import ATOM_PATH, JSON_FEED_PATH, atom_feed, feeds_enabled, json_feed
from .model import Site
from .sitemap import ROBOTS_PATH, SITEMAP_PATH, robots, sitemap


def machine_files(site: Site, page_paths: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    if feeds_enabled(site):
        yield ATOM_PATH, atom_feed(site)
        yield JSON_FEED_PATH, json_feed(site)
    if site.base_url:
        yield SITEMAP_PATH, sitemap(site, page_paths)
    yield ROBOTS_PATH, robots(site)
