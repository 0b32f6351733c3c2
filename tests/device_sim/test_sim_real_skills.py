"""Skills in the shapes real skills take, run unmodified from their own folders while the tests run from
the repository root: Lambda's task root and variables, root-cause errors, DynamoDB/S3 persistence through
the ASK SDK's adapters, outbound HTTP stubs, and Alexa's entity resolution."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
import sim_skills
from store_fixtures import dynamo_server  # noqa: F401 - the suite's local DynamoDB, reused below

from device_sim import Device, SkillEndpoint
from device_sim.build import DeviceSpec, build_device
from device_sim.conversation import load_conversation
from device_sim.runner import run_conversation
from device_sim.skill_loader import SkillLoadError, load_target

REAL = Path(__file__).parent / "real_skills"
PET_SKILL_ID = "amzn1.ask.skill.0e5f1c2a-pet-match-test"


def device_for(name: str, model: str = "en-US.json", **options) -> Device:
    folder = REAL / name
    return build_device(DeviceSpec(skill=str(folder / "lambda_function.py"), model=str(folder / model), **options))


def write_skill(folder: Path, body: str, invocation: str = "probe") -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lambda_function.py").write_text(textwrap.dedent(body))
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": invocation,
                "intents": [
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
            }
        }
    }
    (folder / "en-US.json").write_text(json.dumps(model))
    return str(folder / "lambda_function.py"), str(folder / "en-US.json")


SPEAKING_SKILL = textwrap.dedent("""
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_core.utils import is_request_type

    sb = SkillBuilder()

    @sb.request_handler(can_handle_func=lambda h: True)
    def answer(handler_input):
        return handler_input.response_builder.speak(speech(handler_input)).set_should_end_session(True).response

    lambda_handler = sb.lambda_handler()
