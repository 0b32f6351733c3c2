"""How a cancelled DynamoDB transaction is reported, including the TransactionConflict moto never produces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from reorder.errors import Conflict
from reorder.store.base import ButtonBusy
from reorder.store.dynamodb_buttons import DynamoButtons
from reorder.store.dynamodb_table import _Txn

NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


class _Cancelled(ClientError):
    pass


class _RefusingClient:
    """A DynamoDB client whose every transaction is cancelled with the given reasons."""

    class exceptions:  # noqa: N801 - the shape of boto3's client.exceptions
        TransactionCanceledException = _Cancelled

    def __init__(self, *codes: str) -> None:
        self.codes = codes

    def get_item(self, **_: object) -> dict:
        return {}

    def transact_write_items(self, TransactItems: list) -> None:  # noqa: N803 - boto3's parameter name
        reasons = [{"Code": code} for code in self.codes][: len(TransactItems)]
        raise _Cancelled(
            {"Error": {"Code": "TransactionCanceledException"}, "CancellationReasons": reasons}, "TransactWriteItems"
        )


def _claim(client: _RefusingClient) -> None:
    t = _Txn(client, "t")
    buttons = DynamoButtons(t)
    assert buttons.inflight_claim("btn_1") is None
    buttons.claim_inflight("btn_1", "VC1", NOW)
    t.commit()


@pytest.mark.parametrize("code", ["ConditionalCheckFailed", "TransactionConflict"])
def test_a_lost_race_for_the_claim_is_button_busy_so_the_press_is_retried(code):
    with pytest.raises(ButtonBusy):
        _claim(_RefusingClient(code))


def test_other_cancellations_ask_the_caller_to_try_again():
    with pytest.raises(Conflict, match="try again") as caught:
        _claim(_RefusingClient("ThrottlingError"))
    assert not isinstance(caught.value, ButtonBusy)
