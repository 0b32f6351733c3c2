"""Which way a turn and an intent go (intents/direction.py), and that the confidence stage sees it."""

from __future__ import annotations

from intents.direction import agreement, intent_directions, turn_direction


def words(text: str) -> list[str]:
    return text.split()


def test_a_turn_goes_the_way_of_its_words_in_any_inflection() -> None:
    assert turn_direction(words("start my walk")) == 1
    assert turn_direction(words("we stopped walking")) == -1
    assert turn_direction(words("she's dropping the last two")) == -1
    assert turn_direction(words("saving this one for later")) == 1
    assert turn_direction(words("what's the weather like")) == 0


def test_words_going_both_ways_as_often_cancel() -> None:
    assert turn_direction(words("add one and remove one")) == 0


def test_an_intent_goes_the_way_of_its_samples_and_its_name() -> None:
    samples = [
        ("StartWalkIntent", words("walk {dog}")),
        ("StartWalkIntent", words("start a walk")),
        ("EndWalkIntent", words("we're back")),
        ("EndWalkIntent", words("finished the walk")),
        ("LastWalkIntent", words("when was the last walk")),
        ("AMAZON.StopIntent", []),
    ]
    found = intent_directions(samples)
    assert found["StartWalkIntent"] > 0.5
    assert found["EndWalkIntent"] < -0.5
    assert found["LastWalkIntent"] == 0.0
    assert found["AMAZON.StopIntent"] < 0


def test_agreement_is_signed() -> None:
    assert agreement(1, 0.8) > 0
    assert agreement(-1, 0.8) < 0
    assert agreement(0, -1.0) == 0


WALKS = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "dog walks",
            "intents": [
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
                {"name": "BeginWalkIntent", "samples": ["start a walk", "begin the walk", "walk time"]},
                {"name": "FinishWalkIntent", "samples": ["end the walk", "we're back", "finish the walk"]},
                {"name": "WalkCountIntent", "samples": ["how many walks today", "count my walks"]},
            ],
        }
    }
}


def test_the_confidence_stage_sees_whether_a_turn_goes_an_intents_way() -> None:
    from intents.confidence import FEATURES
    from intents.nlu import NluEngine

    engine = NluEngine(WALKS)
    at = FEATURES.index("direction")
    features = {c.intent: c.features[at] for c in engine.explain("stop walking now please")}
    assert features["FinishWalkIntent"] > 0 > features["BeginWalkIntent"]
    assert features.get("WalkCountIntent", 0.0) == 0.0
