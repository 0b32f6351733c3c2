"""GET /api/supplies: the web page's supply forecast, from the same estimate the voice offer uses."""

from __future__ import annotations

from datetime import timedelta

from babycare_support import DIAPERS, FORMULA

from voicecart.app import create_app


def test_supplies_are_served_soonest_first(backend, clock, hh, sam, delivered):
    client = create_app(backend).test_client()
    auth = {"Authorization": f"Bearer {backend.households.issue_token(hh, 'test')}"}
    assert client.get("/api/supplies", headers=auth).get_json() == {"supplies": []}  # no log yet
    for slot in range(2 * 8):  # two days of eight diapers and six 4-oz bottles
        backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, member_id=sam, channel="web")
        if slot % 8 < 6:
            backend.babycare.log(hh, "feeding", {"amount": 4, "milk_type": "formula"}, channel="web")
        clock.advance(timedelta(hours=3))
    supplies = client.get("/api/supplies", headers=auth).get_json()["supplies"]
    assert [s["product"]["id"] for s in supplies] == [FORMULA, DIAPERS]
    diapers = supplies[1]
    assert diapers["unit_word"] == "diapers" and diapers["per_day"] == 8.0 and diapers["units_left"] == 84 - 16
    assert supplies[0]["days_left"] <= diapers["days_left"]
    assert client.get("/api/supplies").status_code == 401
    assert "/api/supplies" in client.get("/openapi.json").get_json()["paths"]
    assert "/api/console/say" in client.get("/openapi.json").get_json()["paths"]
