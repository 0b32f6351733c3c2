"""The bare baseline of bench/http_load_bench.py: an ask-sdk-core hello-world skill on Flask, as the SDK's
own examples serve it (DefaultSerializer, `skill.invoke`, `jsonify`), no verification, no store.

Run by the benchmark as `gunicorn -k gthread --threads 4 -w N 'bench.hello_app:create()'`, the worker
model `voicecart serve` uses.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope
from flask import Flask, jsonify, request


class Hello(AbstractRequestHandler):
    def can_handle(self, handler_input) -> bool:  # noqa: ANN001
        return True

    def handle(self, handler_input):  # noqa: ANN001, ANN201
        return handler_input.response_builder.speak("Hello world!").ask("Hello?").response


def create() -> Flask:
    builder = SkillBuilder()
    builder.add_request_handler(Hello())
    skill = builder.create()
    codec = DefaultSerializer()
    app = Flask("hello")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/alexa")
    def alexa():
        envelope = codec.deserialize(request.get_data(as_text=True), RequestEnvelope)
        return jsonify(codec.serialize(skill.invoke(request_envelope=envelope, context=None)))

    return app
