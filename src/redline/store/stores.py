"""Every store of the configured database, opened once: what the server's composition root hands to the services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from redline.store.database import engine_for
from redline.store.jobs import JobStore
from redline.store.keys import KeyStore
from redline.store.news import NewsStore
from redline.store.screening import ScreenStore


@dataclass(frozen=True, slots=True)
class Stores:
    keys: KeyStore
    screening: ScreenStore
    jobs: JobStore
    news: NewsStore

    @classmethod
    def open(cls, url: str | None = None) -> Stores:
        """Open (and migrate) the database now, so a bad REDLINE_DATABASE_URL fails at start, not per request."""
        engine = engine_for(url)
        return cls(KeyStore(engine=engine), ScreenStore(engine=engine), JobStore(engine=engine), NewsStore(url))

    def ping(self) -> None:
        """Reach the database (raises when it cannot be reached)."""
        with self.keys.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
