"""A skill's outbound HTTP, whichever client it uses: declared stubs answer, a call nothing answers fails naming
its URL, and real calls are recorded into a cassette and replayed with the service gone."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from device_sim import Device
from device_sim.build import DeviceSpec, apply_conversation, build_device
from device_sim.conversation import load_conversation
from device_sim.http_stubs import HttpStubError, HttpStubs
from device_sim.runner import run_conversation

SKILL = Path(__file__).parent / "real_skills" / "web_quote"
CLIENTS = ["requests", "urllib", "http.client", "urllib3", "httpx", "aiohttp"]
QUOTE = "https://api.quotes.example/v1/today"
OPEN = "alexa, open daily quote"


def quote_device(client: str, quote_url: str = QUOTE, **options) -> Device:
    env = {"HTTP_CLIENT": client, "QUOTE_URL": quote_url}
    spec = DeviceSpec(skill=str(SKILL / "lambda_function.py"), model=str(SKILL / "en-US.json"), env=env, **options)
    return build_device(spec)


def _reply_json(handler: BaseHTTPRequestHandler, payload: object) -> None:
    body = json.dumps(payload).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class QuoteService:
    """A real web service on this machine, counting the calls that reach it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                service.hits.append(self.path)
                _reply_json(self, {"text": f"well begun is half done ({len(service.hits)})"})

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/today"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def service():
    running = QuoteService()
    yield running
    running.stop()


# -- declared stubs answer every client -----------------------------------------------------------------
@pytest.mark.parametrize("client", CLIENTS)
def test_a_declared_stub_answers_the_skill_whichever_client_it_uses(client):
    with quote_device(client, http=[{"url": QUOTE, "json": {"text": "less is more"}}]) as device:
        turn = device.say(OPEN)
    assert turn.speech == "Today's quote: less is more" and turn.unstubbed == []
    assert device.http.calls == [f"GET {QUOTE}?lang=en"]


@pytest.mark.parametrize("client", CLIENTS)
def test_a_call_no_stub_answers_fails_inside_the_skill_naming_the_url(client):
    with quote_device(client, http=[{"url": "https://api.other.example/", "json": {}}]) as device:
        turn = device.say(OPEN)
    assert turn.speech == "The quote service is not answering."
    assert turn.unstubbed == [f"GET {QUOTE}?lang=en"]
    logged = " ".join(turn.skill_log)
    assert f"no HTTP stub answers GET {QUOTE}?lang=en; declare a response under `http:`" in logged


def test_stub_matching_by_query_string_regex_and_method():
    stubs = HttpStubs(
        [
            {"url": "https://a.example/x?b=2&a=1", "body": "exact query"},
            {"url_regex": r"https://b\.example/items/\d+$", "json": [1]},
            {"url": "https://c.example/", "method": "post", "status": 201, "headers": {"X-Id": "7"}},
        ]
    )
    import requests

    with stubs.active() as unanswered:
        assert requests.get("https://a.example/x?a=1&b=2").text == "exact query"
        assert requests.get("https://b.example/items/42").json() == [1]
        created = requests.post("https://c.example", data="{}")
        assert created.status_code == 201 and created.headers["X-Id"] == "7"
        for refused in ("https://a.example/x?a=1", "https://b.example/items/x"):
            with pytest.raises(requests.ConnectionError, match="no HTTP stub answers GET"):
                requests.get(refused)
        with pytest.raises(requests.ConnectionError):
            requests.get("https://c.example/")  # the stub is for POST
    assert unanswered == ["GET https://a.example/x?a=1", "GET https://b.example/items/x", "GET https://c.example/"]


def test_calls_to_this_machine_pass_through_unless_recorded(service):
    with HttpStubs().active() as unanswered:
        import requests

        assert requests.get(service.url).json()["text"].startswith("well begun")
    assert unanswered == [] and service.hits == ["/v1/today"]


