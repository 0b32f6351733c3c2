"""Tiny skills and models the simulator's tests talk to; each shows one behaviour."""

from __future__ import annotations

import time
from pathlib import Path

from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model.dialog import ConfirmIntentDirective, ConfirmSlotDirective, ElicitSlotDirective

EXAMPLES = Path(__file__).resolve().parents[2] / "device_sim" / "examples"
TEA_TIMER = EXAMPLES / "tea_timer"
TEA_MODEL = TEA_TIMER / "en-US.json"
TEA_HANDLER = f"{TEA_TIMER / 'lambda_function.py'}:lambda_handler"


def model(
    invocation: str,
    intents: list[dict],
    types: list[dict] | None = None,
    dialog: dict | None = None,
    prompts: list[dict] | None = None,
) -> dict:
    built: dict = {
        "interactionModel": {"languageModel": {"invocationName": invocation, "intents": intents, "types": types or []}}
    }
    if dialog:
        built["interactionModel"]["dialog"] = dialog
    if prompts:
        built["interactionModel"]["prompts"] = prompts
    return built


HELLO_MODEL = model(
    "hello world",
    [
        {
            "name": "HelloIntent",
            "samples": ["say hello", "hello", "greet {name}"],
            "slots": [{"name": "name", "type": "AMAZON.FirstName"}],
        },
        {
            "name": "CountIntent",
            "samples": ["count to {number}"],
            "slots": [{"name": "number", "type": "AMAZON.NUMBER"}],
        },
        {"name": "CrashIntent", "samples": ["crash"]},
        {"name": "SlowIntent", "samples": ["be slow"]},
        {"name": "GarbageIntent", "samples": ["talk nonsense"]},
        {"name": "BadSsmlIntent", "samples": ["bad markup"]},
        {"name": "EndIntent", "samples": ["goodbye"]},
        {"name": "AMAZON.StopIntent", "samples": []},
        {"name": "AMAZON.YesIntent", "samples": []},
        {"name": "AMAZON.NoIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []},
    ],
)


def hello_skill():
    """Answers, counts, keeps a visit counter in session attributes, and misbehaves on request."""
    sb = SkillBuilder()
    received: list[dict] = []

    @sb.global_request_interceptor()
    def record(handler_input):
        received.append(handler_input.request_envelope)

    @sb.request_handler(can_handle_func=is_request_type("LaunchRequest"))
    def launch(handler_input):
        return handler_input.response_builder.speak("Hello! Say hello.").ask("Say hello.").response

    @sb.request_handler(can_handle_func=is_intent_name("HelloIntent"))
    def hello(handler_input):
        attributes = handler_input.attributes_manager.session_attributes
        attributes["visits"] = attributes.get("visits", 0) + 1
        slots = handler_input.request_envelope.request.intent.slots or {}
        name = slots["name"].value if "name" in slots and slots["name"].value else "there"
        return (
            handler_input.response_builder.speak(f"<speak>Hi {name}, visit {attributes['visits']}.</speak>")
            .ask("Anything else?")
            .response
        )

    @sb.request_handler(can_handle_func=is_intent_name("CountIntent"))
    def count(handler_input):
        number = handler_input.request_envelope.request.intent.slots["number"].value
        return handler_input.response_builder.speak(f"Counting to {number}.").ask("Again?").response

    @sb.request_handler(can_handle_func=is_intent_name("CrashIntent"))
    def crash(handler_input):
        raise RuntimeError("the skill broke")

    @sb.request_handler(can_handle_func=is_intent_name("SlowIntent"))
    def slow(handler_input):
        time.sleep(1.5)
        return handler_input.response_builder.speak("Finally.").response

    @sb.request_handler(can_handle_func=is_intent_name("BadSsmlIntent"))
    def bad_ssml(handler_input):
        return handler_input.response_builder.speak("<speak>unclosed <emphasis></speak>").response

    @sb.request_handler(can_handle_func=is_intent_name("EndIntent"))
    def end(handler_input):
        return handler_input.response_builder.speak("Bye.").set_should_end_session(True).response

    @sb.request_handler(can_handle_func=lambda hi: True)
    def anything(handler_input):
        return handler_input.response_builder.speak("Okay.").set_should_end_session(True).response

    skill = sb.create()
    skill.received = received
    return skill


def garbage_handler(real):
    """A Lambda handler that answers most requests properly but returns nonsense for one intent."""

    def handler(event, context):
        request = event["request"]
        if request.get("intent", {}).get("name") == "GarbageIntent":
            return ["not", "a", "response"]
        return real(event, context)

    return handler


PIZZA_MODEL = model(
    "pizza place",
    [
        {
            "name": "OrderPizzaIntent",
            "samples": ["order a pizza", "order a {size} pizza", "i want a {size} pizza"],
            "slots": [
                {"name": "size", "type": "PizzaSize", "samples": ["{size}", "make it {size}"]},
                {"name": "count", "type": "AMAZON.NUMBER", "samples": ["{count}", "{count} pizzas"]},
            ],
        },
        {"name": "AMAZON.YesIntent", "samples": []},
        {"name": "AMAZON.NoIntent", "samples": []},
        {"name": "AMAZON.StopIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []},
    ],
    types=[
        {
            "name": "PizzaSize",
            "values": [
                {"id": "S", "name": {"value": "small"}},
                {"id": "L", "name": {"value": "large", "synonyms": ["big"]}},
            ],
        }
    ],
    dialog={
        "intents": [
            {
                "name": "OrderPizzaIntent",
                "confirmationRequired": True,
                "prompts": {"confirmation": "Confirm.Intent"},
                "slots": [
                    {
                        "name": "size",
                        "type": "PizzaSize",
                        "elicitationRequired": True,
                        "confirmationRequired": True,
                        "prompts": {"elicitation": "Elicit.Size", "confirmation": "Confirm.Size"},
                    },
                    {
                        "name": "count",
                        "type": "AMAZON.NUMBER",
                        "elicitationRequired": True,
                        "confirmationRequired": False,
                        "prompts": {"elicitation": "Elicit.Count"},
                        "validations": [{"type": "isGreaterThan", "value": "0", "prompt": "Invalid.Count"}],
                    },
                ],
            }
        ]
    },
    prompts=[
        {"id": "Elicit.Size", "variations": [{"type": "PlainText", "value": "What size?"}]},
        {"id": "Confirm.Size", "variations": [{"type": "PlainText", "value": "A {size} pizza, right?"}]},
        {"id": "Elicit.Count", "variations": [{"type": "PlainText", "value": "How many?"}]},
        {"id": "Invalid.Count", "variations": [{"type": "PlainText", "value": "At least one. How many?"}]},
        {"id": "Confirm.Intent", "variations": [{"type": "PlainText", "value": "{count} {size} pizzas. Order?"}]},
    ],
)


def pizza_skill(mode: str = "delegate"):
    """Delegates the dialog to Alexa (`delegate`) or drives it with Elicit/Confirm directives (`manual`)."""
    sb = SkillBuilder()
    received: list = []

    @sb.global_request_interceptor()
    def record(handler_input):
        received.append(handler_input.request_envelope.request)

    @sb.request_handler(can_handle_func=is_intent_name("OrderPizzaIntent"))
    def order(handler_input):
        request = handler_input.request_envelope.request
        intent = request.intent
        builder = handler_input.response_builder
        if mode == "delegate" and request.dialog_state.value != "COMPLETED":
            from ask_sdk_model.dialog import DelegateDirective

            return builder.add_directive(DelegateDirective()).response
        if mode == "manual":
            size = intent.slots["size"]
            if not size.value:
                return (
                    builder.speak("Which size?")
                    .ask("Which size?")
                    .add_directive(ElicitSlotDirective(slot_to_elicit="size", updated_intent=intent))
                    .response
                )
            if size.confirmation_status.value == "NONE":
                return (
                    builder.speak(f"{size.value}, correct?")
                    .add_directive(ConfirmSlotDirective(slot_to_confirm="size", updated_intent=intent))
                    .response
                )
            if intent.confirmation_status.value == "NONE":
                return (
                    builder.speak("Shall I order?")
                    .add_directive(ConfirmIntentDirective(updated_intent=intent))
                    .response
                )
        if intent.confirmation_status.value == "DENIED":
            return builder.speak("Okay, no pizza.").set_should_end_session(True).response
        return builder.speak(f"Ordered {intent.slots['size'].value} pizza.").set_should_end_session(True).response

    @sb.request_handler(can_handle_func=lambda hi: True)
    def anything(handler_input):
        return handler_input.response_builder.speak("Pizza place.").ask("What would you like?").response

    skill = sb.create()
    skill.received = received
    return skill
