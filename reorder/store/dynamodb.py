"""The DynamoDB store: one table, the access patterns in docs/dynamodb.md, exactly-once by conditional writes.

A unit of work reads straight from the table (strongly consistent) and buffers its writes; they commit
together in one TransactWriteItems call at the end, each carrying a condition: the version it read for an
item it changes (optimistic concurrency), or "must not exist" for the items that make an action happen
once (an idempotency key, a household name). A failed condition cancels the whole transaction, so two
processes or hosts racing on the same key produce one order. Reads inside a unit of work see its own
buffered writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from reorder.domain.catalog import Product
from reorder.domain.model import CartLine, Household
from reorder.errors import Conflict, StoreUnavailable
from reorder.store import records
from reorder.store.base import (
    Identity,
    Notification,
    PurchaseSecurity,
    TokenRecord,
)
from reorder.store.dynamodb_babycare import DynamoBabyEvents, DynamoRoutines
from reorder.store.dynamodb_buttons import DynamoButtons, DynamoDevices
from reorder.store.dynamodb_orders import DynamoOrders
from reorder.store.dynamodb_table import GSI1, GSI2, _doc, _Txn, _typed


def parse_url(url: str) -> dict[str, str | None]:
    parsed = urlparse(url)
    if parsed.scheme != "dynamodb":
        raise StoreUnavailable(f"Not a DynamoDB store URL: {url!r}")
    table = parsed.netloc or parsed.path.strip("/")
    if not table:
        raise StoreUnavailable(f"The DynamoDB store URL {url!r} names no table (dynamodb://TABLE?region=...).")
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    unknown = set(query) - {"region", "endpoint"}
    if unknown:
        raise StoreUnavailable(f"Unknown DynamoDB store URL options: {', '.join(sorted(unknown))}")
    return {
        "table": table,
        "region": query.get("region") or os.environ.get("AWS_REGION") or "us-east-1",
        "endpoint": query.get("endpoint"),
    }


# -- repositories -------------------------------------------------------------------------------


class DynamoProducts:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    @staticmethod
    def _item(p: Product) -> dict[str, Any]:
        from reorder.catalog import product_to_dict

        return {
            "PK": f"PRODUCT#{p.id}",
            "SK": "#",
            "GSI1PK": "CATALOG",
            "GSI1SK": p.id,
            "doc": json.dumps(product_to_dict(p)),
        }

    @staticmethod
    def _product(item: dict[str, Any]) -> Product:
        from reorder.catalog import product_from_dict

        return product_from_dict(json.loads(item["doc"]))

    def get(self, product_id: str) -> Product | None:
        item = self.t.get(f"PRODUCT#{product_id}", "#")
        return self._product(item) if item else None

    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        found = self.t.batch_get([(f"PRODUCT#{i}", "#") for i in product_ids])
        return {item["PK"][len("PRODUCT#") :]: self._product(item) for item in found.values()}

    def upsert_many(self, products: Iterable[Product]) -> int:
        count = 0
        for product in products:
            self.t.put(self._item(product))
            count += 1
        return count

    def count(self) -> int:
        return self.t.count("CATALOG", GSI1)

    def iter_all(self) -> Iterator[Product]:
        for item in self.t.query("CATALOG", "", index=GSI1):
            yield self._product(item)

    def search(self, text: str, limit: int = 10) -> list[Product]:
        # The catalog is searched by the resolver on request paths; this plain-text fallback reads the
        # catalog partition (a query, not a scan) and is meant for small catalogs and admin use.
        words = [w for w in text.lower().split() if w][:8]
        if not words:
            return []
        out = []
        for product in self.iter_all():
            haystack = " ".join([product.name.lower(), *(s.lower() for s in product.synonyms)])
            if not product.discontinued and all(w in haystack for w in words):
                out.append(product)
                if len(out) >= limit:
                    break
        return out


class DynamoHouseholds:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def _put(self, household: Household, security: PurchaseSecurity | None = None) -> None:
        current = self.t.get(f"HH#{household.id}", "#HH")
        sec = (
            security
            if security is not None
            else (
                PurchaseSecurity(current.get("failed", 0), records._dt(current.get("locked_until")))
                if current
                else PurchaseSecurity()
            )
        )
        self.t.put(
            {
                "PK": f"HH#{household.id}",
                "SK": "#HH",
                "GSI1PK": "HOUSEHOLDS",
                "GSI1SK": household.name,
                "doc": json.dumps(records.household_to_doc(household)),
                "failed": sec.failed_attempts,
                "locked_until": records._ts(sec.locked_until),
            }
        )

    def add(self, household: Household) -> None:
        self.t.put(
            {"PK": f"HHNAME#{household.name}", "SK": "#", "household_id": household.id},
            must_not_exist=True,
            tag=("unique", f"A household named {household.name!r} exists already."),
        )
        self._put(household, PurchaseSecurity())

    def get(self, household_id: str) -> Household | None:
        item = self.t.get(f"HH#{household_id}", "#HH")
        return records.household_from_doc(_doc(item)) if item else None

    def get_with_keyed_order(self, household_id: str, key: str) -> tuple[Household | None, str | None]:
        pointer = self.t.get(f"IDEMP#{household_id}#{key}", "#")
        return self.get(household_id), pointer["order_id"] if pointer else None

    def get_by_name(self, name: str) -> Household | None:
        pointer = self.t.get(f"HHNAME#{name}", "#")
        return self.get(pointer["household_id"]) if pointer else None

    def update(self, household: Household) -> None:
        old = self.get(household.id)
        if old is not None and old.name != household.name:
            self.t.delete(f"HHNAME#{old.name}", "#")
            self.t.put(
                {"PK": f"HHNAME#{household.name}", "SK": "#", "household_id": household.id},
                must_not_exist=True,
                tag=("unique", f"A household named {household.name!r} exists already."),
            )
        self._put(household)

    def list(self) -> list[Household]:
        return [records.household_from_doc(_doc(i)) for i in self.t.query("HOUSEHOLDS", "", index=GSI1)]

    def link_identity(self, identity: Identity) -> None:
        self.t.put(
            {
                "PK": f"IDENT#{identity.kind}#{identity.external_id}",
                "SK": "#",
                "household_id": identity.household_id,
                "member_id": identity.member_id,
            }
        )

    def find_identity(self, kind: str, external_id: str) -> Identity | None:
        item = self.t.get(f"IDENT#{kind}#{external_id}", "#")
        return Identity(kind, external_id, item["household_id"], item.get("member_id")) if item else None

    def get_security(self, household_id: str) -> PurchaseSecurity:
        item = self.t.get(f"HH#{household_id}", "#HH")
        if item is None:
            return PurchaseSecurity()
        return PurchaseSecurity(item.get("failed", 0), records._dt(item.get("locked_until")))

    def set_security(self, household_id: str, security: PurchaseSecurity) -> None:
        household = self.get(household_id)
        if household is not None:
            self._put(household, security)


class DynamoTokens:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def add(self, record: TokenRecord) -> None:
        doc = json.dumps(records.token_to_doc(record))
        self.t.put(
            {"PK": f"TOKEN#{record.token_hash}", "SK": "#", "doc": doc},
            must_not_exist=True,
            tag=("unique", "token collision"),
        )
        # A copy in the household's partition, so its tokens can be listed without a scan.
        self.t.put({"PK": f"HH#{record.household_id}", "SK": self._sk(record), "doc": doc})

    def find(self, token_hash: str) -> TokenRecord | None:
        item = self.t.get(f"TOKEN#{token_hash}", "#")
        return records.token_from_doc(_doc(item)) if item else None

    def list(self, household_id: str) -> list[TokenRecord]:
        found = [records.token_from_doc(_doc(i)) for i in self.t.query(f"HH#{household_id}", "TOKEN#")]
        return sorted(found, key=lambda r: (r.created_at, r.token_hash))

    def delete(self, record: TokenRecord) -> None:
        self.t.delete(f"TOKEN#{record.token_hash}", "#")
        self.t.delete(f"HH#{record.household_id}", self._sk(record))

    @staticmethod
    def _sk(record: TokenRecord) -> str:
        return f"TOKEN#{record.token_hash}"


class DynamoCarts:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def lines(self, household_id: str) -> list[CartLine]:
        docs = [_doc(i) for i in self.t.query(f"HH#{household_id}", "CART#")]
        products = DynamoProducts(self.t).get_many(d["product_id"] for d in docs)
        out = []
        for d in sorted(docs, key=lambda d: (d["added_at"] or "", d["id"])):
            product = products.get(d["product_id"])
            if product is None:
                continue
            out.append(
                CartLine(
                    d["id"],
                    d["product_id"],
                    d["quantity"],
                    product.price_cents,
                    product.name,
                    d["added_by"],
                    d["channel"],
                    records._dt(d["added_at"]),
                )
            )
        return out

    def add_line(self, household_id: str, line: CartLine) -> None:
        # One line per product: the product id is part of a second, unique item.
        self.t.put(
            {"PK": f"HH#{household_id}", "SK": f"CARTPRODUCT#{line.product_id}", "line_id": line.id},
            must_not_exist=True,
            tag=("unique", "That product was just added to the cart; please try again."),
        )
        self.t.put(
            {"PK": f"HH#{household_id}", "SK": f"CART#{line.id}", "doc": json.dumps(records.cart_line_to_doc(line))}
        )

    def set_quantity(self, household_id: str, line_id: str, quantity: int) -> None:
        item = self.t.get(f"HH#{household_id}", f"CART#{line_id}")
        if item is None:
            return
        doc = _doc(item)
        doc["quantity"] = quantity
        self.t.put({**item, "doc": json.dumps(doc)})

    def remove_line(self, household_id: str, line_id: str) -> None:
        item = self.t.get(f"HH#{household_id}", f"CART#{line_id}")
        if item is None:
            return
        self.t.delete(f"HH#{household_id}", f"CART#{line_id}")
        self.t.delete(f"HH#{household_id}", f"CARTPRODUCT#{_doc(item)['product_id']}")

    def clear(self, household_id: str) -> None:
        for item in self.t.query(f"HH#{household_id}", "CART"):
            self.t.delete(item["PK"], item["SK"])


class DynamoOutbox:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def add(self, notification: Notification) -> None:
        sk = f"OUTBOX#{records._ts(notification.created_at)}#{notification.id}"
        item: dict[str, Any] = {
            "PK": f"HH#{notification.household_id}",
            "SK": sk,
            "doc": json.dumps(records.notification_to_doc(notification)),
        }
        if notification.delivered_at is None:
            item["GSI2PK"] = "PENDING"
            item["GSI2SK"] = f"{records._ts(notification.created_at)}#{notification.id}"
        self.t.put(item)
        self.t.put(
            {"PK": f"NOTE#{notification.id}", "SK": "#", "household_id": notification.household_id, "note_sk": sk}
        )

    def pending(self, household_id: str | None = None, limit: int = 100) -> list[Notification]:
        if household_id is None:
            items = self.t.query("PENDING", "", index=GSI2, limit=limit)
        else:
            items = [i for i in self.t.query(f"HH#{household_id}", "OUTBOX#") if "GSI2PK" in i][:limit]
        notes = [records.notification_from_doc(_doc(i)) for i in items]
        return [n for n in notes if n.delivered_at is None]

    def mark_delivered(self, notification_ids: Iterable[str], at: datetime) -> None:
        for note_id in notification_ids:
            pointer = self.t.get(f"NOTE#{note_id}", "#")
            if pointer is None:
                continue
            item = self.t.get(f"HH#{pointer['household_id']}", pointer["note_sk"])
            if item is None or "GSI2PK" not in item:
                continue
            doc = _doc(item)
            doc["delivered_at"] = records._ts(at)
            self.t.put({"PK": item["PK"], "SK": item["SK"], "doc": json.dumps(doc)})


class DynamoAttributes:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def get(self, key: str) -> dict[str, Any] | None:
        return _doc(self.t.get(f"ATTR#{key}", "#"))

    def put(self, key: str, data: dict[str, Any], at: datetime) -> None:
        self.t.put({"PK": f"ATTR#{key}", "SK": "#", "doc": json.dumps(data), "updated_at": records._ts(at)})

    def delete(self, key: str) -> None:
        self.t.delete(f"ATTR#{key}", "#")


class DynamoSeenRequests:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def claim(self, request_id: str, expires_at: datetime, now: datetime) -> bool:
        # Written at once, not at commit: the claim must hold even if the request then fails.
        try:
            self.t.client.put_item(
                TableName=self.t.table,
                Item=_typed(
                    {
                        "PK": f"SEEN#{request_id}",
                        "SK": "#",
                        "expires_at": records._ts(expires_at),
                        "ttl": int(expires_at.timestamp()),
                    }
                ),
                ConditionExpression="attribute_not_exists(PK) OR expires_at <= :now",
                ExpressionAttributeValues={":now": {"S": records._ts(now)}},
            )
        except self.t.client.exceptions.ConditionalCheckFailedException:
            return False
        return True


class DynamoUnitOfWork:
    def __init__(self, t: _Txn) -> None:
        self.products = DynamoProducts(t)
        self.households = DynamoHouseholds(t)
        self.tokens = DynamoTokens(t)
        self.carts = DynamoCarts(t)
        self.orders = DynamoOrders(t)
        self.outbox = DynamoOutbox(t)
        self.attributes = DynamoAttributes(t)
        self.seen_requests = DynamoSeenRequests(t)
        self.buttons = DynamoButtons(t)
        self.devices = DynamoDevices(t)
        self.baby_events = DynamoBabyEvents(t)
        self.routines = DynamoRoutines(t)


class DynamoStore:
    def __init__(self, url: str, *, client: Any = None) -> None:
        self.url = url
        settings = parse_url(url)
        self.table = str(settings["table"])
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "dynamodb",
                region_name=settings["region"],
                endpoint_url=settings["endpoint"],
                config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=10),
            )
        self.client = client

    def check(self) -> None:
        """Fail now, naming what is wrong, rather than at the first request."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.describe_table(TableName=self.table)
        except self.client.exceptions.ResourceNotFoundException as exc:
            raise StoreUnavailable(
                f"The DynamoDB table {self.table!r} does not exist; create it with "
                f"`voicecart --store {self.url} store init`."
            ) from exc
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"Cannot reach DynamoDB for table {self.table!r}: {exc}") from exc

    def create_table(self) -> bool:
        """Create the table and its two indexes if missing; returns whether it was created."""
        try:
            self.client.describe_table(TableName=self.table)
            return False
        except self.client.exceptions.ResourceNotFoundException:
            pass
        attrs = ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"]
        self.client.create_table(
            TableName=self.table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": name,
                    "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [
                        {"AttributeName": f"{name}PK", "KeyType": "HASH"},
                        {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
                    ],
                }
                for name in (GSI1, GSI2)
            ],
        )
        self.client.get_waiter("table_exists").wait(TableName=self.table)
        return True

    @contextmanager
    def unit_of_work(self, *, write: bool = True, household: str | None = None) -> Iterator[DynamoUnitOfWork]:
        # Conditional writes, not locks, keep DynamoDB's writers apart: `household` changes nothing here.
        txn = _Txn(self.client, self.table)
        yield DynamoUnitOfWork(txn)
        if write:
            txn.commit()
        elif txn.writes:
            raise Conflict("A read-only unit of work tried to write.")

    def migrate(self) -> int:
        self.check()
        return 1

    def close(self) -> None:
        pass
