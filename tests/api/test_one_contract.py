"""One contract for the CLI's JSON and the API's schema: the status answer is one set of dataclasses
(`redline.model.status_answer`); `redline status --json`, the certificates' answers and GET /status serialise it,
and the OpenAPI schema of GET /status is read from it. Each enum of the model is listed with all its values."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from redline.model import parse_instant
from redline.model.status_answer import StatusAnswer, json_form
from redline.model.vocabulary import AlertState, Decision, JobStatus, State, Verdict
from redline.server.api.schemas import AlertDetail, JobList
from redline.server.app import create_app
from redline.services.status import StatusService

QUERIES = ("xiaomi", "Acme Widgets Incorporated", "LKCO", "zzzz")  # matched, undetermined or not, no match


def test_the_status_json_is_the_schema_field_for_field() -> None:
    """Read back through the schema's validator, each answer is unchanged: no field is missing from the schema or
    extra to it (extra keys would be dropped), and what FastAPI sends is what the CLI prints."""
    contract = TypeAdapter(StatusAnswer)
    service = StatusService.bundled()
    outcomes = set()
    for query in QUERIES:
        answer = service.status(query, parse_instant("2021-03-16"), parse_instant("2021-03-16")).to_json()
        outcomes.add(answer["identification"]["outcome"])
        read = contract.validate_python(answer)
        assert json_form(read) == answer
        assert contract.dump_python(read, mode="json") == answer
    assert {"matched", "no_match"} <= outcomes


def test_get_status_documents_the_contract() -> None:
    spec = create_app().openapi()
    ok = spec["paths"]["/status"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/StatusAnswer"}
    documented = spec["components"]["schemas"]["StatusAnswer"]["properties"]
    assert list(documented) == list(StatusAnswer.__dataclass_fields__)


def test_the_schema_lists_every_value_of_the_enums() -> None:
    schemas: dict[str, Any] = {
        name: spec
        for schema in (
            TypeAdapter(StatusAnswer).json_schema(),
            AlertDetail.model_json_schema(),
            JobList.model_json_schema(),
        )
        for name, spec in schema.get("$defs", {}).items()
    }
    for enum in (State, Decision, AlertState, Verdict, JobStatus):
        assert schemas[enum.__name__]["enum"] == [member.value for member in enum], enum.__name__
