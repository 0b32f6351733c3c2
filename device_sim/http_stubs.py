"""Answers for a skill's outbound HTTP calls, so a skill that calls web services runs offline.

Stubs are declared in a conversation file (`http:`), given to `Device(http=HttpStubs([...]))`, or added
through the pytest fixture `http_stubs`. While the device sends a request to the skill, every call the
skill makes through requests, urllib.request, http.client, urllib3, httpx or aiohttp (and boto3) is
intercepted by vcrpy (device_sim/http_cassette.py) and answered from the stubs. A call that no stub answers
raises `UnstubbedHttpCall` (a `ConnectionError`, as an unreachable host would) inside the skill, naming the
call and how to stub it, and is recorded on the turn (`Turn.unstubbed`) so the conversation fails with the URL
named. The device's own endpoints (the emulated Alexa APIs, an HTTP skill, the local AWS) pass through, and so
do other calls to this machine (localhost, 127.x) unless `record_local` is set.

A stub: `{url, method: GET, status: 200, json | body, headers, content_type}`; `url` matches the whole
URL with any query string unless it has one of its own; `url_regex` matches a regular expression instead
(from the start of the URL, query string included).

Record and replay: `HttpStubs(record="calls.yaml", mode="once")` sends calls no stub answers to the real
service and records them in that vcrpy cassette file; later runs replay them, offline. Modes are vcrpy's:
`once` records only while the file does not exist, `new_episodes` replays what is recorded and records what
is not, `none` only replays, `all` records every call again.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

STUB_KEYS = {"url", "url_regex", "method", "status", "json", "body", "headers", "content_type"}
HOW_TO_ANSWER = (
    "declare a response under `http:` in the conversation file (http_stubs.add(url=...) in pytest), "
    "or record the real service with `http_record:` (voicecart sim --record-http FILE)"
)


class HttpStubError(ValueError):
    """A stub declaration that cannot be used; the message says which field is wrong."""


class UnstubbedHttpCall(ConnectionError):
    """Raised inside the skill for a call nothing answers; a ConnectionError, as an unreachable host gives."""

    def __init__(self, method: str, url: str, recording: str | None = None) -> None:
        self.call = f"{method} {url}"
        how = HOW_TO_ANSWER
        if recording:
            how = f"nor does the recording {recording}; {HOW_TO_ANSWER}, mode new_episodes (--record-mode) to add it"
        super().__init__(f"no HTTP stub answers {self.call}; {how}")


@dataclass(frozen=True)
class Stub:
    method: str
    url: str | None
    pattern: re.Pattern[str] | None
    status: int
    headers: dict[str, str]
    body: bytes

    def matches(self, method: str, url: str) -> bool:
        if method.upper() != self.method:
            return False
        if self.pattern is not None:
            return self.pattern.match(url) is not None
        assert self.url is not None
        wanted, called = urlsplit(self.url), urlsplit(url)
        if _origin_and_path(wanted) != _origin_and_path(called):
            return False
        # A stub without a query string answers any; one with a query string needs the same parameters.
        return not wanted.query or sorted(parse_qsl(wanted.query)) == sorted(parse_qsl(called.query))


def _origin_and_path(parts: Any) -> tuple:
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port if parts.port != default_port else None
    return parts.scheme, (parts.hostname or "").lower(), port, parts.path or "/"


class HttpStubs:
    def __init__(
        self,
        stubs: Iterable[dict] = (),
        *,
        record: str | Path | None = None,
        mode: str = "once",
        record_local: bool = False,
    ) -> None:
        from device_sim.http_cassette import Switchboard

        self._stubs: list[Stub] = []
        self._pass: list[str] = []
        self.unstubbed: list[str] = []  # every call nothing answered, "METHOD URL"
        self.calls: list[str] = []  # every call a stub (or the recording, or the recorded service) answered
        self._new: list[str] = []  # the unanswered calls of the request being handled
        for index, stub in enumerate(stubs, start=1):
            if not isinstance(stub, dict):
                raise HttpStubError(f"http stub {index} must be a mapping like {{url: ..., json: ...}}")
            try:
                self.add(**stub)
            except TypeError as exc:
                unknown = sorted(set(stub) - STUB_KEYS)
                raise HttpStubError(f"http stub {index}: unknown keys {unknown}; allowed: {sorted(STUB_KEYS)}") from exc
            except HttpStubError as exc:
                raise HttpStubError(f"http stub {index}: {exc}") from exc
        try:
            self._board = Switchboard(
                self._answer, self._refuse, self._pass, record=record, mode=mode, record_local=record_local
            )
        except ValueError as exc:
            raise HttpStubError(str(exc)) from exc

    @property
    def recording(self) -> Path | None:
        """The cassette file calls are recorded in and replayed from, if any."""
        return self._board.recording

    def add(
        self,
        url: str | None = None,
        *,
        url_regex: str | None = None,
        method: str = "GET",
        status: int = 200,
        json: Any = None,
        body: str | None = None,
        headers: dict | None = None,
        content_type: str | None = None,
    ) -> None:
        """Answers `method url` with `json` (or `body`) and `status`, every time it is called."""
        if (url is None) == (url_regex is None):
            raise HttpStubError("give exactly one of url or url_regex")
        if json is not None and body is not None:
            raise HttpStubError("give json or body, not both")
        pattern = None
        if url_regex is not None:
            try:
                pattern = re.compile(url_regex)
            except re.error as exc:
                raise HttpStubError(f"url_regex is not a regular expression: {exc}") from exc
        if json is not None:
            content, kind = jsonlib.dumps(json).encode("utf-8"), "application/json"
        else:
            content, kind = (body or "").encode("utf-8"), content_type or "text/plain"
        sent = {"Content-Type": kind, **{str(k): str(v) for k, v in (headers or {}).items()}}
        sent["Content-Length"] = str(len(content))
        stub = Stub(str(method).upper(), None if url is None else str(url), pattern, int(status), sent, content)
        self._stubs.append(stub)

    def pass_through(self, prefix: str) -> None:
        """Calls to URLs starting with `prefix` go to the network (the device's own endpoints)."""
        self._pass.append(prefix)

    def _answer(self, method: str, url: str) -> dict | None:
        from device_sim.http_cassette import response_dict

        for stub in self._stubs:
            if stub.matches(method, url):
                return response_dict(stub.status, stub.headers, stub.body)
        return None

    def _refuse(self, method: str, url: str) -> None:
        recording = self._board.recording
        call = UnstubbedHttpCall(method, url, f"{recording} (mode {self._board.mode})" if recording else None)
        if call.call not in self._new:  # a client that retries asks again; the turn names the call once
            self._new.append(call.call)
        raise call

    @contextlib.contextmanager
    def active(self) -> Iterator[list[str]]:
        """Stubs on for one request to the skill; yields the list the unanswered calls are added to."""
        new: list[str] = []
        self._new = new
        try:
            with self._board.patched():
                yield new
        finally:
            self.calls.extend(self._board.answered)
            self._board.answered.clear()
            self.unstubbed.extend(new)


def unstubbed_message(calls: list[str]) -> str:
    return "the skill called " + ", ".join(calls) + f" with no stub to answer it; {HOW_TO_ANSWER}"
