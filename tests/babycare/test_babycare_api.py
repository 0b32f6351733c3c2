"""The REST side of the same log: children, entries, summaries and routines for the household's token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from voicecart.app import create_app


@pytest.fixture
def client(backend):
    return create_app(backend).test_client()


@pytest.fixture
def auth(backend, household):
    return {"Authorization": f"Bearer {backend.households.issue_token(household.id, 'test')}"}


def test_children_are_listed_and_added(client, auth):
    assert [c["name"] for c in client.get("/api/children", headers=auth).get_json()["children"]] == ["Maya"]
    created = client.post("/api/children", json={"name": "Leo", "birth_date": "2026-09-01"}, headers=auth)
    assert created.status_code == 201 and created.get_json()["birth_date"] == "2026-09-01"
    assert client.post("/api/children", json={"name": "Leo"}, headers=auth).status_code == 409
    assert client.post("/api/children", json={"name": "Ivy", "birth_date": "soon"}, headers=auth).status_code == 422
    assert client.get("/api/children").status_code == 401


def test_events_are_logged_listed_flagged_and_deleted(client, auth, clock, household):
    maya = household.children[0].id
    body = {"kind": "diaper", "data": {"diaper_type": "wet"}, "member_id": household.members[0].id}
    first = client.post(f"/api/children/{maya}/events", json=body, headers=auth)
    assert first.status_code == 201
    event = first.get_json()["event"]
    assert event["channel"] == "web" and event["logged_by"] == household.members[0].id
    again = client.post(
        f"/api/children/{maya}/events", json={**body, "member_id": household.members[1].id}, headers=auth
    )
    assert again.status_code == 200 and again.get_json()["duplicate_of"] == event["id"]
    earlier = (clock.now() - timedelta(hours=1)).isoformat()
    by_name = client.post(
        "/api/children/Maya/events",
        json={"kind": "feeding", "at": earlier, "data": {"amount": 5, "milk_type": "formula"}},
        headers=auth,
    )
    assert by_name.status_code == 201
    listed = client.get(f"/api/children/{maya}/events", headers=auth).get_json()["events"]
    assert [e["kind"] for e in listed] == ["feeding", "diaper", "diaper"]
    summary = client.get(f"/api/children/{maya}/summary", headers=auth).get_json()
    assert summary["diapers"]["wet"] == 1 and summary["formula_oz"] == 5
    gone = client.delete(f"/api/children/{maya}/events/{event['id']}", headers=auth)
    assert gone.status_code == 200
    assert client.delete(f"/api/children/{maya}/events/{event['id']}", headers=auth).status_code == 404
    # The second caregiver's copy now stands alone, so the diaper is still counted once.
    assert client.get(f"/api/children/{maya}/summary", headers=auth).get_json()["diapers"]["wet"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "feeding", "data": {"amount": 90}},
        {"kind": "feeding", "data": {"amount": 4}, "at": "yesterday"},
        {"kind": "feeding", "data": {"amount": 4}, "at": "2026-11-02T08:00:00"},
        {"kind": "feeding", "data": "four ounces"},
        {"kind": 7},
        {"kind": "diaper", "data": {"diaper_type": "wet"}, "at": "2030-01-01T00:00:00+00:00"},
    ],
)
def test_bad_entries_get_a_json_error_and_store_nothing(client, auth, body):
    response = client.post("/api/children/Maya/events", json=body, headers=auth)
    assert response.status_code == 422 and response.get_json()["message"]
    assert client.get("/api/children/Maya/events", headers=auth).get_json()["events"] == []


def test_unknown_child_and_bad_dates_are_clear(client, auth):
    assert client.get("/api/children/Zoe/summary", headers=auth).status_code == 404
    assert client.get("/api/children/Maya/summary?date=tuesday", headers=auth).status_code == 422
    assert client.get("/api/children/Maya/events?kind=bath", headers=auth).status_code == 422


def test_routines_are_created_and_run(client, auth, backend, household):
    created = client.post(
        "/api/routines",
        json={
            "name": "Bedtime",
            "schedule_time": "19:30",
            "steps": [
                {"kind": "say", "text": "Bath, book, bed."},
                {"kind": "sleep_start"},
                {"kind": "sound", "sound": "rain"},
            ],
        },
        headers=auth,
    )
    assert created.status_code == 201
    routine = created.get_json()
    assert routine["schedule_time"] == "19:30"
    assert [r["name"] for r in client.get("/api/routines", headers=auth).get_json()["routines"]] == ["Bedtime"]
    run = client.post(f"/api/routines/{routine['id']}/run", headers=auth).get_json()
    assert run["speech"].startswith("Bath, book, bed.") and run["steps"][2]["sound"] == "rain"
    assert backend.babycare.sleep_state(household.id, None)[1] is not None
    assert client.post("/api/routines/nope/run", headers=auth).status_code == 404
    bad = client.post("/api/routines", json={"name": "x", "steps": [{"kind": "say"}]}, headers=auth)
    assert bad.status_code == 422


def test_openapi_lists_the_baby_care_paths(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {
        "/api/children",
        "/api/children/{child_id}/events",
        "/api/children/{child_id}/events/{event_id}",
        "/api/children/{child_id}/summary",
        "/api/routines",
        "/api/routines/{routine_id}/run",
    } <= set(paths)


def test_a_routine_is_edited_through_the_api(client, auth):
    created = client.post(
        "/api/routines", json={"name": "Nap", "steps": [{"kind": "say", "text": "Sleep well."}]}, headers=auth
    ).get_json()
    changed = client.patch(
        f"/api/routines/{created['id']}", json={"schedule_time": "13:00", "name": "Afternoon nap"}, headers=auth
    )
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["name"] == "Afternoon nap" and body["schedule_time"] == "13:00" and len(body["steps"]) == 1
    assert client.patch(f"/api/routines/{created['id']}", json={"colour": "red"}, headers=auth).status_code == 422
    assert (
        client.patch(f"/api/routines/{created['id']}", json={"schedule_time": "25:00"}, headers=auth).status_code == 422
    )
    assert client.patch("/api/routines/rt_missing", json={"name": "x"}, headers=auth).status_code == 404
