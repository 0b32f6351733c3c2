import json

import pytest

from intents.model import build_model, load_model, write_models
from intents.source import SourceError, load_source
from reorder.domain.catalog import Product

# The contract between the language layer and the skill handlers: intent → slot → type.
CONTRACT = {
    "AddToCartIntent": {
        "product": "ProductName",
        "quantity": "AMAZON.NUMBER",
        "otherProduct": "ProductName",
        "otherQuantity": "AMAZON.NUMBER",
    },
    "UpdateCartQuantityIntent": {"product": "ProductName", "quantity": "AMAZON.NUMBER", "factor": "QuantityFactor"},
    "RemoveFromCartIntent": {"product": "ProductName", "quantity": "AMAZON.NUMBER"},
    "ReadCartIntent": {},
    "PriceQueryIntent": {"product": "ProductName", "quantity": "AMAZON.NUMBER", "otherProduct": "ProductName"},
    "ClearCartIntent": {},
    "CheckoutIntent": {},
    "ReorderIntent": {"product": "ProductName", "otherProduct": "ProductName"},
    "BuyItAgainIntent": {},
    "OrderStatusIntent": {"product": "ProductName", "date": "AMAZON.DATE"},
    "CancelOrderIntent": {"product": "ProductName"},
    "PurchaseCodeIntent": {"code": "AMAZON.FOUR_DIGIT_NUMBER"},
    "ChooseOptionIntent": {"option": "AMAZON.NUMBER", "product": "ProductName", "position": "ListPosition"},
    "CreateButtonIntent": {"product": "ProductName", "quantity": "AMAZON.NUMBER", "buttonName": "ButtonName"},
    "ListButtonsIntent": {"buttonName": "ButtonName"},
    "PressButtonIntent": {"buttonName": "ButtonName"},
    "RenameButtonIntent": {"buttonName": "ButtonName", "newName": "AMAZON.SearchQuery"},
    "DeleteButtonIntent": {"buttonName": "ButtonName"},
    "UpdateButtonIntent": {"buttonName": "ButtonName", "product": "ProductName", "quantity": "AMAZON.NUMBER"},
    "LogFeedingIntent": {
        "child": "ChildName",
        "amount": "AMAZON.NUMBER",
        "volumeUnit": "VolumeUnit",
        "milkType": "MilkType",
        "side": "BreastSide",
        "duration": "AMAZON.DURATION",
        "feedingKind": "FeedingKind",
        "time": "AMAZON.TIME",
        "ago": "AMAZON.DURATION",
        "diaperType": "DiaperType",
        "food": "SolidFood",
    },
    "LogDiaperIntent": {
        "child": "ChildName",
        "diaperType": "DiaperType",
        "time": "AMAZON.TIME",
        "ago": "AMAZON.DURATION",
        "amount": "AMAZON.NUMBER",
        "volumeUnit": "VolumeUnit",
        "milkType": "MilkType",
    },
    "LogSleepIntent": {
        "child": "ChildName",
        "sleepAction": "SleepAction",
        "time": "AMAZON.TIME",
        "ago": "AMAZON.DURATION",
        "diaperType": "DiaperType",
        "until": "AMAZON.TIME",
    },
    "LogMedicineIntent": {
        "child": "ChildName",
        "medicine": "MedicineName",
        "dose": "AMAZON.SearchQuery",
        "time": "AMAZON.TIME",
        "ago": "AMAZON.DURATION",
    },
    "LogPumpingIntent": {
        "amount": "AMAZON.NUMBER",
        "volumeUnit": "VolumeUnit",
        "side": "BreastSide",
        "time": "AMAZON.TIME",
        "ago": "AMAZON.DURATION",
    },
    "LogGrowthIntent": {
        "child": "ChildName",
        "weight": "AMAZON.NUMBER",
        "weightUnit": "WeightUnit",
        "length": "AMAZON.NUMBER",
        "lengthUnit": "LengthUnit",
    },
    "LogNoteIntent": {"child": "ChildName", "note": "AMAZON.SearchQuery"},
    "UndoLastEntryIntent": {},
    "CorrectLastEntryIntent": {
        "amount": "AMAZON.NUMBER",
        "volumeUnit": "VolumeUnit",
        "child": "ChildName",
        "product": "ProductName",
        "diaperType": "DiaperType",
        "milkType": "MilkType",
        "food": "SolidFood",
        "side": "BreastSide",
        "time": "AMAZON.TIME",
    },
    "SupplyQueryIntent": {"supply": "SupplyKind"},
    "LastEventQueryIntent": {"child": "ChildName", "eventKind": "BabyEventKind", "medicine": "MedicineName"},
    "SleepDurationQueryIntent": {"child": "ChildName"},
    "CountTodayQueryIntent": {"child": "ChildName", "eventKind": "BabyEventKind"},
    "IntakeTodayQueryIntent": {"child": "ChildName"},
    "DailySummaryIntent": {"child": "ChildName"},
    "FormulaMixIntent": {"amount": "AMAZON.NUMBER", "volumeUnit": "VolumeUnit", "scoops": "AMAZON.NUMBER"},
    "MedicalQuestionIntent": {"question": "AMAZON.SearchQuery"},
    "StartRoutineIntent": {"routine": "RoutineName"},
    "CreateRoutineIntent": {"routine": "RoutineName", "time": "AMAZON.TIME"},
    "SetReminderIntent": {
        "task": "AMAZON.SearchQuery",
        "duration": "AMAZON.DURATION",
        "time": "AMAZON.TIME",
        "date": "AMAZON.DATE",
    },
    "ListRemindersIntent": {},
    "CancelReminderIntent": {"task": "AMAZON.SearchQuery", "every": "ReminderScope"},
    "AMAZON.HelpIntent": {},
    "AMAZON.StopIntent": {},
    "AMAZON.CancelIntent": {},
    "AMAZON.YesIntent": {},
    "AMAZON.NoIntent": {},
    "AMAZON.FallbackIntent": {},
    "AMAZON.NavigateHomeIntent": {},
    "AMAZON.RepeatIntent": {},
    "AMAZON.StartOverIntent": {},
    "AMAZON.PreviousIntent": {},
}


