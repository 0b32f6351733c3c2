"""Who is speaking is looked up once per session, and a change of speaker or mapping is never missed."""

from __future__ import annotations

import json

from reorder.demo import DEMO_CHILD_PERSON_ID, DEMO_PERSON_IDS
from skills.common.identity import IdentityInterceptor


def _count_lookups(backend) -> list[tuple[str, str]]:  # noqa: ANN001
    seen: list[tuple[str, str]] = []
    real = backend.households.find_identity

    def counting(kind: str, external_id: str):  # noqa: ANN202
        seen.append((kind, external_id))
        return real(kind, external_id)

    backend.households.find_identity = counting
    return seen


def _maya(demo):  # noqa: ANN001, ANN202
    return next(m for m in demo.members if m.name == "Maya")


def test_later_turns_of_a_session_do_not_look_the_speaker_up_again(speaker, shop):
    lookups = _count_lookups(shop)
    device = speaker()
    device.say("alexa, open voice cart")
    assert len(lookups) == 1
    assert "Your cart is empty" in device.say("what's in my cart").speech
    device.say("add bounty paper towels to my cart")
    assert len(lookups) == 1
    device.say("stop")
    device.say("alexa, open voice cart")  # a new session asks again
    assert len(lookups) == 2


def test_another_speaker_in_the_same_session_is_looked_up_afresh(echo, shop, demo):
    echo.profile.person_id = DEMO_CHILD_PERSON_ID
    turn = echo.say("reorder paper towels")
    assert "Maya's profile can't place orders" in turn.speech


def test_remapping_a_person_here_takes_effect_on_the_next_turn(echo, shop, demo):
    assert "Maya's" not in echo.say("what's in my cart").speech
    shop.households.link_identity("alexa_person", DEMO_PERSON_IDS[0], demo.id, _maya(demo).id)
    turn = echo.say("reorder paper towels")
    assert "Maya's profile can't place orders" in turn.speech


def test_a_change_made_by_another_server_applies_from_the_next_session(echo, shop, demo, clock):
    from reorder.bootstrap import open_backend

    other_server = open_backend(shop.store.url, clock=clock)
    try:
        other_server.households.link_identity("alexa_person", DEMO_PERSON_IDS[0], demo.id, _maya(demo).id)
    finally:
        other_server.close()
    assert "can't place orders" not in echo.say("reorder paper towels").speech  # this session: still Alex
    echo.say("no")
    echo.say("stop")
    echo.say("alexa, open voice cart")
    assert "Maya's profile can't place orders" in echo.say("reorder paper towels").speech


def test_answers_expire_and_unknown_callers_are_asked_again(speaker, shop):
    from ask_sdk_core.attributes_manager import AttributesManager
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import RequestEnvelope
    from shop_support import intent_request

    from skills.hosting.envelope import serializer

    seconds = [0.0]
    interceptor = IdentityInterceptor(shop, session_seconds=300, monotonic=lambda: seconds[0])
    lookups = _count_lookups(shop)

    def turn(user_id: str) -> object:
        event = intent_request("ReadCartIntent", user_id=user_id, session_id="amzn1.echo-api.session.same")
        envelope = serializer().deserialize(json.dumps(event), RequestEnvelope)
        handler_input = HandlerInput(envelope, AttributesManager(envelope))
        interceptor.process(handler_input)
        return handler_input.attributes_manager.request_attributes["voicecart.identity"]

    known = turn("amzn1.ask.account.demo-adult-1")
    assert known is not None and turn("amzn1.ask.account.demo-adult-1") == known
    assert len(lookups) == 1
    seconds[0] += 300
    assert turn("amzn1.ask.account.demo-adult-1") == known
    assert len(lookups) == 2
    assert turn("amzn1.ask.account.stranger") is None
    assert turn("amzn1.ask.account.stranger") is None
    assert lookups.count(("alexa_user", "amzn1.ask.account.stranger")) == 2


def test_the_cache_is_bounded_in_bytes_and_holds_no_token(shop):
    from ask_sdk_core.attributes_manager import AttributesManager
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import RequestEnvelope
    from shop_support import intent_request

    from skills.common.identity import ENTRY_BYTES, entry_bytes
    from skills.hosting.envelope import serializer

    max_bytes = 40 * ENTRY_BYTES
    interceptor = IdentityInterceptor(shop, max_sessions=10_000, max_bytes=max_bytes)
    token = "Atza|" + "t" * 2000  # far longer than the budget of one entry
    answers = set()
    for n in range(200):
        event = intent_request("ReadCartIntent", user_id="amzn1.ask.account.demo-adult-1", session_id=f"s-{n}")
        event["context"]["System"]["user"]["accessToken"] = token
        envelope = serializer().deserialize(json.dumps(event), RequestEnvelope)
        handler_input = HandlerInput(envelope, AttributesManager(envelope))
        interceptor.process(handler_input)
        answers.add(handler_input.attributes_manager.request_attributes["voicecart.identity"])
        assert interceptor.cached_bytes <= max_bytes
    assert len(answers) == 1 and None not in answers
    assert 0 < len(interceptor) <= max_bytes // entry_bytes(next(iter(answers)))
    assert len(interceptor) >= max_bytes // entry_bytes(next(iter(answers))) - 1
    assert interceptor.cached_bytes == len(interceptor) * entry_bytes(next(iter(answers)))
    assert all(len(key) == 16 for key in interceptor._known)  # digests: the token is not kept
