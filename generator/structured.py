"""schema.org `NewsArticle` data for an article page's JSON-LD block.

Only what is known is said: `datePublished` keeps the date's precision (ISO 8601
`2017-05` for a month), there is no author (the articles do not name one), and the
site is the publisher.  The template writes it with Jinja's `tojson`, which escapes
`<`, `>`, `&` and `'`, so no text can end the script element.
"""

from __future__ import annotations

from .model import Article, Site


def news_article(site: Site, article: Article) -> dict[str, object]:
    url = site.url(article.page_path)
    publisher: dict[str, object] = {"@type": "Organization", "name": site.title}
    if site.base_url:
        publisher["url"] = site.url("")
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": article.date.iso(),
        "inLanguage": site.language,
        "articleSection": site.event_of(article).name,
        "publisher": publisher,
    }
    if article.dek:
        data["description"] = article.dek
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return data
