"""A local DynamoDB-compatible server (moto's) for the store contract tests, started and stopped by the suite.

The real boto3 client talks to it over HTTP, so requests, conditions and transactions take the same path
as against AWS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DynamoServer:
    def __init__(self) -> None:
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
