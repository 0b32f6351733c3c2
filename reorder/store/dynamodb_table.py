"""One unit of work's view of the DynamoDB table (consistent reads, buffered conditional writes that commit
as one transaction) and the item encoding every DynamoDB repository shares."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

from reorder.errors import Conflict
from reorder.store.base import (
    ButtonBusy,
    DuplicateIdempotencyKey,
    DuplicatePressKey,
)

MAX_TRANSACTION_ITEMS = 100
GSI1 = "GSI1"  # catalog listing, household listing
GSI2 = "GSI2"  # sparse work queues: orders due a fulfilment step, notifications not yet delivered
# Errors whose callers read again and retry. DynamoDB reports a transaction that collided with another one
# in flight on the same item as TransactionConflict, not a failed condition: for these it means the same.
_RETRIED_BY_CALLER = (ButtonBusy, DuplicatePressKey)


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
        item: dict[str, Any] | None = _plain(answer.get("Item"))
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
            request = {self.table: {"Keys": [_key(*k) for k in remote[start : start + 100]], "ConsistentRead": True}}
            while request:
                answer = self.client.batch_get_item(RequestItems=request)
                for raw in answer["Responses"].get(self.table, []):
                    item = _plain(raw)
                    found[(item["PK"], item["SK"])] = item
                request = answer.get("UnprocessedKeys") or {}
        return found

    def query(
        self,
        pk: str,
        prefix: str,
        *,
        descending: bool = False,
        limit: int | None = None,
        index: str | None = None,
        upto: str | None = None,
        keep: Callable[[dict[str, Any]], bool] | None = None,
        page_size: int | None = None,
    ) -> list[dict[str, Any]]:
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
        args: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not descending,
        }
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
            in_range = value_sk is not None and (
                value_sk.startswith(prefix) if upto is None else prefix <= value_sk <= upto
            )
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
        args: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "Select": "COUNT",
            "KeyConditionExpression": f"{index}PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        total = 0
        while True:
            answer = self.client.query(**args)
            total += int(answer["Count"])
            if "LastEvaluatedKey" not in answer:
                return total
            args["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # -- writing (buffered) -----------------------------------------------------------------------
    def put(
        self,
        item: dict[str, Any],
        *,
        must_not_exist: bool = False,
        tag: tuple[str, str] | None = None,
        error: Exception | None = None,
    ) -> None:
        key = (item["PK"], item["SK"])
        if must_not_exist:
            condition = "attribute_not_exists(PK)"
            values = None
        elif key in self.versions:
            read = self.versions[key]
            condition, values = (
                ("attribute_not_exists(PK)", None) if read is None else ("ver = :ver", {":ver": {"N": str(read)}})
            )
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
        op = {
            "TableName": self.table,
            "Key": _key(pk, sk),
            "UpdateExpression": "SET n = if_not_exists(n, :start) + :one, ver = if_not_exists(ver, :zero) + :one",
            "ConditionExpression": "attribute_not_exists(PK) OR n < :below",
            "ExpressionAttributeValues": {
                ":start": {"N": str(start)},
                ":one": one,
                ":zero": {"N": "0"},
                ":below": {"N": str(below)},
            },
        }
        self._replace((pk, sk), _Write({"Update": op}, None, error))

    def _replace(self, key: tuple[str, str], write: _Write) -> None:
        # One write per item in a transaction (DynamoDB refuses two); the last one wins, keeping the
        # first write's tag and condition meaning.
        for i, existing in enumerate(self.writes):
            op = _body(existing.op)
            item = op.get("Item") or op["Key"]
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
                        raise DuplicateIdempotencyKey(
                            "An order with this idempotency key exists already.", key=detail
                        ) from exc
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


@overload
def _plain(raw: dict[str, Any]) -> dict[str, Any]: ...
@overload
def _plain(raw: None) -> None: ...
@overload
def _plain(raw: dict[str, Any] | None) -> dict[str, Any] | None: ...
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


@overload
def _doc(item: dict[str, Any]) -> dict[str, Any]: ...
@overload
def _doc(item: None) -> None: ...
@overload
def _doc(item: dict[str, Any] | None) -> dict[str, Any] | None: ...
def _doc(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if not item:
        return None
    doc: dict[str, Any] = json.loads(item["doc"])
    return doc
