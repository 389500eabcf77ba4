"""Screening tests that touch the store run on both backends, with the storage tests' fixtures."""

from tests.store.conftest import database_url, postgres_database

__all__ = ["database_url", "postgres_database"]
