import copy
import json
from pathlib import Path

import pytest

from intents.validate import errors, validate_manifest, validate_model

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]


def _messages(problems):
    return "\n".join(str(p) for p in problems)


def test_shipped_model_and_manifest_have_no_errors(model):
    assert errors(validate_model(model)) == []
    manifest = REPO / "skill.json"
    if manifest.exists():
        assert errors(validate_manifest(json.loads(manifest.read_text()), {"en-US": model})) == []


def test_broken_model_fixture_reports_every_problem_with_its_location():
    problems = validate_model(json.loads((FIXTURES / "broken_model.json").read_text()))
    text = _messages(problems)
    lm = "$.interactionModel.languageModel"
    expected = [
        "error: $.interactionModel.languageModel.colour: unknown property",
        f"error: {lm}.invocationName: 'Alexa Shop': only lower-case letters",
        f"error: {lm}.invocationName: 'Alexa Shop': must not contain alexa",
        f"error: {lm}.intents[1] (OrderIntent).slots[0]: slot item uses undefined slot type Gadget",
        f"error: {lm}.intents[1] (OrderIntent).samples[1]: 'buy 2 {{item}}': numbers must be written as words",
        f"error: {lm}.intents[1] (OrderIntent).samples[2]: 'order {{thing}}' names slot {{thing}}",
        f"error: {lm}.intents[2] (BuyIntent).samples[0]: 'order {{what}}' conflicts with 'order {{item}}' of "
        "OrderIntent",
        f"error: {lm}.intents[3] (AskIntent).samples[0]: '{{q}}': an AMAZON.SearchQuery slot needs a carrier phrase",
        f"error: {lm}.types[0] (Colour).values[1]: duplicate id 'r' in Colour",
        f"error: {lm}.intents: required built-in intent AMAZON.HelpIntent is missing",
        "error: $.interactionModel.dialog.intents[0] (OrderIntent).prompts.confirmation: prompt 'Confirm.Missing' "
        "is not defined",
        "error: $.interactionModel.dialog.intents[0] (OrderIntent).slots[0] (item).prompts.elicitation: a prompt "
        "is required here",
        "warning: $.interactionModel.prompts (Unused.Prompt): prompt is not used",
        f"warning: {lm}.types (Colour): slot type Colour is not used",
    ]
    for line in expected:
        assert line in text, f"missing: {line}\n--- got:\n{text}"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda lm: lm.update(invocationName="open cart"), "must not start with the launch word 'open'"),
        (lambda lm: lm.update(invocationName="cart"), "one-word names are only allowed"),
        (lambda lm: lm["intents"][0].update(samples=["x" * 201]), "longer than 200 characters"),
        (
            lambda lm: lm["types"][0]["values"].append({"id": "z", "name": {"value": "y" * 141}}),
            "longer than 140 characters",
        ),
        (lambda lm: lm["intents"][0]["slots"].append({"name": "product", "type": "ProductName"}), "defined twice"),
        (lambda lm: lm["intents"][0]["slots"][0].update(type=5), "wrong type"),
    ],
)
def test_each_rule_on_a_mutated_shipped_model(model, mutate, message):
    broken = copy.deepcopy(model)
    lm = broken["interactionModel"]["languageModel"]
    intent = next(i for i in lm["intents"] if i["name"] == "AddToCartIntent")
    lm["intents"].remove(intent)
    lm["intents"].insert(0, intent)
    mutate(lm)
    assert message in _messages(validate_model(broken))


def test_not_a_model_at_all():
    assert "not an interaction model" in _messages(validate_model({"languageModel": {}}))


def test_broken_manifest_fixture(model):
    manifest = json.loads((FIXTURES / "broken_skill.json").read_text())
    text = _messages(validate_manifest(manifest, {"en-US": model}))
    root = "$.manifest"
    for line in [
        f'{root}.manifestVersion: must be "1.0"',
        f"{root}.publishingInformation.locales.en-US.summary: required for publishing",
        f"{root}.publishingInformation.locales.en-US.examplePhrases: give one to three example phrases",
        f"{root}.publishingInformation.locales.en-US.examplePhrases[0]: 'open the shop': the first example phrase",
        "does not use the invocation name 'voice cart'",
        f"{root}.apis.custom.endpoint.uri: 'http://insecure.example.com': must be https://",
        f"{root}.privacyAndCompliance.allowsPurchases: must be declared",
    ]:
        assert line in text, f"missing: {line}\n--- got:\n{text}"


@pytest.mark.parametrize("slot_type", ["AMAZON.DayOfWeek", "AMAZON.PostalAddress", "AMAZON.Athlete", "AMAZON.US_STATE"])
def test_alexas_list_types_are_known_and_a_misspelt_one_is_not(model, slot_type):
    def warnings_for(type_name):
        changed = copy.deepcopy(model)
        lm = changed["interactionModel"]["languageModel"]
        intent = next(i for i in lm["intents"] if i["name"] == "AddToCartIntent")
        intent["slots"].append({"name": "extra", "type": type_name})
        return [str(p) for p in validate_model(changed) if "this validator knows" in str(p)]

    assert warnings_for(slot_type) == []
    assert len(warnings_for(slot_type.replace("AMAZON.", "AMAZON.Not"))) == 1
