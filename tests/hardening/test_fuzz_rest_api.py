"""Schemathesis against /openapi.json, in process on the served Flask app with a household's token, on
SQLite and on PostgreSQL, with every check schemathesis has: valid requests (positive data) are accepted and
answered as documented, invalid ones (negative data) are refused, nothing answers 5xx. One test per
operation, so a failure names the route."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import schemathesis
from fuzz_strategies import fuzz_examples, long_run
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as _REGISTRY

from voicecart.app import rest_api_document

# No server error; the status, content type, headers and body the document promises; a request valid by the
# document is not refused as invalid (positive_data_acceptance: 2xx, or 401/403/404/409/429 such as an unknown
# id or a state conflict) and one invalid by it is not accepted (negative_data_rejection); and the rest.
# Every check schemathesis has (`--checks all`), for the positive and the negative run.
ALL_CHECKS = _REGISTRY.get_all()
OPERATIONS = [
    (path, method.upper())
    for path, item in rest_api_document()["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]


def _parsed(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def within_unstated_limits(case, now: datetime):  # noqa: ANN001, ANN201 - a schemathesis Case
    """Moves a generated request inside the few limits OpenAPI cannot state, which the document states in
    words instead: each depends on the clock or on another field. Only those fields change; the rest of the
    request is what schemathesis generated, so every other limit stays checked."""
    body = case.body if isinstance(case.body, dict) else None
    label = f"{case.method.upper()} {case.operation.path}"
    if label == "POST /api/children" and body and isinstance(body.get("birth_date"), str):
        # "not in the future": relative to today.
        if date.fromisoformat(body["birth_date"]) > now.date():
            body["birth_date"] = now.date().isoformat()
    elif label == "POST /api/children/{child_id}/events" and body and _parsed(body.get("at")):
        # "not in the future, at most seven days ago": relative to now; keep the generated minute of the week.
        at = _parsed(body["at"])
        back = timedelta(minutes=int(at.timestamp() // 60) % (7 * 24 * 60 - 60))
        body["at"] = (now - back).astimezone(at.tzinfo).isoformat()
    elif label == "GET /api/children/{child_id}/events" and case.query:
        # "'until' after 'since', at most 31 days later": a limit across two parameters.
        since, until = _parsed(case.query.get("since")), _parsed(case.query.get("until"))
        if since and until and not timedelta(0) <= until - since <= timedelta(days=31):
            del case.query["until"]
    elif label in ("POST /api/orders", "POST /api/orders/quote") and body and isinstance(body.get("items"), list):
        # Lines of one product merge, and a line holds at most 99: a limit across items.
        totals = Counter()
        for item in body["items"]:
            totals[item["product_id"]] += item.get("quantity", 1)
        seen: set[str] = set()
        kept = []
        for item in body["items"]:
            if totals[item["product_id"]] <= 99 or item["product_id"] not in seen:
                kept.append(item)
            seen.add(item["product_id"])
        body["items"] = kept
    elif label == "POST /api/devices" and body and isinstance(body.get("slots"), list):
        # Slot names differ within a device, and a threshold is below its capacity: limits across fields.
        slots, names = [], set()
        for slot in body["slots"]:
            if slot["slot"] not in names:
                names.add(slot["slot"])
                if slot.get("threshold", 20.0) >= slot.get("capacity", 100.0):
                    slot["threshold"] = slot.get("capacity", 100.0) / 2
                slots.append(slot)
        body["slots"] = slots
    return case


@pytest.fixture(scope="module")
def served(served_on_each_store):
    return served_on_each_store


@pytest.fixture(scope="module")
def api_schema(served):
    return schemathesis.openapi.from_wsgi("/openapi.json", served.client.application)


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_every_operation_answers_within_its_spec(api_schema, served, path, method):
    operation = api_schema[path][method]
    auth = {"Authorization": f"Bearer {served.demo_token}"}

    @settings(
        max_examples=fuzz_examples(10),
        deadline=None,
        derandomize=not long_run(),
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy().map(lambda case: within_unstated_limits(case, served.backend.clock.now())))
    def run(case):
        case.call_and_validate(headers=auth, checks=ALL_CHECKS)

    run()


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_every_operation_refuses_what_its_spec_forbids(api_schema, served, path, method):
    """Negative data (a wrong type, a missing field, an unknown query parameter, a value out of its range):
    refused with a 4xx, never accepted, and every other check holds too."""
    operation = api_schema[path][method]
    auth = {"Authorization": f"Bearer {served.demo_token}"}

    @settings(
        max_examples=fuzz_examples(10),
        deadline=None,
        derandomize=not long_run(),
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    def run(case):
        case.call_and_validate(headers=auth, checks=ALL_CHECKS)

    run()
