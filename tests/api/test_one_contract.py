"""One contract for the CLI's JSON and the API's schema: the fields the status engine writes (`redline status
--json`, the certificates' answers) are exactly those the OpenAPI schema of GET /status documents, at every level,
and each enum of the model is listed in the schema with all its values."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from redline.model import parse_instant
from redline.model.vocabulary import AlertState, Decision, JobStatus, State, Verdict
from redline.server.api.schemas import AlertDetail, JobList, StatusOut
from redline.services.status import StatusService


def _names(model: type[BaseModel], value: Any, where: str = "") -> list[str]:
    """Where the JSON `value` and the model disagree on field names (recursively through nested models)."""
    wrong = []
    fields = {(info.alias or name): info for name, info in model.model_fields.items()}
    if set(value) != set(fields):
        wrong.append(f"{where or 'top'}: JSON {sorted(value)} vs schema {sorted(fields)}")
    for name, info in fields.items():
        inner = info.annotation
        args = getattr(inner, "__args__", ())
        nested = next((a for a in (inner, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nested is None or value.get(name) is None:
            continue
        items = value[name] if isinstance(value[name], list) else [value[name]]
        for item in items:
            wrong += _names(nested, item, f"{where}.{name}")
    return wrong


def test_the_status_json_is_the_schema_field_for_field() -> None:
    service = StatusService.bundled()
    for query in ("xiaomi", "Acme Widgets Incorporated", "LKCO"):
        answer = service.status(query, parse_instant("2021-03-16"), parse_instant("2021-03-16")).to_json()
        assert not _names(StatusOut, answer), _names(StatusOut, answer)


def test_the_schema_lists_every_value_of_the_enums() -> None:
    schemas = {
        name: spec
        for model in (StatusOut, AlertDetail, JobList)
        for name, spec in model.model_json_schema().get("$defs", {}).items()
    }
    for enum in (State, Decision, AlertState, Verdict, JobStatus):
        assert schemas[enum.__name__]["enum"] == [member.value for member in enum], enum.__name__
