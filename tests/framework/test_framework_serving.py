"""Two skills from one `voicecart serve`: signed requests over real HTTP to each endpoint, one shared cart."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import requests
from werkzeug.serving import make_server

from device_sim.device import Device
from device_sim.signing import LocalAlexaCA
from device_sim.skill_loader import SkillEndpoint
from device_sim.transports import HttpTransport
from reorder.bootstrap import open_backend
from reorder.clock import ManualClock
from skills.app import SKILL_ID
from skills.framework import PackageError


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("alexa") / "local-ca"


@pytest.fixture
def served(tmp_path, monkeypatch, ca_dir, bean_box):
    """voicecart at /alexa and Bean Box (named in VOICECART_SKILLS, as `voicecart serve` reads it) at
    /alexa/bean-box, verification on, trusting the simulator's signing CA."""
    from voicecart.server import build_server_app

    ca = LocalAlexaCA.create(ca_dir)  # the simulator's signing CA; the server is told where it is
    monkeypatch.setattr("skills.app.CAPABILITY_MODULES", ("skills.shopping",))
    monkeypatch.setenv("VOICECART_SKILLS", str(bean_box.manifest.parent))
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))  # certificates are checked against it
    backend = open_backend(f"sqlite:///{tmp_path / 'served.sqlite3'}", clock=clock)
    server = make_server("127.0.0.1", 0, build_server_app(backend, trust_ca=ca_dir), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", backend, ca
    finally:
        server.shutdown()
        thread.join(5)
        backend.close()


def _device(url, path, model, skill_id, ca, clock) -> Device:
    endpoint = SkillEndpoint.over(HttpTransport(url + path, signer=ca.sign), model, application_id=skill_id)
    return Device(endpoint, clock=clock, cloud=False)


def test_two_skills_add_to_one_cart(served, bean_box):
    from intents.model import load_model

    url, backend, ca = served
    with _device(url, "/alexa", load_model(), SKILL_ID, ca, backend.clock) as echo:
        turn = echo.say("alexa, ask voice cart to add two packs of bounty paper towels to my cart")
        assert "Added two packs of Bounty" in turn.speech, turn.error
    with _device(url, "/alexa/bean-box", bean_box.model(), bean_box.skill_id, ca, backend.clock) as echo:
        assert (
            "Your usual is now"
            in echo.say("alexa, ask bean box to make my usual two bags of pike place roast whole bean").speech
        )
        turn = echo.say("add my usual to my cart")
        assert "Added two bags of Starbucks Pike Place Roast" in turn.speech, turn.error
    demo = backend.households.by_name("demo")
    token = backend.households.issue_token(demo.id)
    cart = requests.get(url + "/api/cart", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
    quantities = {line["product_id"]: line["quantity"] for line in cart["items"]}
    assert quantities.get("starbucks-pike-place-roast-medium-roast-whole-bean-18-oz") == 2
    assert any("bounty" in pid and qty == 2 for pid, qty in quantities.items()), quantities


def test_each_endpoint_accepts_only_its_own_skill_id(served, bean_box):
    url, backend, ca = served
    # Signed correctly, but for voicecart's id: the Bean Box endpoint refuses it before any handler runs.
    with _device(url, "/alexa/bean-box", bean_box.model(), SKILL_ID, ca, backend.clock) as echo:
        turn = echo.say("alexa, ask bean box to add my usual to my cart")
        assert turn.error
    assert requests.post(url + "/alexa/bean-box", json={"version": "1.0"}, timeout=5).status_code == 400


def test_skills_served_together_must_differ(bean_box, backend):
    from skills.framework.definition import SkillDefinition
    from voicecart.server import build_server_app

    twin = SkillDefinition(
        "bean-box-two",
        bean_box.packages,
        skill_id="amzn1.ask.skill.bean-box-two",
        invocation_name="bean box",
        endpoint_path="/alexa/bean-box",
    )
    with pytest.raises(PackageError) as caught:
        build_server_app(backend, verify=False, skills=[bean_box, twin])
    text = str(caught.value)
    assert "same endpoint path '/alexa/bean-box'" in text and "same invocation name 'bean box'" in text


def test_one_echo_talks_to_both_skills_in_process(backend_demo, bean_box):
    """The simulator routes by invocation name; what Bean Box puts in the cart, voicecart reads out."""
    from intents.model import load_model
    from skills.app import build_skill
    from skills.framework.compose import build_skill as build_framework_skill

    backend = backend_demo
    voicecart = SkillEndpoint.of(
        build_skill(backend, modules=("skills.shopping",)), load_model(), application_id=SKILL_ID
    )
    beans = SkillEndpoint.of(
        build_framework_skill(bean_box, backend), bean_box.model(), application_id=bean_box.skill_id
    )
    with Device([voicecart, beans], clock=backend.clock, cloud=False) as echo:
        echo.say("alexa, ask bean box to make my usual one bag of pike place roast whole bean")
        assert "Added one bag" in echo.say("alexa, ask bean box to add my usual to my cart").speech
        turn = echo.say("alexa, ask voice cart what's in my cart")
    assert turn.skill == "voice cart" and "Pike Place Roast" in turn.speech, turn.speech


def test_the_lambda_handler_answers_only_its_skill_id(bean_box, store_env):
    from skills.framework.hosting import lambda_handler_for
    from skills.hosting.apology import apology_text

    handler = lambda_handler_for(bean_box)
    right = SkillEndpoint.of(handler, bean_box.model(), application_id=bean_box.skill_id)
    with Device(right, cloud=False) as echo:
        assert "Welcome to Bean Box" in echo.say("alexa, open bean box").speech
    wrong = SkillEndpoint.of(handler, bean_box.model(), application_id=SKILL_ID)
    with Device(wrong, cloud=False) as echo:
        # ask-sdk refuses the foreign id before any handler runs; the Lambda entry answers with the apology.
        assert echo.say("alexa, open bean box").speech == apology_text("en-US")
