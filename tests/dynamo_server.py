"""A local DynamoDB-compatible server (moto's) for the store tests, started and stopped by the suite.

The real boto3 client talks to it over HTTP, so requests, conditions and transactions take the same path
as against AWS. It handles one request at a time: moto's threaded server does not apply TransactWriteItems
atomically across threads (it checks each condition, writes, and on a failure restores a copy of the whole
table, undoing other requests' writes too). Real DynamoDB commits a transaction atomically; serialising
requests gives the same guarantee here, so a test that two processes make exactly one order tests the
store's conditional writes, not moto's race. Run as a script: `python dynamo_server.py PORT`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OneRequestAtATime:
    """WSGI middleware: the whole response is produced under one lock; keep-alive connections still work."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            return list(self.app(environ, start_response))


class DynamoServer:
    def __init__(self) -> None:
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the local DynamoDB server (moto) exited at start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the local DynamoDB server (moto) did not start within 30 s")

    def new_table_url(self) -> str:
        from reorder.store.dynamodb import DynamoStore

        url = f"dynamodb://vc_{uuid.uuid4().hex[:12]}?region=us-east-1&endpoint={self.endpoint}"
        DynamoStore(url).create_table()
        return url

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
    make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler).serve_forever()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
