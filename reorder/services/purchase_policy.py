"""Who may buy, and how much: the trust rules every channel goes through.

No purchases from a child's profile; a household's purchase code, when set, is required for voice
purchases, and three wrong codes lock voice purchasing for 15 minutes; the per-order spending limit holds.
"""

from __future__ import annotations

import hmac
import math
from datetime import datetime, timedelta

from reorder.domain.model import Household
from reorder.errors import (
    PurchaseCodeRequired,
    PurchaseNotAllowed,
    PurchasingLocked,
    SpendingLimitExceeded,
    WrongPurchaseCode,
)
from reorder.services.households import hash_secret
from reorder.store.base import PurchaseSecurity, UnitOfWork

MAX_CODE_ATTEMPTS = 3
LOCKOUT = timedelta(minutes=15)
CODE_CHANNELS = ("voice",)


def check_member(household: Household, member_id: str | None) -> None:
    member = household.member(member_id) if member_id else None
    if member is not None and member.is_child:
        raise PurchaseNotAllowed(
            f"{member.name}'s profile cannot place orders; the items can wait in the cart for a grown-up.",
            member_id=member.id,
        )


def check_spending_limit(household: Household, total_cents: int) -> None:
    limit = household.spending_limit_cents
    if limit is not None and total_cents > limit:
        raise SpendingLimitExceeded(
            f"This order comes to {total_cents / 100:.2f} dollars, over the household's limit of "
            f"{limit / 100:.2f} dollars per order.",
            total_cents=total_cents,
            limit_cents=limit,
        )


def code_required(household: Household, channel: str) -> bool:
    return household.purchase_code_hash is not None and channel in CODE_CHANNELS


def check_lock(uow: UnitOfWork, household: Household, now: datetime) -> None:
    security = uow.households.get_security(household.id)
    if security.locked_until and security.locked_until > now:
        # Rounded up: a lock of 15 minutes is "15 more minutes" the moment it starts, never 16.
        minutes = max(1, math.ceil((security.locked_until - now).total_seconds() / 60))
        raise PurchasingLocked(
            f"Voice purchasing is locked for about {minutes} more minute{'s' if minutes != 1 else ''} after three "
            "wrong purchase codes.",
            locked_until=security.locked_until.isoformat(),
        )


def verify_code(uow: UnitOfWork, household: Household, code: str | None, now: datetime) -> None:
    """Check a purchase code, counting failures. Callers must commit this unit of work even when it
    raises WrongPurchaseCode, or the lockout could be dodged by retrying."""
    check_lock(uow, household, now)
    if not code:
        raise PurchaseCodeRequired("Please say your four-digit purchase code.")
    expected = household.purchase_code_hash or ""
    if hmac.compare_digest(hash_secret(code.strip(), household.id), expected):
        uow.households.set_security(household.id, PurchaseSecurity())
        return
    security = uow.households.get_security(household.id)
    attempts = security.failed_attempts + 1
    if attempts >= MAX_CODE_ATTEMPTS:
        uow.households.set_security(household.id, PurchaseSecurity(0, now + LOCKOUT))
        raise PurchasingLocked(
            "That code is not right, and that was the third try: voice purchasing is locked for 15 minutes.",
            locked_until=(now + LOCKOUT).isoformat(),
        )
    uow.households.set_security(household.id, PurchaseSecurity(attempts, None))
    raise WrongPurchaseCode(
        f"That code is not right. You have {MAX_CODE_ATTEMPTS - attempts} more "
        f"{'try' if MAX_CODE_ATTEMPTS - attempts == 1 else 'tries'}.",
        attempts_left=MAX_CODE_ATTEMPTS - attempts,
    )
