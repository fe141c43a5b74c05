"""`sitemap.xml` and `robots.txt`: where search engines find the pages.

A sitemap lists absolute URLs, so it exists only when the site has a base URL; it
lists each page's canonical address once (the second timeline order and the 404
page have none of their own).  `robots.txt` is always written; it points to the
sitemap when there is one.  Crawlers read `robots.txt` only at the root of a host,
so for a site in a sub-folder it is there to be copied, not to be found.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .model import Site

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(site: Site, page_paths: Iterable[str]) -> bytes:
    """The sitemap of pages given by their canonical paths (`""` is the timeline)."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for path in sorted(set(page_paths)):
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = site.url(path)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines += ["", f"Sitemap: {site.url(SITEMAP_PATH)}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
