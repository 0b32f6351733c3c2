"""A local moto DynamoDB server that handles one request at a time, as the contract's concurrency tests need.

moto's own server is threaded and its TransactWriteItems is not atomic across threads (it checks each
condition, writes, and on a failure restores a copy of the whole table, undoing other requests' writes
too). Real DynamoDB commits a transaction atomically; serialising requests gives the same guarantee here,
so a test that two processes make exactly one order tests the store, not moto's race. Run as a script:
`python serial_dynamo.py PORT`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

if __name__ == "__main__":  # run as a script: the shared test helpers live one folder up
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dynamo_server import DynamoServer, _free_port  # noqa: E402


class OneRequestAtATime:
    """WSGI middleware: the whole response is produced under one lock, keep-alive connections still work."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            return list(self.app(environ, start_response))


class SerialDynamoServer(DynamoServer):
    def __init__(self) -> None:  # noqa: D107 - the same start-up as DynamoServer, with this script
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, __file__, str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the local DynamoDB server (moto, serialised) exited at start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the local DynamoDB server (moto, serialised) did not start within 30 s")


def _serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
    make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler).serve_forever()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
