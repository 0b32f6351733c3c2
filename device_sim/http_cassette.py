"""vcrpy's cassette as the switchboard for a skill's outbound HTTP (device_sim/http_stubs.py declares the answers).

vcrpy patches every common client (requests, urllib.request, http.client, urllib3, httpx, aiohttp, boto3) at
the connection level and asks its cassette, for each call, whether it has an answer. This cassette answers
in this order: the device's own endpoints go to the network; a declared stub answers; a call to this
machine (localhost, 127.x, ::1) goes to the network unless recording local calls was asked for; a recorded
call is replayed; otherwise the call goes to the network and is recorded when the record mode allows it,
and is refused when it does not (the refusal callback raises inside the skill).
"""

from __future__ import annotations

import contextlib
import copy
import http
import ipaddress
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from vcr import patch as vcr_patch
from vcr.cassette import Cassette
from vcr.filters import decode_response, remove_headers
from vcr.patch import CassettePatcherBuilder
from vcr.record_mode import RecordMode
from vcr.stubs import VCRConnection

RECORD_MODES = ("once", "new_episodes", "none", "all")
# Credentials are not written into a recording (matching never looks at headers, so replay is unaffected).
SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token")
LOCAL_HOSTS = {"localhost", "0.0.0.0"}

Answer = Callable[[str, str], "dict | None"]  # (method, url) -> a recorded-response dict, or None
Refuse = Callable[[str, str], None]  # (method, url) -> raises inside the skill


def response_dict(status: int, headers: dict[str, str], body: bytes) -> dict:
    """A response in vcrpy's recorded form, which every client's stub can play."""
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return {
        "status": {"code": status, "message": reason},
        "headers": {name: [value] for name, value in headers.items()},
        "body": {"string": body},
    }


def is_local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Switchboard(Cassette):
    """One cassette for a device's lifetime: the recording's play counts and new calls span all its turns."""

    def __init__(
        self,
        answer: Answer,
        refuse: Refuse,
        pass_prefixes: list[str],
        *,
        record: str | Path | None = None,
        mode: str = "once",
        record_local: bool = False,
    ) -> None:
        if mode not in RECORD_MODES:
            raise ValueError(f"unknown record mode {mode!r}; one of {', '.join(RECORD_MODES)}")
        self._answer, self._refuse, self._prefixes = answer, refuse, pass_prefixes
        self._record_local = record_local
        self.recording = Path(record) if record is not None else None
        self.mode = mode
        self.answered: list[str] = []  # "METHOD URL" of every call a stub, the recording or the network answered
        self._opened = False
        super().__init__(
            str(self.recording) if self.recording else "(declared HTTP stubs)",
            record_mode=RecordMode(mode) if self.recording else RecordMode.NONE,
            before_record_request=self._recordable,
            before_record_response=decode_response,  # gzip bodies are kept readable in the file
        )
        if self.recording is not None:
            self._load()
        self._opened = True

    def _endpoint(self, url: str) -> bool:
        """One of the device's own endpoints: always real, never recorded."""
        return any(url.startswith(prefix) for prefix in self._prefixes)

    def _unrecorded_local(self, method: str, url: str) -> bool:
        """A call to this machine that no stub answers goes to the network unless local calls are recorded."""
        return not self._record_local and is_local(url) and self._answer(method, url) is None

    def _recordable(self, request: Any) -> Any:
        if self._endpoint(request.uri) or self._unrecorded_local(request.method, request.uri):
            return None  # vcrpy sends what is filtered out to the network and records nothing of it
        # A copy: the request being sent keeps its headers.
        return remove_headers(copy.deepcopy(request), SECRET_HEADERS)

    def can_play_response_for(self, request: Any) -> bool:
        if self._endpoint(request.uri):
            return False
        if self._answer(request.method, request.uri) is not None:
            return True
        if self._unrecorded_local(request.method, request.uri):
            return False
        if super().can_play_response_for(request):
            return True
        if self.write_protected:
            self._refuse(request.method, request.uri)  # raises inside the skill
        return False

    def play_response(self, request: Any) -> dict:
        answer = self._answer(request.method, request.uri)
        played = answer if answer is not None else super().play_response(request)
        self.answered.append(f"{request.method} {request.uri}")
        return played

    def append(self, request: Any, response: Any) -> None:
        before = len(self.data)
        super().append(request, response)
        if self._opened and len(self.data) > before:  # a live call, recorded (not one loaded from the file)
            self.answered.append(f"{request.method} {request.uri}")

    @contextlib.contextmanager
    def patched(self) -> Iterator[None]:
        """Every client's connections go through this cassette; the recording is written on the way out."""
        with contextlib.ExitStack() as stack:
            for patcher in CassettePatcherBuilder(self).build():
                stack.enter_context(patcher)
            stack.enter_context(_sending_without_reset())
            try:
                yield
            finally:
                stack.close()
                if self.recording is not None:
                    self._save()


_sending = threading.local()


@contextlib.contextmanager
def _sending_without_reset() -> Iterator[None]:
    """vcrpy puts the real client classes back, process-wide, while it sends a call to the network. A skill
    served over HTTP from this process (a test's server thread) gets the device's request in that moment, and
    its own calls would go out unintercepted. Sending works without it (building the real connection, done
    before anything is sent, still needs it), so it is skipped while a connection sends and reads."""
    real_reset, real_getresponse = vcr_patch.force_reset, VCRConnection.getresponse

    def reset_unless_sending() -> Any:
        return contextlib.nullcontext() if getattr(_sending, "active", False) else real_reset()

    def getresponse(connection: Any, *args: Any, **kwargs: Any) -> Any:
        _sending.active = True
        try:
            return real_getresponse(connection, *args, **kwargs)
        finally:
            _sending.active = False

    with mock.patch.object(vcr_patch, "force_reset", reset_unless_sending):
        with mock.patch.object(VCRConnection, "getresponse", getresponse):
            yield