def test_a_skill_behind_http_is_reached_while_its_own_calls_are_stubbed(tmp_path):
    """The device's request to the skill's endpoint is real, even when calls to this machine are recorded."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("web_quote_served", SKILL / "lambda_function.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            envelope = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            _reply_json(self, module.lambda_handler(envelope, None))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/alexa"
        cassette = tmp_path / "calls.yaml"
        options = {"http_record": str(cassette), "http_record_local": True}
        stubs = [{"url": QUOTE, "json": {"text": "over the wire"}}]
        spec_ = DeviceSpec(url=url, sign=False, model=str(SKILL / "en-US.json"), http=stubs, **options)
        with build_device(spec_) as device:
            turn = device.say(OPEN)
    finally:
        server.shutdown()
        server.server_close()
    assert turn.speech == "Today's quote: over the wire" and turn.unstubbed == []
    assert device.http.calls == [f"GET {QUOTE}?lang=en"] and not cassette.exists()


# -- record and replay -----------------------------------------------------------------------------------
@pytest.mark.parametrize("client", CLIENTS)
def test_calls_are_recorded_once_and_replayed_with_the_service_stopped(client, service, tmp_path):
    cassette = tmp_path / "quotes.yaml"
    record = {"http_record": str(cassette), "http_record_local": True}
    with quote_device(client, service.url, **record) as device:
        first = device.say(OPEN)
    assert first.speech == "Today's quote: well begun is half done (1)" and first.unstubbed == []
    assert service.hits == ["/v1/today?lang=en"]
    recorded = yaml.safe_load(cassette.read_text())["interactions"]
    assert [i["request"]["uri"] for i in recorded] == [f"{service.url}?lang=en"]

    service.stop()
    with quote_device(client, service.url, **record) as device:  # mode once: the file exists, so it replays
        again = device.say(OPEN)
    assert again.speech == first.speech and again.unstubbed == []
    assert device.http.calls == [f"GET {service.url}?lang=en"]


def test_replay_refuses_a_call_that_was_not_recorded(service, tmp_path):
    cassette = tmp_path / "quotes.yaml"
    with quote_device("requests", service.url, http_record=str(cassette), http_record_local=True) as device:
        device.say(OPEN)
    service.stop()
    other = service.url.replace("/v1/today", "/v2/today")
    with quote_device(
        "requests", other, http_record=str(cassette), http_record_mode="none", http_record_local=True
    ) as d:
        turn = d.say(OPEN)
    assert turn.unstubbed == [f"GET {other}?lang=en"]


def test_new_episodes_replays_what_is_recorded_and_records_the_rest(service, tmp_path):
    cassette = tmp_path / "quotes.yaml"
    options = {"http_record": str(cassette), "http_record_mode": "new_episodes", "http_record_local": True}
    with quote_device("httpx", service.url, **options) as device:
        assert device.say(OPEN).speech.endswith("(1)")
    other = service.url.replace("/v1/today", "/v2/today")
    with quote_device("httpx", service.url, **options) as device:
        assert device.say(OPEN).speech.endswith("(1)")  # replayed
    with quote_device("httpx", other, **options) as device:
        assert device.say(OPEN).speech.endswith("(2)")  # not recorded yet: sent and recorded
    assert service.hits == ["/v1/today?lang=en", "/v2/today?lang=en"]
    assert len(yaml.safe_load(cassette.read_text())["interactions"]) == 2


def test_stubs_answer_before_the_recording_and_credentials_are_not_recorded(service, tmp_path):
    import requests

    cassette = tmp_path / "calls.yaml"
    stubs = HttpStubs([{"url": "https://api.stubbed.example/", "json": {}}], record=cassette, record_local=True)
    with stubs.active():
        requests.get("https://api.stubbed.example/")
        requests.get(service.url, headers={"Authorization": "Bearer secret-token", "X-Trace": "1"})
    text = cassette.read_text()
    assert "api.stubbed.example" not in text and "secret-token" not in text and "X-Trace" in text
    assert stubs.calls == ["GET https://api.stubbed.example/", f"GET {service.url}"]


def test_a_conversation_file_records_and_replays(service, tmp_path):
    conversation_file = tmp_path / "quote.conv.yaml"
    conversation_file.write_text(
        f"""
name: the quote comes from the recorded service
skill: {SKILL / "lambda_function.py"}
model: {SKILL / "en-US.json"}
env: {{QUOTE_URL: "{service.url}"}}
http_record: {{file: recorded/quotes.yaml, mode: once, local: true}}
steps:
  - say: {OPEN}
    expect: {{speech: "Today's quote: well begun is half done (1)"}}
"""
    )
    conversation = load_conversation(conversation_file)
    assert conversation.http_record == {
        "file": str(tmp_path / "recorded" / "quotes.yaml"),
        "mode": "once",
        "local": True,
    }
    assert run_conversation(conversation, lambda c: build_device(apply_conversation(DeviceSpec(), c))).passed
    service.stop()
    assert run_conversation(conversation, lambda c: build_device(apply_conversation(DeviceSpec(), c))).passed
    assert (tmp_path / "recorded" / "quotes.yaml").exists() and len(service.hits) == 1


def test_voicecart_sim_records_with_record_http(service, tmp_path, capsys):
    from voicecart.cli import main

    cassette = tmp_path / "quotes.yaml"
    args = ["sim", "--skill", str(SKILL / "lambda_function.py"), "--model", str(SKILL / "en-US.json")]
    args += ["--env", f"QUOTE_URL={service.url}", "--record-http", str(cassette), "--record-local", "--say", OPEN]
    assert main(args) == 0
    service.stop()
    assert main(args) == 0
    assert capsys.readouterr().out.count("well begun is half done (1)") == 2 and len(service.hits) == 1


def test_an_unknown_record_mode_is_refused(tmp_path):
    with pytest.raises(HttpStubError, match="unknown record mode 'sometimes'"):
        HttpStubs(record=tmp_path / "x.yaml", mode="sometimes")