def _intents(model):
    return {i["name"]: i for i in model["interactionModel"]["languageModel"]["intents"]}


def test_every_intent_and_slot_of_the_contract_is_in_the_model(model):
    intents = _intents(model)
    assert set(intents) == set(CONTRACT)
    for name, slots in CONTRACT.items():
        assert {s["name"]: s["type"] for s in intents[name].get("slots", [])} == slots, name


def test_custom_intents_have_at_least_fifteen_varied_samples(model):
    for name, intent in _intents(model).items():
        if not name.startswith("AMAZON."):
            samples = intent["samples"]
            assert len(set(samples)) >= 15, name
            assert len({" ".join(s.split()[:2]) for s in samples}) >= 3, f"{name}: samples all start alike"


def test_product_names_come_from_the_catalog():
    products = [
        Product("acme-soft-s2-40", "Acme", "Soft Touch", "diapers", "baby", "size 2", 40, synonyms=("acme softies",)),
        Product("zest-dish-1", "Zest", "", "dish soap", "household"),
    ]
    model = build_model("en-US", products=products)
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    values = {v["id"]: v["name"] for v in types["ProductName"]["values"]}
    assert values["brand.acme"]["value"] == "acme"
    assert values["line.acme.soft_touch"]["value"] == "acme soft touch"
    assert "acme softies" in values["line.acme.soft_touch"]["synonyms"]
    assert values["kind.dish_soap"]["value"] == "dish soap"
    assert values["kind.diapers"]["value"] == "diapers"  # a base value, not repeated for the catalog kind
    spoken = [v["value"] for v in values.values()] + [s for v in values.values() for s in v.get("synonyms", [])]
    assert len(spoken) == len(set(spoken)), "a spoken form must belong to one value only"
    assert {v["id"] for v in types["ButtonName"]["values"]} >= {"kitchen", "kind.dish_soap"}


def test_shipped_model_has_the_real_catalog(model):
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    assert len(types["ProductName"]["values"]) > 100
    assert all(len(v["name"]["value"]) <= 140 for v in types["ProductName"]["values"])


