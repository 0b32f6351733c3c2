"""skill.json and the ASK CLI package written by `voicecart package`."""

from __future__ import annotations

import copy
import json
import sys

import pytest

from skills.packaging import (
    PackageError,
    build_skill_package,
    example_phrase_problems,
    load_manifest,
    manifest_problems,
    with_endpoint,
)
from voicecart.cli import main

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:voicecart-skill"


def tiny_model(locale: str) -> dict:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "voice cart",
                "intents": [
                    {"name": "ReorderIntent", "slots": [], "samples": ["reorder {product}", "reorder"]},
                    {"name": "OrderStatusIntent", "slots": [], "samples": ["where's my order"]},
                ],
                "types": [],
            }
        }
    }


def test_the_project_manifest_is_valid():
    assert manifest_problems(load_manifest()) == []


def test_the_manifest_declares_purchases_permissions_and_events():
    manifest = load_manifest()["manifest"]
    privacy = manifest["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is True
    assert privacy["isChildDirected"] is False
    assert privacy["containsAds"] is False
    assert {"usesPersonalInfo", "isExportCompliant"} <= privacy.keys()
    assert {p["name"] for p in manifest["permissions"]} == {
        "alexa::alerts:reminders:skill:readwrite",
        "alexa::profile:given_name:read",
        "alexa::devices:all:notifications:write",
    }
    subscriptions = {e["eventName"] for e in manifest["events"]["subscriptions"]}
    assert {
        "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
    } <= (subscriptions)
    assert manifest["events"]["publications"] == [{"eventName": "AMAZON.OrderStatus.Updated"}]
    assert manifest["publishingInformation"]["category"] == "SHOPPING"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m["manifest"].update(extraThing=1), "manifest.extraThing"),
        (
            lambda m: m["manifest"]["permissions"].append({"name": "alexa::profile:shoe_size:read"}),
            "not a valid",
        ),
        (
            lambda m: m["manifest"]["events"]["subscriptions"].append({"eventName": "SKILL_DANCED"}),
            "not a valid",
        ),
        (lambda m: m["manifest"]["privacyAndCompliance"].update(allowsPurchase=True), "allowsPurchase"),
        (
            lambda m: m["manifest"]["publishingInformation"]["locales"]["en-US"].update(summary="x" * 161),
            "summary is 161 characters",
        ),
        (
            lambda m: m["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"].append("a"),
            "1 to 3 example phrases",
        ),
        (lambda m: m["manifest"]["apis"]["custom"].pop("endpoint"), "endpoint.uri is missing"),
    ],
)
def test_manifest_mistakes_are_reported(change, problem):
    manifest = copy.deepcopy(load_manifest())
    change(manifest)
    problems = manifest_problems(manifest)
    assert any(problem in p for p in problems), problems


def test_an_https_endpoint_keeps_its_certificate_type():
    manifest = with_endpoint(load_manifest(), "https://shop.example.org/alexa", "Trusted")
    assert manifest["manifest"]["apis"]["custom"]["endpoint"] == {
        "uri": "https://shop.example.org/alexa",
        "sslCertificateType": "Trusted",
    }
    assert manifest_problems(manifest) == []


def test_a_lambda_endpoint_has_no_certificate_type():
    manifest = with_endpoint(load_manifest(), LAMBDA_ARN)
    assert manifest["manifest"]["apis"]["custom"]["endpoint"] == {"uri": LAMBDA_ARN}


@pytest.mark.parametrize(
    "uri",
    [
        "http://shop.example.org/alexa",
        "https://shop.example.org:8443/alexa",
        "arn:aws:s3:::bucket",
        "shop",
        "",
    ],
)
def test_endpoints_alexa_cannot_call_are_refused(uri):
    with pytest.raises(PackageError):
        with_endpoint(load_manifest(), uri)


def test_the_package_has_the_layout_ask_cli_reads(tmp_path):
    result = build_skill_package(tmp_path / "out", endpoint="https://shop.example.org/alexa", load_model=tiny_model)
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in result.written) == [
        "ask-resources.json",
        "skill-package/interactionModels/custom/en-US.json",
        "skill-package/skill.json",
    ]
    resources = json.loads((out / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"
    skill = json.loads((out / "skill-package/skill.json").read_text())
    assert skill["manifest"]["apis"]["custom"]["endpoint"]["uri"] == "https://shop.example.org/alexa"
    assert json.loads((out / "skill-package/interactionModels/custom/en-US.json").read_text()) == tiny_model("en-US")
    assert result.warnings == []


def test_a_package_left_on_the_placeholder_endpoint_says_so(tmp_path):
    result = build_skill_package(tmp_path, load_model=tiny_model)
    assert any("placeholder" in warning for warning in result.warnings)


def test_an_invalid_manifest_writes_nothing(tmp_path):
    manifest = load_manifest()
    manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["name"] = ""
    path = tmp_path / "skill.json"
    path.write_text(json.dumps(manifest))
    with pytest.raises(PackageError, match="name is empty"):
        build_skill_package(tmp_path / "out", manifest_path=path, load_model=tiny_model)
    assert not (tmp_path / "out").exists()


def test_example_phrases_must_be_sample_utterances():
    model = tiny_model("en-US")
    assert example_phrase_problems(["Alexa, open voice cart", "Alexa, ask voice cart to reorder diapers"], model) == []
    problems = example_phrase_problems(["Alexa, ask voice cart to dance", "Alexa, open other skill"], model)
    assert any("'Alexa, ask voice cart to dance' is not one" in p for p in problems)
    assert not any("must wake and name the skill" in p for p in problems)  # only the first phrase must
    assert example_phrase_problems(["open voice cart"], model)[0].startswith("the first example phrase")


def test_the_project_example_phrases_match_the_real_interaction_model():
    model_module = pytest.importorskip("intents.model")
    phrases = load_manifest()["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert example_phrase_problems(phrases, model_module.load_model("en-US")) == []


# -- the command ------------------------------------------------------------------------------------


def test_voicecart_package_writes_the_package(tmp_path, monkeypatch, capsys):
    import skills.cli

    monkeypatch.setattr(skills.cli, "_load_model_function", lambda: tiny_model)
    assert main(["package", str(tmp_path / "pkg"), "--endpoint", LAMBDA_ARN]) == 0
    assert "skill.json" in capsys.readouterr().out
    skill = json.loads((tmp_path / "pkg/skill-package/skill.json").read_text())
    assert skill["manifest"]["apis"]["custom"]["endpoint"] == {"uri": LAMBDA_ARN}


def test_voicecart_package_explains_a_bad_endpoint(tmp_path, monkeypatch, capsys):
    import skills.cli

    monkeypatch.setattr(skills.cli, "_load_model_function", lambda: tiny_model)
    assert main(["package", str(tmp_path / "pkg"), "--endpoint", "http://insecure.example/alexa"]) == 2
    assert "https://" in capsys.readouterr().err


def test_voicecart_package_says_when_the_interaction_model_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "intents.model", None)
    assert main(["package", str(tmp_path / "pkg")]) == 2
    assert "interaction model is not available" in capsys.readouterr().err
    assert not (tmp_path / "pkg").exists()
