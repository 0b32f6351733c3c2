"""A skill run in process lives in the simulator's time, even one that opens its own backend (a Lambda
entry point): a conversation's `start:` and its waits mean the same to the skill as to the speaker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sim_skills

from device_sim import Device, SkillEndpoint
from device_sim.nlu import sample_nlu
from reorder.clock import ManualClock, SystemClock
from skills.hosting.lambda_entry import built_on_first_event


def _date_teller(builds: list):
    """A Lambda entry point built on its first event, like skills.lambda_function, that says its date."""

    def build(clock):
        builds.append(clock)
        source = clock or SystemClock()

        def handle(event, context):
            today = source.now().date().isoformat()
            return {
                "version": "1.0",
                "response": {
                    "outputSpeech": {"type": "PlainText", "text": f"Today is {today}."},
                    "shouldEndSession": True,
                },
            }

        return handle

    return built_on_first_event(build)


def test_an_in_process_skill_borrows_the_device_clock_and_follows_its_waits():
    builds: list = []
    handler = _date_teller(builds)
    clock = ManualClock(datetime(2031, 2, 3, 15, tzinfo=UTC))
    endpoint = SkillEndpoint.of(handler, sim_skills.HELLO_MODEL)
    with Device(endpoint, clock=clock, nlu_factory=sample_nlu, cloud=False) as device:
        assert device.say("alexa, open hello world").speech == "Today is 2031-02-03."
        device.advance(timedelta(days=3))
        assert device.say("alexa, open hello world").speech == "Today is 2031-02-06."
    assert builds == [clock]  # built once for the device, not on every turn

    later = ManualClock(datetime(2032, 7, 1, 9, tzinfo=UTC))
    with Device(endpoint, clock=later, nlu_factory=sample_nlu, cloud=False) as device:
        assert device.say("alexa, open hello world").speech == "Today is 2032-07-01."
    assert builds == [clock, later]  # another device's clock: built again for it

    # Called as Lambda calls it, nobody lends a clock: the system clock.
    spoken = handler({}, None)["response"]["outputSpeech"]["text"]
    assert spoken == f"Today is {datetime.now(UTC).date().isoformat()}." and builds[-1] is None


def test_voicecart_lambda_entry_places_orders_in_simulated_time(tmp_path, monkeypatch):
    from reorder.bootstrap import open_backend
    from skills.lambda_function import _build

    store = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    monkeypatch.setenv("VOICECART_STORE", store)
    monkeypatch.setenv("VOICECART_SKILL_ID", "amzn1.ask.skill.simulated")
    from intents.model import load_model

    endpoint = SkillEndpoint.of(built_on_first_event(_build), load_model(), application_id="amzn1.ask.skill.simulated")
    start = datetime(2031, 3, 3, 15, tzinfo=UTC)  # a Monday
    with Device(endpoint, clock=ManualClock(start)) as device:
        device.say("alexa, ask voice cart to add two bounty paper towels")
        read_back = device.say("check out")
        assert "arrive Wednesday." in read_back.speech  # two days after the simulated Monday
        assert "Arrives: Wednesday, March 5" in str(read_back.card)
        assert "arrives Wednesday, March 5th" in device.say("yes").speech
    backend = open_backend(store, seed=False)
    [household] = backend.households.list()
    newest = backend.orders.recent(household.id, 1)[0]
    assert newest.placed_at == start and [line.quantity for line in newest.lines] == [2]
