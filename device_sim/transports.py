"""How a request envelope reaches a skill: in process, through a Lambda handler, or over HTTP.

Every transport takes a JSON-ready dict and returns the decoded response dict, or raises SkillError
describing what went wrong the way the developer console reports it.
"""

from __future__ import annotations

import contextvars
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any, Protocol

# Alexa waits this long for a skill before giving up on the request.
ALEXA_TIMEOUT_SECONDS = 8.0


class SkillError(Exception):
    """The skill did not produce a usable response; `kind` is exception, timeout, invalid_json,
    invalid_response or http_error."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class Transport(Protocol):
    def send(self, envelope: dict) -> dict: ...


class InProcessTransport:
    """Calls an ask-sdk-core CustomSkill object directly, through its own serializer, like its Lambda
    wrapper does, so the skill only ever sees what survives a JSON round trip."""

    def __init__(self, skill: Any) -> None:
        from ask_sdk_model import RequestEnvelope

        self._skill = skill
        self._request_type = RequestEnvelope

    def send(self, envelope: dict) -> dict:
        serializer = self._skill.serializer
        request = serializer.deserialize(payload=json.dumps(envelope), obj_type=self._request_type)
        try:
            response = self._skill.invoke(request_envelope=request, context=None)
        except Exception as exc:  # the skill's own failure: reported, never raised into the device
            raise SkillError("exception", f"{type(exc).__name__}: {exc}") from exc
        return _json_round_trip(serializer.serialize(response))


class LambdaContext:
    """The few attributes skills read from the AWS Lambda context object."""

    function_name = "voicecart-sim"
    function_version = "$LATEST"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:voicecart-sim"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return int(ALEXA_TIMEOUT_SECONDS * 1000)


class LambdaTransport:
    """Calls a Lambda entry point `handler(event, context)` with the envelope as the event."""

    def __init__(self, handler: Callable[[dict, Any], Any]) -> None:
        self._handler = handler

    def send(self, envelope: dict) -> dict:
        try:
            result = self._handler(json.loads(json.dumps(envelope)), LambdaContext())
        except Exception as exc:
            raise SkillError("exception", f"{type(exc).__name__}: {exc}") from exc
        if isinstance(result, (str, bytes)):
            return _decode(result)
        return _json_round_trip(result)


class HttpTransport:
    """POSTs the envelope to a skill endpoint URL, signed like Alexa signs it when a signer is given.

    `signer(body) -> headers` adds the Signature / SignatureCertChainUrl headers; signing is one call so
    the transport does not care how certificates are made.
    """

    wall_clock = True  # the server checks request timestamps against real time

    def __init__(
        self,
        url: str,
        *,
        signer: Callable[[bytes], dict[str, str]] | None = None,
        timeout: float = ALEXA_TIMEOUT_SECONDS,
        verify: bool | str = True,
    ) -> None:
        import requests

        self.url = url
        self._signer = signer
        self._timeout = timeout
        self._verify = verify
        self._http = requests.Session()

    def send(self, envelope: dict) -> dict:
        import requests

        body = json.dumps(envelope).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "voicecart-device-sim"}
        if self._signer is not None:
            headers.update(self._signer(body))
        try:
            reply = self._http.post(self.url, data=body, headers=headers, timeout=self._timeout, verify=self._verify)
        except requests.Timeout as exc:
            raise SkillError("timeout", f"no answer from {self.url} within {self._timeout:g} s") from exc
        except requests.RequestException as exc:
            raise SkillError("http_error", f"could not reach {self.url}: {exc}") from exc
        if reply.status_code != 200:
            raise SkillError("http_error", f"{self.url} answered HTTP {reply.status_code}: {reply.text[:200]}")
        return _decode(reply.content)

    def close(self) -> None:
        self._http.close()


class TimeLimited:
    """Wraps a transport so a skill that hangs is abandoned after Alexa's timeout.

    The call runs on a daemon thread: a hung skill cannot be killed, but it cannot keep the
    simulator (or the interpreter at exit) waiting either.
    """

    def __init__(self, inner: Transport, seconds: float = ALEXA_TIMEOUT_SECONDS) -> None:
        self.inner = inner
        self.seconds = seconds

    def send(self, envelope: dict) -> dict:
        outcome: dict[str, Any] = {}

        def call() -> None:
            try:
                outcome["response"] = self.inner.send(envelope)
            except BaseException as exc:  # carried back to the caller's thread
                outcome["error"] = exc

        # The call sees this thread's context: a clock lent to the skill goes with it.
        worker = threading.Thread(target=contextvars.copy_context().run, args=(call,), name="skill-call", daemon=True)
        worker.start()
        worker.join(self.seconds)
        if worker.is_alive():
            raise SkillError("timeout", f"the skill did not answer within {self.seconds:g} seconds")
        if "error" in outcome:
            error = outcome["error"]
            if isinstance(error, SkillError):
                raise error
            raise SkillError("exception", f"{type(error).__name__}: {error}") from error
        return outcome["response"]


def transport_for(target: Any, *, timeout: float | None = ALEXA_TIMEOUT_SECONDS) -> Transport:
    """A transport for a CustomSkill object, a Lambda handler function, or an http(s) URL."""
    transport: Transport
    if isinstance(target, str):
        if not target.startswith(("http://", "https://")):
            raise ValueError(f"not a skill endpoint URL: {target!r}")
        transport = HttpTransport(target, timeout=timeout or ALEXA_TIMEOUT_SECONDS)
        return transport  # requests enforces the timeout itself
    if hasattr(target, "invoke") and hasattr(target, "serializer"):
        transport = InProcessTransport(target)
    elif callable(target):
        transport = LambdaTransport(target)
    else:
        raise TypeError(f"cannot talk to {target!r}: expected a CustomSkill, a handler function or a URL")
    return TimeLimited(transport, timeout) if timeout else transport


def _decode(raw: str | bytes) -> dict:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SkillError("invalid_json", f"the response is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise SkillError("invalid_response", f"the response is a JSON {type(value).__name__}, not an object")
    return value


def _json_round_trip(value: Any) -> dict:
    try:
        return _decode(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise SkillError("invalid_json", f"the response cannot be encoded as JSON: {exc}") from exc
