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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from reorder.domain.catalog import Product
from reorder.domain.model import CartLine, Household, Order, StatusChange
from reorder.errors import Conflict, StoreUnavailable
from reorder.store import records
from reorder.store.base import (
    ButtonBusy,
    DuplicateIdempotencyKey,
    DuplicatePressKey,
    Identity,
    Notification,
    PurchasedItem,
    PurchaseSecurity,
    TokenRecord,
)

MAX_TRANSACTION_ITEMS = 100
GSI1 = "GSI1"  # catalog listing, household listing
GSI2 = "GSI2"  # sparse work queues: orders due a fulfilment step, notifications not yet delivered
# Errors whose callers read again and retry. DynamoDB reports a transaction that collided with another one
# in flight on the same item as TransactionConflict, not a failed condition: for these it means the same.
_RETRIED_BY_CALLER = (ButtonBusy, DuplicatePressKey)


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
    return {"table": table, "region": query.get("region") or os.environ.get("AWS_REGION") or "us-east-1",
            "endpoint": query.get("endpoint")}


@dataclass
class _Write:
    op: dict[str, Any]
    tag: tuple[str, str] | None = None  # what a failed condition means: ("idempotency", key), ("unique", text)
    error: Exception | None = None  # or the exact error a failed condition raises (ButtonBusy, ...)


