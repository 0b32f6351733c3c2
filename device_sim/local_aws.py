"""A local AWS for skills that persist through the ASK SDK's adapters (DynamoDB, S3), with no AWS account.

A skill built on `StandardSkillBuilder(table_name=...)`, `DynamoDbAdapter` or `S3Adapter` creates its
boto3 client at import time and fails without a region and credentials. The simulator runs it against
moto's server (the same local DynamoDB/S3 the test suite uses), started on a free port of 127.0.0.1 for the
device, or against an endpoint you already run (`endpoint=`, e.g. DynamoDB Local or a moto server of your
own), and points boto3 at it through the environment variables boto3 reads (AWS_ENDPOINT_URL, region,
credentials), which the skill receives as part of its Lambda environment.

`state_file=` keeps the data between runs: tables (with their key schema) and buckets are read from the
file when the server starts and written back when the device closes. `tables=` and `buckets=` create
what the skill expects to exist already (on Lambda they are made with the stack, not by the skill);
tables are keyed like the DynamoDB adapter's default (`id`, a string).
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# What in a skill's code says it talks to AWS (read before the skill is imported).
AWS_MARKERS = (
    "boto3",
    "ask_sdk_dynamodb",
    "ask_sdk_s3",
    "StandardSkillBuilder",
    "from ask_sdk.standard",
    "DynamoDbAdapter",
    "S3Adapter",
)
START_SECONDS = 30.0
REGION = "us-east-1"


class LocalAwsError(RuntimeError):
    """The local AWS endpoint could not be started, reached or restored; the message says why."""


def uses_aws(task_root: Path) -> bool:
    """Whether any Python file of the skill's folder (not its vendored packages) mentions boto3 or the
    ASK SDK's persistence adapters."""
    for path in list(task_root.glob("*.py")) + list(task_root.glob("*/*.py")):
        if any(part in {".venv", "site-packages", "node_modules"} for part in path.parts):
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(marker in text for marker in AWS_MARKERS):
            return True
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalAws:
    """moto's server (or an endpoint of yours) for one device, with optional persistence to a file."""

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        state_file: str | Path | None = None,
        tables: Iterable[str] = (),
        buckets: Iterable[str] = (),
        region: str = REGION,
    ) -> None:
        self.region = region
        self.state_file = Path(state_file) if state_file else None
        self._process: subprocess.Popen[bytes] | None = None
        if endpoint:
            self.endpoint = endpoint.rstrip("/")
            self._wait_until_reachable()
        else:
            self.endpoint = self._start()
        try:
            if self.state_file is not None and self.state_file.exists():
                self.restore(self.state_file)
            for table in tables:
                self.create_table(table)
            for bucket in buckets:
                self.create_bucket(bucket)
        except Exception:
            self.close(save=False)
            raise

    # -- what the skill sees ------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The variables that point boto3 (and so the ASK SDK's adapters) at this endpoint."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint,
            "AWS_ENDPOINT_URL_S3": self.endpoint,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": "simulated",
            "AWS_SECRET_ACCESS_KEY": "simulated",
            "AWS_SESSION_TOKEN": "simulated",
        }

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id="simulated",
            aws_secret_access_key="simulated",
        )

    def create_table(self, name: str, key: str = "id") -> None:
        dynamodb = self.client("dynamodb")
        if name in dynamodb.list_tables()["TableNames"]:
            return
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

    def create_bucket(self, name: str) -> None:
        s3 = self.client("s3")
        try:
            s3.create_bucket(Bucket=name)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass

    # -- keeping data between runs ---------------------------------------------------------------------
    def snapshot(self) -> dict:
        """Every table (schema and items, in DynamoDB's JSON) and every bucket's objects."""
        dynamodb, s3 = self.client("dynamodb"), self.client("s3")
        tables = []
        for name in dynamodb.list_tables()["TableNames"]:
            description = dynamodb.describe_table(TableName=name)["Table"]
            items: list[dict] = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=name):
                items.extend(page["Items"])
            tables.append(
                {
                    "name": name,
                    "key_schema": description["KeySchema"],
                    "attributes": description["AttributeDefinitions"],
                    "items": items,
                }
            )
        buckets = []
        for bucket in s3.list_buckets().get("Buckets", []):
            objects = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
                for entry in page.get("Contents", []):
                    body = s3.get_object(Bucket=bucket["Name"], Key=entry["Key"])["Body"].read()
                    objects[entry["Key"]] = base64.b64encode(body).decode("ascii")
            buckets.append({"name": bucket["Name"], "objects": objects})
        return {"format": 1, "tables": tables, "buckets": buckets}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(json.dumps(self.snapshot(), indent=1, default=str), encoding="utf-8")
        temporary.replace(path)

    def restore(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LocalAwsError(f"cannot read the saved AWS data {path}: {exc}") from exc
        dynamodb, s3 = self.client("dynamodb"), self.client("s3")
        existing = set(dynamodb.list_tables()["TableNames"])
        for table in data.get("tables", []):
            if table["name"] not in existing:
                dynamodb.create_table(
                    TableName=table["name"],
                    KeySchema=table["key_schema"],
                    AttributeDefinitions=table["attributes"],
                    BillingMode="PAY_PER_REQUEST",
                )
            for item in table["items"]:
                dynamodb.put_item(TableName=table["name"], Item=item)
        for bucket in data.get("buckets", []):
            self.create_bucket(bucket["name"])
            for key, body in bucket["objects"].items():
                s3.put_object(Bucket=bucket["name"], Key=key, Body=base64.b64decode(body))

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self, *, save: bool = True) -> None:
        try:
            if save and self.state_file is not None:
                self.save(self.state_file)
        finally:
            if self._process is not None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
                self._process = None

    def _start(self) -> str:
        try:
            import moto.server  # noqa: F401
        except ImportError as exc:
            raise LocalAwsError(
                "the skill uses AWS (boto3 / the ASK SDK's persistence adapters) and the "
                "local AWS needs moto's server: pip install 'moto[server]', or give an "
                "endpoint of your own (--aws-endpoint http://127.0.0.1:8000)"
            ) from exc
        port = _free_port()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.endpoint = f"http://127.0.0.1:{port}"
        self._wait_until_reachable()
        return self.endpoint

    def _wait_until_reachable(self) -> None:
        host, _, port = self.endpoint.split("://", 1)[-1].partition(":")
        port_number = int(port.split("/")[0] or 80)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LocalAwsError("the local AWS server (moto) exited at start")
            try:
                socket.create_connection((host, port_number), timeout=0.5).close()
                return
            except OSError:
                if self._process is None:
                    raise LocalAwsError(f"nothing answers at the AWS endpoint {self.endpoint}") from None
                time.sleep(0.1)
        self.close(save=False)
        raise LocalAwsError(f"the local AWS server did not start within {START_SECONDS:g} s")
