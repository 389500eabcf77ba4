"""What a use case can refuse, by kind; each face maps the kind once (the CLI to exit 2, the API to a status code).

A face never reads an error's message to decide what it is: the class says it.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A use case refused the request; the message is one line a user can act on. `problems` lists each fault of
    a file (file:line [field]: message); `outcome` says what the refusal left undone ("nothing was imported")."""

    def __init__(self, message: str, problems: list[str] | None = None, outcome: str | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.outcome = outcome


class NotFound(ServiceError):
    """The thing asked for does not exist (a snapshot, an alert, a run, a key)."""


class InvalidInput(ServiceError):
    """The request or the file given is wrong; `problems` lists each one (file:line [field]: message)."""


class Conflict(ServiceError):
    """The request contradicts the stored state (two different lists compared, a decided alert decided again)."""


class Unavailable(ServiceError):
    """Storage or another dependency cannot be used now."""


class TooLarge(InvalidInput):
    """An upload larger than the limit."""


class UnsupportedType(InvalidInput):
    """A file of a type Redline does not read."""


class WrongState(Conflict):
    """The thing is not in a state that allows this (a revoked key revoked again, a screening not finished)."""


# The server's one mapping from a kind of refusal to an HTTP status (the API's JSON and the pages both use it); the
# most specific kind first.
HTTP_STATUS: dict[type[ServiceError], int] = {
    TooLarge: 413, UnsupportedType: 415, WrongState: 409,
    NotFound: 404, InvalidInput: 400, Conflict: 400, Unavailable: 503,
}  # fmt: skip


def status_code_of(error: ServiceError) -> int:
    return next((code for kind, code in HTTP_STATUS.items() if isinstance(error, kind)), 400)