@dataclass
class _Txn:
    """One unit of work's view of the table: consistent reads, an overlay of its own writes, buffered ops."""

    client: Any
    table: str
    overlay: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)
    versions: dict[tuple[str, str], int | None] = field(default_factory=dict)
    writes: list[_Write] = field(default_factory=list)

    # -- reading -----------------------------------------------------------------------------
    def get(self, pk: str, sk: str) -> dict[str, Any] | None:
        key = (pk, sk)
        if key in self.overlay:
            return self.overlay[key]
        answer = self.client.get_item(TableName=self.table, Key=_key(pk, sk), ConsistentRead=True)
        item = _plain(answer.get("Item"))
        self.versions.setdefault(key, item["ver"] if item else None)
        return item

    def batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        found: dict[tuple[str, str], dict[str, Any]] = {}
        remote = []
        for key in dict.fromkeys(keys):
            if key in self.overlay:
                if self.overlay[key] is not None:
                    found[key] = self.overlay[key]  # type: ignore[assignment]
            else:
                remote.append(key)
        for start in range(0, len(remote), 100):
            request = {self.table: {"Keys": [_key(*k) for k in remote[start : start + 100]],
                                    "ConsistentRead": True}}
            while request:
                answer = self.client.batch_get_item(RequestItems=request)
                for raw in answer["Responses"].get(self.table, []):
                    item = _plain(raw)
                    found[(item["PK"], item["SK"])] = item
                request = answer.get("UnprocessedKeys") or {}
        return found

    def query(self, pk: str, prefix: str, *, descending: bool = False, limit: int | None = None,
              index: str | None = None, upto: str | None = None,
              keep: Callable[[dict[str, Any]], bool] | None = None,
              page_size: int | None = None) -> list[dict[str, Any]]:
        """Items of one partition whose sort key starts with `prefix` (or, with `upto`, is <= it).

        `keep` filters items after this unit of work's own writes are merged in; with a `limit`, paging
        stops as soon as enough items were kept, so "the newest matching entry" reads a page or two, not
        the whole range. `page_size` sets DynamoDB's per-page item limit for such reads.
        """
        pk_name, sk_name = ("PK", "SK") if index is None else (f"{index}PK", f"{index}SK")
        if upto is not None and prefix:
            condition = f"{pk_name} = :pk AND {sk_name} BETWEEN :lo AND :hi"
            values = {":pk": {"S": pk}, ":lo": {"S": prefix}, ":hi": {"S": upto}}
        elif upto is not None:
            condition = f"{pk_name} = :pk AND {sk_name} <= :hi"
            values = {":pk": {"S": pk}, ":hi": {"S": upto}}
        elif prefix:
            condition = f"{pk_name} = :pk AND begins_with({sk_name}, :prefix)"
            values = {":pk": {"S": pk}, ":prefix": {"S": prefix}}
        else:  # the whole partition (DynamoDB refuses an empty string as a key value)
            condition, values = f"{pk_name} = :pk", {":pk": {"S": pk}}
        args: dict[str, Any] = {"TableName": self.table, "KeyConditionExpression": condition,
                                "ExpressionAttributeValues": values, "ScanIndexForward": not descending}
        if index is None:
            args["ConsistentRead"] = True
        else:
            args["IndexName"] = index
        if page_size is not None:
            args["Limit"] = page_size

        def wanted(item: dict[str, Any] | None) -> bool:
            # Whether an item (as this unit of work sees it) belongs in the answer.
            if item is None or item.get(pk_name) != pk:
                return False
            value_sk = item.get(sk_name)
            in_range = (value_sk is not None and (value_sk.startswith(prefix) if upto is None
                                                   else prefix <= value_sk <= upto))
            return in_range and (keep is None or keep(item))

        items: dict[tuple[str, str], dict[str, Any]] = {}
        kept = 0
        while True:
            answer = self.client.query(**args)
            for raw in answer["Items"]:
                item = _plain(raw)
                key = (item["PK"], item["SK"])
                items[key] = item
                if wanted(self.overlay[key] if key in self.overlay else item):
                    kept += 1
            # Everything not fetched yet sorts after what was, so `limit` kept items are the answer's head.
            if "LastEvaluatedKey" not in answer or (limit is not None and kept >= limit):
                break
            args["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        # Merge this unit of work's own writes into what the table said.
        for key, item in self.overlay.items():
            if item is not None and wanted(item):
                items[key] = item
            else:
                items.pop(key, None)
        chosen = [i for i in items.values() if keep is None or keep(i)]
        ordered = sorted(chosen, key=lambda i: i[sk_name], reverse=descending)
        return ordered[:limit] if limit is not None else ordered

    def count(self, pk: str, index: str) -> int:
        args: dict[str, Any] = {"TableName": self.table, "IndexName": index, "Select": "COUNT",
                                "KeyConditionExpression": f"{index}PK = :pk",
                                "ExpressionAttributeValues": {":pk": {"S": pk}}}
        total = 0
        while True:
            answer = self.client.query(**args)
            total += answer["Count"]
            if "LastEvaluatedKey" not in answer:
                return total
            args["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # -- writing (buffered) -----------------------------------------------------------------------
    def put(self, item: dict[str, Any], *, must_not_exist: bool = False, tag: tuple[str, str] | None = None,
            error: Exception | None = None) -> None:
        key = (item["PK"], item["SK"])
        if must_not_exist:
            condition = "attribute_not_exists(PK)"
            values = None
        elif key in self.versions:
            read = self.versions[key]
            condition, values = (("attribute_not_exists(PK)", None) if read is None
                                 else ("ver = :ver", {":ver": {"N": str(read)}}))
        else:
            condition, values = None, None
        base = self.overlay.get(key) or {}
        item = {**item, "ver": int(base.get("ver", self.versions.get(key) or 0) or 0) + 1}
        op: dict[str, Any] = {"TableName": self.table, "Item": _typed(item)}
        if condition:
            op["ConditionExpression"] = condition
            if values:
                op["ExpressionAttributeValues"] = values
        self._replace(key, _Write({"Put": op}, tag, error))
        self.overlay[key] = item

    def delete(self, pk: str, sk: str) -> None:
        key = (pk, sk)
        op: dict[str, Any] = {"TableName": self.table, "Key": _key(pk, sk)}
        read = self.versions.get(key)
        if read is not None:
            op["ConditionExpression"] = "ver = :ver"
            op["ExpressionAttributeValues"] = {":ver": {"N": str(read)}}
        self._replace(key, _Write({"Delete": op}))
        self.overlay[key] = None

    def add_to_counter(self, pk: str, sk: str, *, start: int, below: int, error: Exception) -> None:
        """Buffer an atomic `n = (n, or `start` when the item is new) + 1` that holds only while n < `below`.

        Writers racing on one counter need not have read it: each passes while the limit allows, and the
        one that would pass it cancels its transaction with `error`. Reads in this unit of work do not see
        the new value.
        """
        one = {"N": "1"}
        op = {"TableName": self.table, "Key": _key(pk, sk),
              "UpdateExpression": "SET n = if_not_exists(n, :start) + :one, ver = if_not_exists(ver, :zero) + :one",
              "ConditionExpression": "attribute_not_exists(PK) OR n < :below",
              "ExpressionAttributeValues": {":start": {"N": str(start)}, ":one": one, ":zero": {"N": "0"},
                                            ":below": {"N": str(below)}}}
        self._replace((pk, sk), _Write({"Update": op}, None, error))

    def _replace(self, key: tuple[str, str], write: _Write) -> None:
        # One write per item in a transaction (DynamoDB refuses two); the last one wins, keeping the
        # first write's tag and condition meaning.
        for i, existing in enumerate(self.writes):
            op = _body(existing.op)
            item = op.get("Item") or op.get("Key")
            if (item["PK"]["S"], item["SK"]["S"]) == key:
                first = _body(existing.op)
                new = _body(write.op)
                if "ConditionExpression" in first:
                    new["ConditionExpression"] = first["ConditionExpression"]
                    if "ExpressionAttributeValues" in first:
                        new["ExpressionAttributeValues"] = first["ExpressionAttributeValues"]
                    else:
                        new.pop("ExpressionAttributeValues", None)
                self.writes[i] = _Write(write.op, existing.tag or write.tag, existing.error or write.error)
                return
        self.writes.append(write)

    def commit(self) -> None:
        if not self.writes:
            return
        if len(self.writes) > MAX_TRANSACTION_ITEMS:
            if any("ConditionExpression" in _body(w.op) for w in self.writes):
                raise Conflict("This change is too large for one transaction.")
            self._batch_write()  # bulk loads only (a catalog import): no conditions to honour
            return
        try:
            self.client.transact_write_items(TransactItems=[w.op for w in self.writes])
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons") or []
            for write, reason in zip(self.writes, reasons, strict=False):
                if reason.get("Code") == "ConditionalCheckFailed" and write.error is not None:
                    raise write.error from exc
                if reason.get("Code") == "TransactionConflict" and isinstance(write.error, _RETRIED_BY_CALLER):
                    raise write.error from exc
                if reason.get("Code") == "ConditionalCheckFailed" and write.tag:
                    kind, detail = write.tag
                    if kind == "idempotency":
                        raise DuplicateIdempotencyKey("An order with this idempotency key exists already.",
                                                      key=detail) from exc
                    raise Conflict(detail) from exc
            raise Conflict("The data changed while this request was being handled; please try again.") from exc

    def _batch_write(self) -> None:
        requests = []
        for write in self.writes:
            if "Put" in write.op:
                requests.append({"PutRequest": {"Item": write.op["Put"]["Item"]}})
            else:
                requests.append({"DeleteRequest": {"Key": write.op["Delete"]["Key"]}})
        for start in range(0, len(requests), 25):
            pending = {self.table: requests[start : start + 25]}
            while pending:
                answer = self.client.batch_write_item(RequestItems=pending)
                pending = answer.get("UnprocessedItems") or {}


def _body(op: dict[str, Any]) -> dict[str, Any]:
    """The Put, Delete or Update inside one TransactItems entry."""
    return next(iter(op.values()))


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in item.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[name] = {"BOOL": value}
        elif isinstance(value, int):
            out[name] = {"N": str(value)}
        else:
            out[name] = {"S": str(value)}
    return out


def _plain(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if "S" in value:
            out[name] = value["S"]
        elif "N" in value:
            out[name] = int(value["N"])
        elif "BOOL" in value:
            out[name] = value["BOOL"]
    return out


def _doc(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(item["doc"]) if item else None


# -- repositories -------------------------------------------------------------------------------

class DynamoProducts:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    @staticmethod
    def _item(p: Product) -> dict[str, Any]:
        from reorder.catalog import product_to_dict

        return {"PK": f"PRODUCT#{p.id}", "SK": "#", "GSI1PK": "CATALOG", "GSI1SK": p.id,
                "doc": json.dumps(product_to_dict(p))}

    @staticmethod
    def _product(item: dict[str, Any]) -> Product:
        from reorder.catalog import product_from_dict

        return product_from_dict(json.loads(item["doc"]))

    def get(self, product_id: str) -> Product | None:
        item = self.t.get(f"PRODUCT#{product_id}", "#")
        return self._product(item) if item else None

    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        found = self.t.batch_get([(f"PRODUCT#{i}", "#") for i in product_ids])
        return {item["PK"][len("PRODUCT#"):]: self._product(item) for item in found.values()}

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
        sec = security if security is not None else (
            PurchaseSecurity(current.get("failed", 0), records._dt(current.get("locked_until"))) if current
            else PurchaseSecurity())
        self.t.put({"PK": f"HH#{household.id}", "SK": "#HH", "GSI1PK": "HOUSEHOLDS", "GSI1SK": household.name,
                    "doc": json.dumps(records.household_to_doc(household)), "failed": sec.failed_attempts,
                    "locked_until": records._ts(sec.locked_until)})

    def add(self, household: Household) -> None:
        self.t.put({"PK": f"HHNAME#{household.name}", "SK": "#", "household_id": household.id},
                   must_not_exist=True, tag=("unique", f"A household named {household.name!r} exists already."))
        self._put(household, PurchaseSecurity())

    def get(self, household_id: str) -> Household | None:
        item = self.t.get(f"HH#{household_id}", "#HH")
        return records.household_from_doc(_doc(item)) if item else None

    def get_by_name(self, name: str) -> Household | None:
        pointer = self.t.get(f"HHNAME#{name}", "#")
        return self.get(pointer["household_id"]) if pointer else None

    def update(self, household: Household) -> None:
        old = self.get(household.id)
        if old is not None and old.name != household.name:
            self.t.delete(f"HHNAME#{old.name}", "#")
            self.t.put({"PK": f"HHNAME#{household.name}", "SK": "#", "household_id": household.id},
                       must_not_exist=True, tag=("unique", f"A household named {household.name!r} exists already."))
        self._put(household)

    def list(self) -> list[Household]:
        return [records.household_from_doc(_doc(i)) for i in self.t.query("HOUSEHOLDS", "", index=GSI1)]

    def link_identity(self, identity: Identity) -> None:
        self.t.put({"PK": f"IDENT#{identity.kind}#{identity.external_id}", "SK": "#",
                    "household_id": identity.household_id, "member_id": identity.member_id})

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
        self.t.put({"PK": f"TOKEN#{record.token_hash}", "SK": "#", "doc": doc},
                   must_not_exist=True, tag=("unique", "token collision"))
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
            out.append(CartLine(d["id"], d["product_id"], d["quantity"], product.price_cents, product.name,
                                d["added_by"], d["channel"], records._dt(d["added_at"])))
        return out

    def add_line(self, household_id: str, line: CartLine) -> None:
        # One line per product: the product id is part of a second, unique item.
        self.t.put({"PK": f"HH#{household_id}", "SK": f"CARTPRODUCT#{line.product_id}", "line_id": line.id},
                   must_not_exist=True, tag=("unique", "That product was just added to the cart; please try again."))
        self.t.put({"PK": f"HH#{household_id}", "SK": f"CART#{line.id}",
                    "doc": json.dumps(records.cart_line_to_doc(line))})

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


class DynamoOrders:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    @staticmethod
    def _sk(order: Order) -> str:
        return f"ORDER#{records._ts(order.placed_at)}#{order.id}"

    def _put(self, order: Order) -> None:
        item: dict[str, Any] = {"PK": f"HH#{order.household_id}", "SK": self._sk(order),
                                "doc": json.dumps(records.order_to_doc(order))}
        if order.next_transition_at is not None:
            item["GSI2PK"] = "DUE"
            item["GSI2SK"] = f"{records._ts(order.next_transition_at)}#{order.id}"
        self.t.put(item)

    def add(self, order: Order) -> None:
        if order.idempotency_key is not None:
            self.t.put({"PK": f"IDEMP#{order.household_id}#{order.idempotency_key}", "SK": "#",
                        "order_id": order.id}, must_not_exist=True, tag=("idempotency", order.idempotency_key))
        self.t.put({"PK": f"ORDER#{order.id}", "SK": "#", "household_id": order.household_id,
                    "order_sk": self._sk(order)}, must_not_exist=True, tag=("unique", "order id collision"))
        self._put(order)

    def get(self, order_id: str) -> Order | None:
        pointer = self.t.get(f"ORDER#{order_id}", "#")
        if pointer is None:
            return None
        item = self.t.get(f"HH#{pointer['household_id']}", pointer["order_sk"])
        return records.order_from_doc(_doc(item)) if item else None

    def get_by_idempotency_key(self, household_id: str, key: str) -> Order | None:
        pointer = self.t.get(f"IDEMP#{household_id}#{key}", "#")
        return self.get(pointer["order_id"]) if pointer else None

    def list_for_household(self, household_id: str, limit: int = 20) -> list[Order]:
        items = self.t.query(f"HH#{household_id}", "ORDER#", descending=True, limit=limit)
        return [records.order_from_doc(_doc(i)) for i in items]

    def open_orders(self, household_id: str, limit: int = 20) -> list[Order]:
        # Finished orders stay in the household's partition; one query over it, newest first, filtered here.
        orders = self.list_for_household(household_id, limit=10_000)
        return [o for o in orders if o.status.in_flight][:limit]

    def purchase_counts(self, household_id: str) -> dict[str, int]:
        return {i.product_id: i.times_ordered for i in self.purchase_history(household_id)}

    def record_change(self, order: Order, change: StatusChange) -> None:
        # The order document carries its whole history, `change` included by the domain already.
        self._put(order)

    def due(self, now: datetime, limit: int = 500, household_id: str | None = None) -> list[Order]:
        if household_id is not None:
            orders = self.list_for_household(household_id, limit=10_000)
            due = [o for o in orders if o.next_transition_at is not None and o.next_transition_at <= now]
            return sorted(due, key=lambda o: o.next_transition_at)[:limit]  # type: ignore[arg-type,return-value]
        # The sparse index lists only orders with a step ahead; it is eventually consistent, so each
        # candidate is read again from the table before it is returned.
        items = self.t.query("DUE", "", index=GSI2, upto=f"{records._ts(now)}#~", limit=limit)
        out = []
        for item in items:
            order = records.order_from_doc(_doc(self.t.get(item["PK"], item["SK"])) or _doc(item))
            if order.next_transition_at is not None and order.next_transition_at <= now:
                out.append(order)
        return out

    def purchase_history(self, household_id: str) -> list[PurchasedItem]:
        orders = [records.order_from_doc(_doc(i)) for i in self.t.query(f"HH#{household_id}", "ORDER#")]
        stats: dict[str, dict[str, Any]] = {}
        for order in sorted(orders, key=lambda o: o.placed_at):
            if order.status.value == "cancelled":
                continue
            for line in order.lines:
                s = stats.setdefault(line.product_id, {"orders": set(), "qty": 0})
                s["orders"].add(order.id)
                s["qty"] += line.quantity
                s["last_qty"] = line.quantity
                s["last_at"] = order.placed_at
        return [PurchasedItem(pid, len(s["orders"]), s["qty"], s["last_qty"], s["last_at"]) for pid, s in stats.items()]


class DynamoOutbox:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def add(self, notification: Notification) -> None:
        sk = f"OUTBOX#{records._ts(notification.created_at)}#{notification.id}"
        item: dict[str, Any] = {"PK": f"HH#{notification.household_id}", "SK": sk,
                                "doc": json.dumps(records.notification_to_doc(notification))}
        if notification.delivered_at is None:
            item["GSI2PK"] = "PENDING"
            item["GSI2SK"] = f"{records._ts(notification.created_at)}#{notification.id}"
        self.t.put(item)
        self.t.put({"PK": f"NOTE#{notification.id}", "SK": "#", "household_id": notification.household_id,
                    "note_sk": sk})

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

    def get(self, key: str) -> dict | None:
        return _doc(self.t.get(f"ATTR#{key}", "#"))

    def put(self, key: str, data: dict, at: datetime) -> None:
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
                Item=_typed({"PK": f"SEEN#{request_id}", "SK": "#", "expires_at": records._ts(expires_at),
                             "ttl": int(expires_at.timestamp())}),
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
        # Imported here: those modules build on this one's _Txn.
        from reorder.store.dynamodb_babycare import DynamoBabyEvents, DynamoRoutines
        from reorder.store.dynamodb_buttons import DynamoButtons, DynamoDevices

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

            client = boto3.client("dynamodb", region_name=settings["region"], endpoint_url=settings["endpoint"],
                                  config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                                connect_timeout=5, read_timeout=10))
        self.client = client

    def check(self) -> None:
        """Fail now, naming what is wrong, rather than at the first request."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.describe_table(TableName=self.table)
        except self.client.exceptions.ResourceNotFoundException as exc:
            raise StoreUnavailable(f"The DynamoDB table {self.table!r} does not exist; create it with "
                                   f"`voicecart --store {self.url} store init`.") from exc
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
            TableName=self.table, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {"IndexName": name, "Projection": {"ProjectionType": "ALL"},
                 "KeySchema": [{"AttributeName": f"{name}PK", "KeyType": "HASH"},
                               {"AttributeName": f"{name}SK", "KeyType": "RANGE"}]}
                for name in (GSI1, GSI2)
            ],
        )
        self.client.get_waiter("table_exists").wait(TableName=self.table)
        return True

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[DynamoUnitOfWork]:
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
