"""Broken, hostile or unexpected input always gets a spoken answer, and nothing is lost or ordered twice."""

from __future__ import annotations

import re

import pytest
from shop_support import cart_of, intent_request, invoke, orders_of, speech_of

from reorder.demo import DEMO_USER_ID
from skills.app import build_skill

HOSTILE = [
    None,
    "",
    "?",
    "a million",
    "<speak>&\"'</speak>",
    "\x00\x07 ]]>",
    "9" * 400,
    "it to",
    "pampers & <b>huggies</b>",
]


@pytest.fixture
def skill(shop, skill_ctx):
    return build_skill(shop, ctx=skill_ctx, modules=("skills.shopping",))


def _well_formed(ssml: str) -> None:
    """SSML the speaker accepts: the only tags are our own, every & starts an entity."""
    from xml.etree import ElementTree

    ElementTree.fromstring(ssml)  # raises on broken markup
    assert re.sub(r"</?speak>", "", ssml).count("<") == 0


@pytest.mark.parametrize("name", ["NoSuchIntent", "AMAZON.FallbackIntent", "AMAZON.PauseIntent", ""])
def test_unknown_intents_get_a_spoken_answer(skill, name):
    response = invoke(skill, intent_request(name))
    assert "help" in speech_of(response).lower()
    assert response["response"]["shouldEndSession"] is False
    assert response["response"]["reprompt"]


@pytest.mark.parametrize(
    "intent",
    [
        "AddToCartIntent",
        "UpdateCartQuantityIntent",
        "RemoveFromCartIntent",
        "ReorderIntent",
        "OrderStatusIntent",
        "CancelOrderIntent",
        "ChooseOptionIntent",
        "PurchaseCodeIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "ReadCartIntent",
        "CheckoutIntent",
        "BuyItAgainIntent",
    ],
)
def test_missing_empty_or_hostile_slots(skill, shop, demo, intent):
    for value in HOSTILE:
        slots = {"product": value, "quantity": value, "option": value, "code": value}
        response = invoke(skill, intent_request(intent, slots))
        ssml = speech_of(response)
        assert ssml, (value, response)
        _well_formed(ssml)
        assert "went wrong" not in ssml, value  # a handler answered, not the apology
    assert orders_of(shop, demo.id)[0].placed_at < shop.clock.now()  # only the demo history


def test_a_million_of_something_is_refused_in_words(skill, shop, demo):
    response = invoke(
        skill, intent_request("AddToCartIntent", {"product": "bounty paper towels", "quantity": "1000000"})
    )
    assert "up to 99" in speech_of(response)
    assert cart_of(shop, demo.id) == {}


def test_a_stranger_is_asked_to_link_the_account(skill):
    response = invoke(skill, intent_request("CheckoutIntent", user_id="amzn1.ask.account.stranger"))
    assert "link" in speech_of(response).lower()
    assert response["response"]["card"]["type"] == "LinkAccount"
    assert response["response"]["shouldEndSession"] is True


def test_a_linked_account_token_finds_the_household(skill, shop, demo):
    shop.households.link_identity("access_token", "token-123", demo.id)
    response = invoke(
        skill, intent_request("ReadCartIntent", user_id="amzn1.ask.account.other", access_token="token-123")
    )
    assert "Your cart is empty" in speech_of(response)


def test_a_retried_yes_never_orders_twice(skill, shop, demo, clock):
    proposal = invoke(skill, intent_request("ReorderIntent", {"product": "paper towels"}))
    attributes = proposal["sessionAttributes"]
    assert attributes["pending"]["kind"] == "confirm_order"
    yes = intent_request("AMAZON.YesIntent", attributes=attributes)
    first = invoke(skill, yes)
    second = invoke(skill, yes)  # Alexa retries when the answer was slow
    assert "Done." in speech_of(first) and "Done." in speech_of(second)
    placed = [o for o in orders_of(shop, demo.id) if o.placed_at == clock.now()]
    assert len(placed) == 1


def test_two_orders_in_one_session_are_two_orders(skill, shop, demo, clock):
    attributes: dict = {}
    for _ in range(2):
        proposal = invoke(skill, intent_request("ReorderIntent", {"product": "paper towels"}, attributes=attributes))
        attributes = proposal["sessionAttributes"]
        if "You ordered" in speech_of(proposal):  # the second: "You ordered this earlier today. Order another?"
            proposal = invoke(skill, intent_request("AMAZON.YesIntent", attributes=attributes))
            attributes = proposal["sessionAttributes"]
        done = invoke(skill, intent_request("AMAZON.YesIntent", attributes=attributes))
        attributes = done["sessionAttributes"]
    placed = [o for o in orders_of(shop, demo.id) if o.placed_at == clock.now()]
    assert len(placed) == 2


def test_a_tampered_pending_action_is_answered_not_crashed(skill, shop, demo):
    attributes = {"pending": {"kind": "confirm_order", "lines": [["no-such-product", 2]], "key": "k"}}
    response = invoke(skill, intent_request("AMAZON.YesIntent", attributes=attributes))
    assert "no product" in speech_of(response).lower()
    attributes = {"pending": {"kind": "choose", "action": "explode", "options": ["x"]}}
    response = invoke(skill, intent_request("ChooseOptionIntent", {"option": "1"}, attributes=attributes))
    assert "lost track" in speech_of(response)


def test_persistent_attributes_round_trip(shop):
    from ask_sdk_core.attributes_manager import AttributesManager
    from ask_sdk_model import RequestEnvelope

    from skills.common.persistence import StoreAttributesAdapter
    from skills.hosting.envelope import serializer

    env = serializer().deserialize(__import__("json").dumps(intent_request("ReadCartIntent")), RequestEnvelope)
    adapter = StoreAttributesAdapter(shop.store, shop.clock)
    manager = AttributesManager(env, persistence_adapter=adapter)
    manager.persistent_attributes = {"visits": 3}
    manager.save_persistent_attributes()
    assert adapter.get_attributes(env) == {"visits": 3}
    adapter.delete_attributes(env)
    assert adapter.get_attributes(env) == {}
    assert DEMO_USER_ID in env.context.system.user.user_id
