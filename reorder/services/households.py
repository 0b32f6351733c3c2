"""Households, their members, the identities that map a speaker or a device to them, and API tokens."""

from __future__ import annotations

import builtins
import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from reorder.clock import Clock
from reorder.domain.model import Household, Member, Role, validate_household_settings
from reorder.errors import Conflict, InvalidInput, NotFound, Unauthorized
from reorder.services.ids import new_id
from reorder.store.base import Identity, Store, TokenRecord, UnitOfWork

R = TypeVar("R")
IDENTITY_KINDS = ("alexa_user", "alexa_person", "alexa_device", "access_token")


def hash_secret(secret: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), 100_000).hex()


def token_hash(token: str) -> str:
    # API tokens are long random strings, so one fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()


ALEXA_USERS_KEY = "alexa-users:{}"
# The Alexa user ids a household's proactive events go to, newest last. A household has a few people and
# devices; an id goes stale when someone disables and enables the skill again. Keeping the newest few
# bounds the record: a stream of new ids (a re-enabled skill, a test or an attack) rewrote an ever longer
# list on every new caller, growing the store and each serving process with it.
MAX_ALEXA_USERS = 16


def _changes_who_is_who(method: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(method)
    def changing(self: HouseholdService, *args: object, **kwargs: object) -> R:
        try:
            return method(self, *args, **kwargs)
        finally:
            # Counted after the write, so an answer read before it commits is never taken as current.
            self.identity_generation += 1

    return changing


class HouseholdService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        # Counts changes made here to who is who (identities, members, settings), so a cache of
        # identity lookups in this process can tell its answers are out of date.
        self.identity_generation = 0

    def create(
        self,
        name: str,
        *,
        members: list[tuple[str, Role | str]] = (),  # type: ignore[assignment]
        timezone: str = "America/New_York",
        address_label: str = "",
        member_pricing: bool = False,
        member_discount_pct: int = 5,
        spending_limit_cents: int | None = None,
        preferred_delivery_day: int | None = None,
        purchase_code: str | None = None,
        is_demo: bool = False,
    ) -> Household:
        household = Household(
            id=new_id("hh"),
            name=name.strip(),
            timezone=timezone,
            address_label=address_label,
            member_pricing=member_pricing,
            member_discount_pct=member_discount_pct,
            spending_limit_cents=spending_limit_cents,
            preferred_delivery_day=preferred_delivery_day,
            is_demo=is_demo,
            members=[Member(new_id("mem"), n.strip(), Role(r)) for n, r in members],
        )
        if purchase_code is not None:
            household.purchase_code_hash = hash_secret(_check_code(purchase_code), household.id)
        validate_household_settings(household)
        with self.store.unit_of_work() as uow:
            if uow.households.get_by_name(household.name):
                raise Conflict(f"A household named {household.name!r} exists already.")
            uow.households.add(household)
        return household

    def get(self, household_id: str) -> Household:
        with self.store.unit_of_work(write=False) as uow:
            household = uow.households.get(household_id)
        if household is None:
            raise NotFound(f"There is no household {household_id!r}.")
        return household

    def by_name(self, name: str) -> Household:
        with self.store.unit_of_work(write=False) as uow:
            household = uow.households.get_by_name(name)
        if household is None:
            raise NotFound(f"There is no household named {name!r}.")
        return household

    def list(self) -> list[Household]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.households.list()

    @_changes_who_is_who
    def update_settings(self, household_id: str, **changes: object) -> Household:
        allowed = {
            "timezone",
            "address_label",
            "member_pricing",
            "member_discount_pct",
            "spending_limit_cents",
            "preferred_delivery_day",
            "name",
        }
        unknown = set(changes) - allowed - {"purchase_code"}
        if unknown:
            raise InvalidInput(f"Unknown household settings: {', '.join(sorted(unknown))}.")
        with self.store.unit_of_work() as uow:
            household = uow.households.get(household_id)
            if household is None:
                raise NotFound(f"There is no household {household_id!r}.")
            code = changes.pop("purchase_code", ...)
            updated = replace(household, **changes)  # type: ignore[arg-type]
            if code is None:
                updated.purchase_code_hash = None
            elif code is not ...:
                updated.purchase_code_hash = hash_secret(_check_code(str(code)), household.id)
            validate_household_settings(updated)
            uow.households.update(updated)
        return updated

    @_changes_who_is_who
    def add_member(self, household_id: str, name: str, role: Role | str = Role.ADULT) -> Member:
        if not name.strip():
            raise InvalidInput("A member needs a name.")
        with self.store.unit_of_work() as uow:
            household = uow.households.get(household_id)
            if household is None:
                raise NotFound(f"There is no household {household_id!r}.")
            member = Member(new_id("mem"), name.strip(), Role(role))
            household.members.append(member)
            uow.households.update(household)
        return member

    # Identity: who is speaking, on which device, maps to a household and a member.
    @_changes_who_is_who
    def link_identity(self, kind: str, external_id: str, household_id: str, member_id: str | None = None) -> None:
        if kind not in IDENTITY_KINDS:
            raise InvalidInput(f"Unknown identity kind {kind!r}.")
        if not external_id:
            raise InvalidInput("An identity needs an id.")
        with self.store.unit_of_work() as uow:
            household = uow.households.get(household_id)
            if household is None:
                raise NotFound(f"There is no household {household_id!r}.")
            if member_id is not None and household.member(member_id) is None:
                raise NotFound(f"{household.name} has no member {member_id!r}.")
            uow.households.link_identity(Identity(kind, external_id, household_id, member_id))
            if kind == "alexa_user":
                self._note_alexa_user(uow, household_id, external_id)

    def note_alexa_user(self, household_id: str, user_id: str) -> None:
        """Remember that this Alexa user speaks for the household (the skill calls it when a caller is
        recognised by a linked account or a person), so proactive events can reach them. It names no
        identity: it never makes the user recognised."""
        if user_id in self.alexa_users(household_id):
            return
        with self.store.unit_of_work() as uow:
            self._note_alexa_user(uow, household_id, user_id)

    def _note_alexa_user(self, uow: UnitOfWork, household_id: str, user_id: str) -> None:
        known = (uow.attributes.get(ALEXA_USERS_KEY.format(household_id)) or {}).get("user_ids", [])
        if user_id not in known:
            newest = [*known, user_id][-MAX_ALEXA_USERS:]
            uow.attributes.put(ALEXA_USERS_KEY.format(household_id), {"user_ids": newest}, self.clock.now())

    def alexa_users(self, household_id: str) -> builtins.list[str]:
        """The Alexa user ids that spoke for a household, for proactive events."""
        with self.store.unit_of_work(write=False) as uow:
            return list((uow.attributes.get(ALEXA_USERS_KEY.format(household_id)) or {}).get("user_ids", []))

    def find_identity(self, kind: str, external_id: str) -> Identity | None:
        with self.store.unit_of_work(write=False) as uow:
            return uow.households.find_identity(kind, external_id)

    # REST API tokens.
    def issue_token(self, household_id: str, label: str = "api", device_id: str | None = None) -> str:
        token = "vc_" + secrets.token_urlsafe(32)
        with self.store.unit_of_work() as uow:
            if uow.households.get(household_id) is None:
                raise NotFound(f"There is no household {household_id!r}.")
            uow.tokens.add(TokenRecord(token_hash(token), household_id, label, self.clock.now(), device_id))
        return token

    def tokens(self, household_id: str) -> builtins.list[TokenRecord]:
        """The household's tokens, oldest first (their hashes and public ids, never the tokens)."""
        with self.store.unit_of_work(write=False) as uow:
            if uow.households.get(household_id) is None:
                raise NotFound(f"There is no household {household_id!r}.")
            return uow.tokens.list(household_id)

    def revoke_token(self, household_id: str, token_id: str) -> TokenRecord:
        """Revoke one of the household's tokens by its id (`tokens()`); it stops working at once."""
        token_id = token_id.strip()
        if len(token_id) < 6:
            raise InvalidInput("Give at least the first 6 characters of the token's id (`voicecart token list`).")
        with self.store.unit_of_work() as uow:
            matches = [r for r in uow.tokens.list(household_id) if r.token_hash.startswith(token_id)]
            if not matches:
                raise NotFound(f"The household has no token {token_id!r}.")
            if len(matches) > 1:
                raise InvalidInput(f"{token_id!r} names {len(matches)} tokens; give more of the id.")
            uow.tokens.delete(matches[0])
        return matches[0]

    def authenticate(self, token: str) -> TokenRecord:
        if not token:
            raise Unauthorized("A bearer token is required.")
        with self.store.unit_of_work(write=False) as uow:
            record = uow.tokens.find(token_hash(token))
        if record is None:
            raise Unauthorized("The token is not valid.")
        return record


def _check_code(code: str) -> str:
    code = code.strip()
    if len(code) != 4 or not code.isdigit():
        raise InvalidInput("A purchase code is four digits.")
    return code
