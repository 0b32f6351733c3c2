"""The HTTPS side of the emulated Alexa API (device_sim/alexa_cloud.py): loaded by its serving thread when
the first connection arrives, so a run whose skill never calls an Alexa API does not import http.server
or build a TLS context (about 20-30 ms of a one-shot `voicecart sim --say`)."""

from __future__ import annotations

import json
import selectors
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from device_sim.tls import server_context


def serve(cloud: Any, listener: socket.socket, wake: socket.socket) -> None:
    """Answer the connections waiting on `listener` (already bound and listening) until `wake` is readable."""
    server = ThreadingHTTPServer(listener.getsockname()[:2], _Handler, bind_and_activate=False)
    server.socket.close()  # the unbound socket the constructor made: the listener takes its place
    server.socket = server_context().wrap_socket(listener, server_side=True)
    server.daemon_threads = True
    server.cloud = cloud  # type: ignore[attr-defined]
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(server.socket, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while True:
                ready = {key.fileobj for key, _ in selector.select()}
                if wake in ready:
                    return
                server.handle_request()  # a connection is waiting: accepted at once, answered on its own thread
    finally:
        server.server_close()  # the wrapped listener (wrapping took over the listener's descriptor)


class _Handler(BaseHTTPRequestHandler):
    server_version = "voicecart-alexa-cloud/1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, payload = self.server.cloud.handle(self.command, path, headers, body)  # type: ignore[attr-defined]
        except Exception as exc:  # a bug here must show up as a 500, not kill the server thread
            status, payload = 500, {"code": "INTERNAL_ERROR", "message": f"{type(exc).__name__}: {exc}"}
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep the console quiet
        return
