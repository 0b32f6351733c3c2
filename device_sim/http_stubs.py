"""Answers for a skill's outbound HTTP calls, so a skill that calls web services runs offline.

Stubs are declared in a conversation file (`http:`), given to `Device(http=HttpStubs([...]))`, or added
through the pytest fixture `http_stubs`. While the device sends a request to the skill, every call the
skill makes through `requests` (the library ask-sdk and most skills use) is answered by the `responses`
library from the stubs; a call that no stub answers raises `requests.ConnectionError` inside the skill,
as an unreachable host would, and is recorded on the turn (`Turn.unstubbed`) so the conversation fails
with the URL named. The device's own endpoints (the emulated Alexa APIs, an HTTP skill) pass through.

A stub: `{url, method: GET, status: 200, json | body, headers, content_type}`; `url` matches the whole
URL with any query string unless it has one of its own; `url_regex` matches a regular expression instead.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

STUB_KEYS = {"url", "url_regex", "method", "status", "json", "body", "headers", "content_type"}


class HttpStubError(ValueError):
    """A stub declaration that cannot be used; the message says which field is wrong."""


class HttpStubs:
    def __init__(self, stubs: Iterable[dict] = ()) -> None:
        import responses

        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self.unstubbed: list[str] = []  # every call no stub answered, "METHOD URL"
        self.calls: list[str] = []  # every call a stub answered, "METHOD URL"
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
        target: str | re.Pattern[str]
        if url_regex is not None:
            try:
                target = re.compile(url_regex)
            except re.error as exc:
                raise HttpStubError(f"url_regex is not a regular expression: {exc}") from exc
        else:
            target = str(url)
        kwargs: dict[str, Any] = {"status": int(status), "headers": dict(headers or {})}
        if json is not None:
            kwargs["json"] = json
        else:
            kwargs["body"] = body or ""
            kwargs["content_type"] = content_type or "text/plain"
        self._mock.add(str(method).upper(), target, **kwargs)

    def pass_through(self, prefix: str) -> None:
        """Calls to URLs starting with `prefix` go to the network (the device's own endpoints)."""
        self._mock.add_passthru(prefix)

    @contextlib.contextmanager
    def active(self) -> Iterator[list[str]]:
        """Stubs on for one request to the skill; yields the list the unanswered calls are added to."""
        new: list[str] = []
        self._mock.start()
        try:
            yield new
        finally:
            for call in self._mock.calls:
                described = f"{call.request.method} {call.request.url}"
                if isinstance(call.response, Exception):
                    new.append(described)
                else:
                    self.calls.append(described)
            self.unstubbed.extend(new)
            self._mock.calls.reset()
            self._mock.stop(allow_assert=False)


def unstubbed_message(calls: list[str]) -> str:
    return (
        "the skill called " + ", ".join(calls) + " with no stub to answer it; declare a response under "
        "`http:` in the conversation file (or http_stubs.add(...) in pytest)"
    )
