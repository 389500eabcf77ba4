"""Errors of the screening store that a user can act on (a bad URL, an unreachable server, an unknown alert)."""


class StoreError(Exception):
    """The message names what is wrong and how to fix it; the CLI prints it on one line."""


class UnknownId(StoreError):
    """No record has this id (or this prefix of one): an unknown alert, proposal or key."""
