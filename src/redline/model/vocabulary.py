"""The words every face uses, once: kinds, states, decisions, alert states, engines.

Each is a `StrEnum`, so a value is also its string (the JSON and the stores keep plain strings), the CLI's options
and the API's parameters validate against it, and the OpenAPI schema lists its values. `docs/vocabulary.md` says
what each value means (tests/interfaces/test_vocabulary.py keeps it complete).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar


class ChoiceError(ValueError):
    """A value that is none of an enum's: the message names them (`kind must be one of ...`)."""


class State(StrEnum):
    """Where a listed entity stands under one regime at one instant."""

    NOT_LISTED = "not_listed"
    LISTED_NO_BAN = "listed_no_ban"  # on a list that carries no investment prohibition (1260H)
    NOT_YET_EFFECTIVE = "not_yet_effective"  # listed; prohibitions start later
    DIVESTMENT_WINDOW = "divestment_window"  # purchases prohibited; sales only to divest, until divest_until
    HOLDING_ONLY = "holding_only"  # window closed: may hold, may neither buy nor sell
    POSSESSION_PROHIBITED = "possession_prohibited"  # EO 13974: holding itself is prohibited
    ENJOINED = "enjoined"  # a court has enjoined enforcement of the designation
    VACATED = "vacated"  # a court has vacated the designation
    REMOVED = "removed"  # taken off the list
    BLOCKED = "blocked"  # blocking sanctions (SDN): no dealing at all; property held is blocked and reported
    NOT_CHECKED = "not_checked"  # a list Redline reads only from imported files, none of which was imported
    UNDETERMINED = "undetermined"  # the query was not identified with confidence, and a listed entity is a lead


class Decision(StrEnum):
    """A screened row's decision."""

    OK = "OK"
    BLOCK = "BLOCK"  # the purchase or sale (or, after an EO 13974 window, the holding) is prohibited now
    DIVEST = "DIVEST"  # may be sold only until divest_until (EO 13959 s.1(c), EO 14032 s.1(c))
    HOLD_ONLY = "HOLD-ONLY"  # past the EO 14032 window: neither buy nor sell (OFAC FAQ 1046)
    REVIEW = "REVIEW"  # a possible match below identifier certainty
    ERROR = "ERROR"  # the row could not be screened as given


class SourceList(StrEnum):
    """Which published list a snapshot is a version of; `sources diff` only compares versions of one list."""

    OFAC_SDN = "ofac-sdn"
    OFAC_CONS = "ofac-cons"  # OFAC's consolidated non-SDN lists (SSI, NS-PLC, NS-CMIC, NS-MBS, FSE, CAPTA)
    UN_SC = "un-sc"
    TRADE_CSL = "trade-csl"
    FTM = "ftm"  # a FollowTheMoney export (OpenSanctions dataset)
    BUNDLED = "bundled"  # Redline's own China reference data


class ScreeningKind(StrEnum):
    """What a screened file holds."""

    HOLDINGS = "holdings"
    TRADES = "trades"
    COUNTERPARTIES = "counterparties"


class ScreeningEngine(StrEnum):
    """How a file is screened (docs/scale.md)."""

    LOCAL = "local"
    ROWS = "rows"
    SPARK = "spark"


class JobStatus(StrEnum):
    """A screening submitted to the server."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class Verdict(StrEnum):
    """An analyst's decision on an alert."""

    TRUE_MATCH = "true-match"
    FALSE_POSITIVE = "false-positive"


class AlertState(StrEnum):
    """An alert: open until decided, then its verdict."""

    OPEN = "open"
    TRUE_MATCH = "true-match"
    FALSE_POSITIVE = "false-positive"


class AlertSort(StrEnum):
    """How the alert queue is ordered."""

    LAST_SEEN = "last_seen"
    MARKET_VALUE = "market_value"
    ENTITY = "entity"
    DECISION = "decision"
    ACCOUNT = "account"


class ProposalState(StrEnum):
    """A legal event proposed by a news article, in the review queue."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ProposalDecision(StrEnum):
    """An analyst's decision on a proposal."""

    ACCEPT = "accept"
    REJECT = "reject"


E = TypeVar("E", bound=StrEnum)


class Choice:
    """Pydantic's hook for an enum parameter refused with one line (`ChoiceError`) rather than a validation list:
    `Annotated[ScreeningKind, Choice()]`. The schema still lists the values."""

    def __get_pydantic_core_schema__(self, source: type[StrEnum], handler: Any) -> Any:
        from pydantic_core import core_schema

        def parse(value: Any) -> Any:
            return choice(source, value) if isinstance(value, str) else value

        return core_schema.no_info_before_validator_function(parse, handler(source))


def choice(enum: type[E], text: str, name: str | None = None) -> E:
    """`text` as a value of `enum`, or ChoiceError naming the values (`name` prefixes the message)."""
    try:
        return enum(text.strip())
    except ValueError:
        values = ", ".join(member.value for member in enum)
        where = f"{name} " if name else ""
        raise ChoiceError(f"{where}must be one of {values}, not {text!r}") from None


VOCABULARY: tuple[type[StrEnum], ...] = (
    State, Decision, SourceList, ScreeningKind, ScreeningEngine, JobStatus, Verdict, AlertState, AlertSort,
    ProposalState, ProposalDecision,
)  # fmt: skip
