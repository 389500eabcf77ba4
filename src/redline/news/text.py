"""From a file, a saved page or a URL to an article's text, title, publication time and language.

HTML goes through trafilatura (main text without navigation and boilerplate, offline); its metadata (and
htmldate, which trafilatura calls) give the title, the canonical URL and the publication date. Language: the
share of Han characters decides Chinese (a script test is exact where it applies), otherwise py3langid (its model
ships inside the wheel) over a fixed set of languages.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from redline.model import InstantError, parse_instant

MAX_BYTES = 5 * 1024 * 1024  # an article, not an archive
FETCH_TIMEOUT_S = 20.0
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_LANGUAGES = ["en", "zh", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "ru", "ar", "vi", "id", "tr", "pl"]


class ArticleError(ValueError):
    """An article that cannot be read (missing, too large, not text); the message names it."""


@dataclass(frozen=True, slots=True)
class Article:
    source: str  # the file path or URL given
    url: str | None  # the page's own (canonical) URL when known
    title: str
    text: str  # the main text, without the title
    published: datetime | None
    language: str
    sha256: str  # of the bytes read: identifies a file when there is no URL

    @property
    def body(self) -> str:
        return f"{self.title}\n\n{self.text}" if self.title else self.text


def detect_language(text: str) -> str:
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    if han and han >= latin / 4:  # a Chinese article quoting an English name stays Chinese
        return "zh"
    if not latin:
        return "und"
    language, _ = _identifier().classify(text)
    return str(language)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(_LANGUAGES)
    return identifier


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArticleError(f"{name}: not text in UTF-8 or GB18030")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head


def _from_mhtml(raw: bytes, name: str) -> tuple[str, str | None]:
    """A page saved as one file by a browser (MHTML): its HTML part and the address it was saved from."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    location = message.get("Snapshot-Content-Location")
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                return payload.decode(charset, errors="replace"), location or part.get("Content-Location")
    raise ArticleError(f"{name}: a saved page (MHTML) without an HTML part")


def _from_html(html: str, source: str, digest: str, published: datetime | None, url: str | None) -> Article:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = (getattr(document, "title", None) or "").strip() if document is not None else ""
    if not text:  # a page too short for the extractor's boilerplate model: its paragraphs, tags removed
        text = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style|nav|header|footer)\b.*?</\1>", " ", html))
        text = re.sub(r"[ \t]+", " ", text).strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    page_url = (getattr(document, "url", None) or None) if document is not None else None
    when = published or _page_time(html, document)
    return Article(source, url or page_url, title, text, when, detect_language(f"{title}\n{text}"), digest)


def _page_time(html: str, document: Any) -> datetime | None:
    """The publication instant from the page's metadata: the full timestamp where the page states one (an
    article:published_time meta tag), else the date htmldate finds (a bare date is noon New York)."""
    m = re.search(
        r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|date|pubdate|"
        r"og:published_time|DC\.date\.issued)[\"'][^>]*content=[\"']([^\"']+)[\"']",
        html,
        re.I,
    )
    candidates = [m.group(1)] if m else []
    if document is not None and getattr(document, "date", None):
        candidates.append(str(document.date))
    for candidate in candidates:
        try:
            return parse_instant(candidate.strip().replace(" ", "T", 1))
        except InstantError:
            continue
    return None


def _from_text(text: str, source: str, digest: str, published: datetime | None, url: str | None) -> Article:
    """Plain text: a first line followed by a blank line is the title."""
    lines = text.strip().splitlines()
    title = ""
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip() and len(lines[0]) < 200:
        title, text = lines[0].strip(), "\n".join(lines[2:]).strip()
    return Article(source, url, title, text.strip(), published, detect_language(f"{title}\n{text}"), digest)


def read_bytes(raw: bytes, source: str, published: datetime | None = None, url: str | None = None) -> Article:
    """An article from its bytes: HTML, a saved page (MHTML) or plain text."""
    if len(raw) > MAX_BYTES:
        raise ArticleError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MB: not an article")
    digest = hashlib.sha256(raw).hexdigest()
    head = raw[:2000].lower()
    if b"multipart/related" in head and b"mime-version" in head:
        html, location = _from_mhtml(raw, source)
        return _from_html(html, source, digest, published, url or location)
    text = _decode(raw, source)
    if "\x00" in text:
        raise ArticleError(f"{source}: binary data, not an article")
    if _looks_like_html(text):
        return _from_html(text, source, digest, published, url)
    return _from_text(text, source, digest, published, url)


def read_path(path: Path, published: datetime | None = None) -> Article:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ArticleError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB: not an article")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: a directory, not an article") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror})") from None
    return read_bytes(raw, str(path), published)


def fetch(url: str) -> bytes:
    """The bytes at `url` (http or https), at most MAX_BYTES; ArticleError on any failure."""
    import httpx

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=FETCH_TIMEOUT_S) as response:
            if response.status_code >= 400:
                raise ArticleError(f"{url}: HTTP {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ArticleError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB: not an article")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise ArticleError(f"{url}: cannot be fetched ({type(exc).__name__}: {exc})") from None
    return b"".join(chunks)


def read_url(url: str, published: datetime | None = None) -> Article:
    return read_bytes(fetch(url), url, published, url)


def read_source(given: str, published: datetime | None = None) -> Article:
    """A path or an http(s) URL."""
    if re.match(r"^https?://", given, re.I):
        return read_url(given, published)
    return read_path(Path(given), published)


# Sentences end at . ! ? (not after a single capital or a common abbreviation) and at the Han full stops.
_ABBREVIATIONS = ("Inc", "Corp", "Co", "Ltd", "No", "Mr", "Ms", "Dr", "U.S", "St", "Jan", "Feb", "Sept", "Oct", "Nov")
_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u4e00-\u9fff])|(?<=[。！？；])|\n\s*\n|\n")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs covering `text`."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BREAK.finditer(text):
        piece = text[start : m.start()]
        before = piece.rstrip().rstrip(".")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        if m.group(0).strip(" ") != "\n" and (
            last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isupper())
        ):
            continue
        if piece.strip():
            out.append((start, piece))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out