""")


# -- 1. Lambda-like execution -----------------------------------------------------------------------------
def test_a_skill_runs_from_its_task_root_with_lambdas_variables(tmp_path):
    skill, model = write_skill(
        tmp_path / "probe",
        textwrap.dedent("""
        import os, sys
        import helper
        IMPORTED_IN = os.getcwd()
    """)
        + SPEAKING_SKILL.replace("speech(handler_input)", "helper.report(IMPORTED_IN)"),
    )
    (tmp_path / "probe" / "helper.py").write_text(
        textwrap.dedent("""
        import os, sys
        def report(imported_in):
            return " ".join([os.path.basename(imported_in), os.path.basename(os.getcwd()),
                             os.path.basename(os.environ["LAMBDA_TASK_ROOT"]), os.environ["AWS_REGION"],
                             os.environ["AWS_LAMBDA_FUNCTION_NAME"], os.environ["_HANDLER"],
                             str(sys.path[0] == os.environ["LAMBDA_TASK_ROOT"]), os.environ.get("GREETING", "-")])
    """)
    )
    here, path_before = os.getcwd(), list(sys.path)
    device = build_device(DeviceSpec(skill=skill, model=model, env={"GREETING": "hi"}))
    with device:
        turn = device.say("alexa, open probe")
    assert turn.speech == "probe probe probe us-east-1 voicecart-sim lambda_function.lambda_handler True hi"
    assert os.getcwd() == here and sys.path == path_before and "LAMBDA_TASK_ROOT" not in os.environ


def test_an_import_error_names_the_root_cause_and_the_line(tmp_path):
    skill, _ = write_skill(
        tmp_path / "broken",
        """
        import json

        def load():
            try:
                return json.load(open("missing_strings.json"))
            except OSError as exc:
                raise RuntimeError("no strings") from exc

        STRINGS = load()
    """,
    )
    with pytest.raises(SkillLoadError) as raised:
        load_target(skill)
    message = str(raised.value)
    assert "Runtime.ImportModuleError" in message
    assert "FileNotFoundError: [Errno 2] No such file or directory: 'missing_strings.json'" in message
    assert "(at lambda_function.py:6 in load)" in message and "then RuntimeError: no strings" in message


def test_a_handler_error_names_the_root_cause_and_what_the_skill_logged(tmp_path):
    skill, model = write_skill(
        tmp_path / "failing",
        textwrap.dedent("""
        import logging
        logger = logging.getLogger(__name__)

        def speech(handler_input):
            try:
                {}["strings"]
            except KeyError:
                logger.error("the strings are not loaded", exc_info=True)
            return _("hello")
    """)
        + SPEAKING_SKILL,
    )
    with build_device(DeviceSpec(skill=skill, model=model)) as device:
        turn = device.say("alexa, open probe")
    assert turn.speech == "There was a problem with the requested skill's response"
    assert "NameError: name '_' is not defined (at lambda_function.py:10 in speech)" in turn.error
    assert "before that the skill logged: KeyError: 'strings' (at lambda_function.py:7 in speech)" in turn.error
    assert turn.skill_log == ["KeyError: 'strings' (at lambda_function.py:7 in speech)"]


def test_relative_files_sibling_modules_and_gettext_locales_load_from_the_skills_folder():
    assert Path.cwd() != REAL / "greeter"
    with device_for("greeter") as device:
        assert device.say("alexa, open greeter").speech == "Hello! Welcome to the greeter. Have a nice day."
    with device_for("greeter", "de-DE.json", profile={"locale": "de-DE"}) as device:
        turn = device.say("alexa, öffne begrüßer")
        assert turn.speech == "Hallo! Willkommen beim Begrüßer. Einen schönen Tag noch."


# -- 2. offline persistence -------------------------------------------------------------------------------
@pytest.mark.dynamodb
def test_standard_skill_builder_persists_to_the_local_dynamodb_and_keeps_data_between_runs(tmp_path):
    state = tmp_path / "memory-game-aws.json"
    with device_for("memory_game", aws_state=str(state)) as device:
        assert "This is visit 1. Tell me your favourite colour." in device.say("alexa, open memory game").speech
        assert device.say("my favourite colour is blue").speech == "I will remember that you like blue."
        assert "visit 2. Your favourite colour is blue." in device.say("alexa, open memory game").speech
    saved = json.loads(state.read_text())
    assert [t["name"] for t in saved["tables"]] == ["MemoryGame"]
    with device_for("memory_game", aws_state=str(state)) as device:
        assert "visit 3. Your favourite colour is blue." in device.say("alexa, open memory game").speech
    with device_for("memory_game") as device:  # no state file: a fresh local AWS each run
        assert "This is visit 1." in device.say("alexa, open memory game").speech


def test_an_endpoint_already_running_is_reused(dynamo_server):  # noqa: F811 - a fixture
    import boto3

    with device_for("memory_game", aws_endpoint=dynamo_server.endpoint) as device:
        assert "This is visit 1." in device.say("alexa, open memory game").speech
    table = boto3.resource("dynamodb", endpoint_url=dynamo_server.endpoint, region_name="us-east-1").Table("MemoryGame")
    items = table.scan()["Items"]
    assert items[0]["attributes"]["visits"] == 1
    table.delete()


@pytest.mark.dynamodb
def test_the_s3_adapter_persists_to_the_local_s3(tmp_path):
    skill, model = write_skill(
        tmp_path / "s3_skill",
        """
        import boto3
        from ask_sdk_core.skill_builder import CustomSkillBuilder
        from ask_sdk_s3.adapter import S3Adapter

        sb = CustomSkillBuilder(persistence_adapter=S3Adapter(bucket_name="skill-data", s3_client=boto3.client("s3")))

        @sb.request_handler(can_handle_func=lambda h: True)
        def count(handler_input):
            saved = handler_input.attributes_manager.persistent_attributes
            saved["count"] = saved.get("count", 0) + 1
            handler_input.attributes_manager.save_persistent_attributes()
            return handler_input.response_builder.speak(f"count {saved['count']}").response

        lambda_handler = sb.lambda_handler()
    """,
    )
    with build_device(DeviceSpec(skill=skill, model=model, aws_buckets=["skill-data"])) as device:
        assert device.say("alexa, open probe").speech == "count 1"
        assert device.say("alexa, open probe").speech == "count 2"


def test_a_skill_without_aws_starts_no_local_aws(tmp_path):
    from device_sim.build import start_local_aws

    skill, model = write_skill(tmp_path / "plain", "def speech(h):\n    return 'hi'\n" + SPEAKING_SKILL)
    assert start_local_aws(DeviceSpec(skill=skill, model=model)) is None
    assert start_local_aws(DeviceSpec(skill=str(REAL / "memory_game" / "lambda_function.py"), aws="off")) is None


# -- 3. outbound HTTP stubs -------------------------------------------------------------------------------
FORECAST = {"url": "https://api.weather.example/v1/forecast", "json": {"summary": "rainy", "high": 12}}


def test_declared_http_stubs_answer_the_skills_web_service_calls():
    with device_for("weather", http=[FORECAST]) as device:
        turn = device.say("alexa, ask sky watch for the forecast for oslo")
    assert turn.speech == "In oslo it will be rainy with a high of 12 degrees." and turn.unstubbed == []
    assert device.http.calls == ["GET https://api.weather.example/v1/forecast?city=oslo"]


def test_a_call_with_no_stub_fails_the_conversation_naming_the_url():
    conversation = load_conversation(REAL / "weather" / "forecast.conv.yaml")
    conversation.http = [{"url": "https://api.other.example/", "json": {}}]
    result = run_conversation(conversation, lambda c: device_for("weather", http=c.http))
    assert not result.passed
    report = result.report()
    assert "the skill called GET https://api.weather.example/v1/forecast?city=paris with no stub" in report
    assert (
        "the skill logged: UnstubbedHttpCall: no HTTP stub answers GET https://api.weather.example/v1/forecast?city=paris"
        in report
    )


def test_the_http_stubs_fixture(device_factory, http_stubs):
    http_stubs.add(url="https://api.weather.example/v1/forecast", json={"summary": "foggy", "high": 9})
    device = device_factory(
        skill=str(REAL / "weather" / "lambda_function.py"), model=str(REAL / "weather" / "en-US.json"), http=http_stubs
    )
    assert "foggy" in device.say("alexa, ask sky watch for the forecast for london").speech


def test_a_stub_declaration_with_a_wrong_field_is_refused():
    from device_sim.http_stubs import HttpStubError, HttpStubs

    with pytest.raises(HttpStubError, match="http stub 1: unknown keys \\['jsn'\\]"):
        HttpStubs([{"url": "https://x.example/", "jsn": {}}])
    with pytest.raises(HttpStubError, match="exactly one of url or url_regex"):
        HttpStubs([{"json": {}}])


# -- 4. entity resolution as Alexa does it --------------------------------------------------------------
def test_a_types_own_value_inside_a_sentence_resolves_under_the_skills_authority():
    with device_for("pet_match") as device:
        device.say("alexa, open pet match")
        turn = device.say("i want a small family dog")
    assert turn.speech == "You should get a shih tzu."
    assert turn.slots["size"]["id"] == "SMALL" and turn.slots["energy"]["id"] == "LOW"
    sent = turn.exchanges[-1][0]["request"]["intent"]["slots"]["size"]["resolutions"]["resolutionsPerAuthority"]
    assert sent == [
        {
            "authority": f"amzn1.er-authority.echo-sdk.{PET_SKILL_ID}.sizeType",
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": "small", "id": "SMALL"}}],
        }
    ]
    assert turn.exchanges[-1][0]["session"]["application"]["applicationId"] == PET_SKILL_ID


def test_synonyms_resolve_and_the_dialog_delegates_the_missing_slot():
    with device_for("pet_match") as device:
        device.say("alexa, open pet match")
        assert device.say("i want a tiny dog").speech == "Calm or energetic?"
        assert device.say("playful").speech == "You should get a jack russell terrier."


def test_dynamic_entities_keep_their_own_authority():
    endpoint = SkillEndpoint.of(load_target(sim_skills.TEA_HANDLER), sim_skills.TEA_MODEL)
    with Device(endpoint) as device:
        device.say("alexa, open tea timer")
        turn = device.say("brew the usual")
    assert turn.slot_id("tea") == "HOUSE"
    slot = turn.exchanges[0][0]["request"]["intent"]["slots"]["tea"]
    authorities = {a["authority"]: a["status"]["code"] for a in slot["resolutions"]["resolutionsPerAuthority"]}
    skill_id = endpoint.application_id
    assert authorities[f"amzn1.er-authority.echo-sdk.dynamic.{skill_id}.TeaType"] == "ER_SUCCESS_MATCH"
    assert authorities[f"amzn1.er-authority.echo-sdk.{skill_id}.TeaType"] == "ER_SUCCESS_NO_MATCH"
    assert list(authorities)[0].startswith("amzn1.er-authority.echo-sdk.dynamic.")


def test_resolution_keeps_the_engines_near_match_and_adds_exact_ones():
    from device_sim.resolution import TypeValues, resolve_intent

    model = json.loads((REAL / "pet_match" / "en-US.json").read_text())
    engine_said = {
        "name": "PetMatchIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "size": {
                "name": "size",
                "value": "Little",
                "resolutions": {
                    "resolutionsPerAuthority": [
                        {
                            "authority": "amzn1.er-authority.echo-sdk.voicecart.sizeType",
                            "status": {"code": "ER_SUCCESS_NO_MATCH"},
                        }
                    ]
                },
            },
            "energy": {
                "name": "energy",
                "value": "energetick",
                "resolutions": {
                    "resolutionsPerAuthority": [
                        {
                            "authority": "x",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": "energetic", "id": "HIGH"}}],
                        }
                    ]
                },
            },
        },
    }
    resolved = resolve_intent(engine_said, TypeValues(model), "amzn1.ask.skill.abc")
    size = resolved["slots"]["size"]["resolutions"]["resolutionsPerAuthority"][0]
    energy = resolved["slots"]["energy"]["resolutions"]["resolutionsPerAuthority"][0]
    assert size["authority"] == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.abc.sizeType"
    assert size["values"] == [{"value": {"name": "small", "id": "SMALL"}}]
    assert energy["values"][0]["value"]["id"] == "HIGH" and energy["authority"].endswith(".energyType")
    assert engine_said["slots"]["size"]["resolutions"]["resolutionsPerAuthority"][0]["authority"].endswith(
        "voicecart.sizeType"
    )  # the input is left as it was


def test_the_command_line_takes_stubs_variables_and_a_kept_aws(tmp_path, capsys):
    from voicecart.cli import main

    stubs = tmp_path / "stubs.yaml"
    stubs.write_text("- url: https://api.weather.example/v1/forecast\n  json: {summary: windy, high: 7}\n")
    weather = REAL / "weather"
    assert (
        main(
            [
                "sim",
                "--skill",
                str(weather / "lambda_function.py"),
                "--model",
                str(weather / "en-US.json"),
                "--http-stubs",
                str(stubs),
                "--env",
                "UNUSED=1",
                "--say",
                "alexa, ask sky watch for the forecast for bergen",
            ]
        )
        == 0
    )
    assert "In bergen it will be windy with a high of 7 degrees." in capsys.readouterr().out
    stubs.write_text("[]\n")
    main(
        [
            "sim",
            "--skill",
            str(weather / "lambda_function.py"),
            "--model",
            str(weather / "en-US.json"),
            "--http-stubs",
            str(stubs),
            "--say",
            "alexa, ask sky watch for the forecast for bergen",
        ]
    )
    out = capsys.readouterr().out
    assert "no HTTP stub for: GET https://api.weather.example/v1/forecast?city=bergen" in out
    assert (
        main(
            [
                "sim",
                "--skill",
                str(weather / "lambda_function.py"),
                "--model",
                str(weather / "en-US.json"),
                "--env",
                "NOEQUALS",
                "--say",
                "hi",
            ]
        )
        == 2
    )
    assert "--env takes NAME=VALUE" in capsys.readouterr().err