def test_dialog_requires_slots_and_confirms_purchases(model):
    im = model["interactionModel"]
    dialog = {d["name"]: d for d in im["dialog"]["intents"]}
    prompts = {p["id"] for p in im["prompts"]}
    for purchase in ("CheckoutIntent", "ReorderIntent", "CancelOrderIntent", "CreateButtonIntent"):
        assert dialog[purchase]["confirmationRequired"] is True
        assert dialog[purchase]["prompts"]["confirmation"] in prompts
    slots = {s["name"]: s for s in dialog["CreateButtonIntent"]["slots"]}
    assert slots["product"]["confirmationRequired"] and slots["product"]["elicitationRequired"]
    code = {s["name"]: s for s in dialog["PurchaseCodeIntent"]["slots"]}["code"]
    assert code["elicitationRequired"] and code["prompts"]["elicitation"] in prompts
    quantity = {s["name"]: s for s in dialog["AddToCartIntent"]["slots"]}["quantity"]
    assert quantity["validations"][0]["type"] == "isGreaterThanOrEqualTo"


def test_load_model_returns_a_fresh_copy():
    a = load_model()
    a["interactionModel"]["languageModel"]["invocationName"] = "changed"
    assert load_model()["interactionModel"]["languageModel"]["invocationName"] == "voice cart"


def test_write_models_writes_one_json_per_locale(tmp_path):
    paths = write_models(tmp_path, ["en-US"], products=[])
    assert [p.name for p in paths] == ["en-US.json"]
    data = json.loads(paths[0].read_text())
    assert set(data["interactionModel"]) == {"languageModel", "dialog", "prompts"}


def test_unknown_locale_is_a_clear_error():
    with pytest.raises(SourceError, match="no interaction model source for locale 'xx-XX'"):
        load_source("xx-XX")


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_broken_source_reports_file_and_location(tmp_path):
    loc = tmp_path / "en-GB"
    _write(loc, "locale.yaml", "locale: en-GB\ninvocationName: voice cart\n")
    _write(loc, "a.yaml", "intents:\n  GoodIntent:\n    samples: [hello]\n    slots:\n      thing: {}\n")
    _write(loc, "b.yaml", "intents:\n  GoodIntent:\n    samples: [hi]\n")
    _write(loc, "c.yaml", "types:\n  Colour:\n    values:\n      - {id: red}\n")
    _write(loc, "d.yaml", "intents: [unclosed\n")
    with pytest.raises(SourceError) as err:
        load_source("en-GB", tmp_path)
    text = "\n".join(err.value.problems)
    assert "a.yaml: $.intents.GoodIntent.slots.thing: 'type' is a required property" in text
    assert "c.yaml: $.types.Colour.values[0]: 'value' is a required property" in text
    assert "d.yaml: cannot read" in text


def test_intent_defined_in_two_files_is_an_error(tmp_path):
    loc = tmp_path / "en-GB"
    _write(loc, "locale.yaml", "locale: en-GB\ninvocationName: voice cart\n")
    _write(loc, "a.yaml", "intents:\n  GoodIntent:\n    samples: [hello]\n")
    _write(loc, "b.yaml", "intents:\n  GoodIntent:\n    samples: [hi]\n")
    with pytest.raises(SourceError, match=r"b.yaml: \$.intents.GoodIntent: already defined in a.yaml"):
        load_source("en-GB", tmp_path)


def test_a_new_locale_is_a_new_folder(tmp_path):
    loc = tmp_path / "en-GB"
    _write(loc, "locale.yaml", "locale: en-GB\ninvocationName: voice trolley\n")
    _write(loc, "i.yaml", "intents:\n  AMAZON.StopIntent: {}\n  HelloIntent:\n    samples: [hello there]\n")
    model = build_model("en-GB", products=[], data_dir=tmp_path)
    lm = model["interactionModel"]["languageModel"]
    assert lm["invocationName"] == "voice trolley"
    assert [i["name"] for i in lm["intents"]] == ["AMAZON.StopIntent", "HelloIntent"]
