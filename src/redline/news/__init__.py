"""News and adverse media: read articles, find catalog entities and regulatory events, propose them for review.

    reader = NewsReader()
    report = reader.read(read_source("article.html"))
    report.to_json()  # {"source", "title", "published", "language", "entities", "events", "adverse", "flags"}

Nothing read here changes a legal answer: `report.proposals` go to the review queue (`redline.store.news`), and
only an accepted proposal becomes a (low-confidence) catalog event, through `redline.catalog.news_facts`.
"""

from redline.news.analysis import ArticleReport, NewsReader, default_reader
from redline.news.catalog import NewsCatalog, news_catalog
from redline.news.text import Article, ArticleError, read_bytes, read_source

__all__ = [
    "Article",
    "ArticleError",
    "ArticleReport",
    "NewsCatalog",
    "NewsReader",
    "default_reader",
    "news_catalog",
    "read_bytes",
    "read_source",
]
