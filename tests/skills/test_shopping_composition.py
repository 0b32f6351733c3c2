"""How the skill is put together: capability modules, the Lambda entry, the common handlers."""

from __future__ import annotations

import json

import pytest
from shop_support import envelope, intent_request, speech_of

from skills.app import build_skill, capability_handlers


def test_a_missing_capability_is_skipped(skill_ctx):
    handlers = capability_handlers(skill_ctx, ("skills.shopping", "skills.no_such_capability"))
    assert any(type(h).__name__ == "AddToCartHandler" for h in handlers)


def test_a_broken_capability_fails_loudly(skill_ctx, tmp_path, monkeypatch):
    package = tmp_path / "broken_capability"
    package.mkdir()
    (package / "__init__.py").write_text("import no_such_dependency_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        capability_handlers(skill_ctx, ("broken_capability",))


def test_skill_id_is_checked(shop, skill_ctx):
    from skills.hosting.lambda_entry import lambda_handler

    skill = build_skill(shop, ctx=skill_ctx, modules=())
    foreign = intent_request("AMAZON.HelpIntent", application_id="amzn1.ask.skill.someone-else")
    # ask-sdk refuses a foreign skill id; the hosting layer turns that into a spoken apology.
    assert "went wrong" in speech_of(lambda_handler(skill)(foreign, None))
    assert "add things" in speech_of(lambda_handler(skill)(intent_request("AMAZON.HelpIntent"), None))


def test_lambda_function_builds_once_from_the_environment(tmp_path, monkeypatch):
    import skills.lambda_function as entry
    from skills.hosting.lambda_entry import built_on_first_event

    monkeypatch.setenv("VOICECART_STORE", f"sqlite:///{tmp_path / 'lambda.sqlite3'}")
    monkeypatch.setattr("skills.app.CAPABILITY_MODULES", ("skills.shopping",))
    builds = []

    def counted(clock):
        builds.append(clock)
        return entry._build(clock)

    handler = built_on_first_event(counted)  # what entry.lambda_handler is, with its builds counted
    launch = envelope({"type": "LaunchRequest"}, new=True)
    assert "Welcome to voicecart" in speech_of(handler(json.loads(json.dumps(launch)), None))
    handler(intent_request("AMAZON.StopIntent"), None)
    assert builds == [None]  # once, on the system clock


def test_session_ended_and_stop(shop, skill_ctx):
    from skills.hosting.lambda_entry import lambda_handler

    handle = lambda_handler(build_skill(shop, ctx=skill_ctx, modules=()))
    ended = handle(envelope({"type": "SessionEndedRequest", "reason": "USER_INITIATED"}), None)
    assert "outputSpeech" not in ended["response"]
    stop = handle(intent_request("AMAZON.StopIntent"), None)
    assert stop["response"]["shouldEndSession"] is True and "Goodbye" in speech_of(stop)
    stray_yes = handle(intent_request("AMAZON.YesIntent"), None)
    assert "nothing was ordered" in speech_of(stray_yes) and stray_yes["response"]["shouldEndSession"] is False
    stray_no = handle(intent_request("AMAZON.NoIntent"), None)  # "Anything else?" "No."
    assert "Goodbye" in speech_of(stray_no) and stray_no["response"]["shouldEndSession"] is True


def test_help_names_what_the_composed_skill_can_do():
    from skills.app import help_text

    everything = help_text()
    assert "cart" in everything and "button" in everything and "feedings" in everything
    shopping_only = help_text(("skills.shopping",))
    assert "cart" in shopping_only and "button" not in shopping_only and "feedings" not in shopping_only
