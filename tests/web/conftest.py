"""The pages are tested through the same app and keys as the API."""

from tests.api.conftest import client, service

__all__ = ["client", "service"]
