"""The skill a device talks to when none is named, and how the device meets its backend beyond speech.

The simulator does not know which skill that is: the application declares it as an entry point in the
`voicecart.default_skill` group (voicecart's is `voicecart.sim_skill:open_voicecart`), and a caller may
hand one to `build_device` directly. The backend's notification outbox feeds the device's notifications,
and pressing a virtual button presses it in the backend. When no default skill is installed the simulator
says so instead of failing obscurely.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NamedTuple, Protocol

from device_sim.skill_loader import SkillEndpoint

ENTRY_POINT_GROUP = "voicecart.default_skill"


class SkillNotInstalled(RuntimeError):
    """No default skill is installed, or it cannot be imported in this checkout."""


class DefaultSkill(Protocol):
    """Opens the default skill on a store and the simulator's clock: (its endpoint, the order backend it runs
    on, or None when it has none)."""

    def __call__(self, store_url: str | None, clock: Any, *, locale: str) -> tuple[SkillEndpoint, Any]: ...


class Declared(NamedTuple):
    """An entry point as a distribution declares it (importlib.metadata's EntryPoint, read for less)."""

    name: str
    value: str

    def load(self) -> Any:
        """The object named `module:attr.attr`, as EntryPoint.load finds it."""
        import importlib

        match = _ENTRY_VALUE.match(self.value)
        if match is None:
            raise ImportError(f"{self.value!r} is not module:attribute")
        found: Any = importlib.import_module(match.group("module"))
        for attr in (match.group("attr") or "").split("."):
            if attr:
                found = getattr(found, attr)
        return found


_ENTRY_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


def entry_points(group: str) -> list[Declared]:
    """The group's entry points of the installed distributions, in importlib.metadata's order.

    importlib.metadata costs ~10 ms of a one-shot `voicecart sim` (its import brings email, zipfile and csv;
    its scan makes an object per distribution). The installed distributions are read here the way its path
    finder reads them: each folder on sys.path in order, its `*.dist-info` / `*.egg-info` folders, the first
    of each normalised name, their entry_points.txt. Anything that reading does not cover (a zip or an egg on
    sys.path, another finder of distributions) is handed to importlib.metadata itself; the two agree on this
    environment's groups (tests/device_sim/test_sim_entry_points.py)."""
    declared = _scan(group)
    if declared is None:
        from importlib.metadata import entry_points as metadata_entry_points

        declared = [Declared(e.name, e.value) for e in metadata_entry_points(group=group)]
    return declared


def _scan(group: str) -> list[Declared] | None:
    from importlib.machinery import PathFinder

    if any(f is not PathFinder and hasattr(f, "find_distributions") for f in sys.meta_path):
        return None
    seen: set[str] = set()
    found: list[Declared] = []
    header = f"[{group}]"
    for entry in sys.path:
        folder = entry or "."
        try:
            children = os.listdir(folder)
        except OSError:
            if os.path.exists(folder):
                return None  # a zip archive (or something else) on sys.path
            continue
        if os.path.basename(folder).lower().endswith(".egg"):
            return None
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            if not child.endswith((".dist-info", ".egg-info")):
                return None  # importlib.metadata names such a distribution from its metadata instead
            name = re.sub(r"[-_.]+", "_", low.rpartition(".")[0].partition("-")[0])
            if name in seen:
                continue
            seen.add(name)
            try:
                with open(os.path.join(folder, child, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, ValueError):
                continue
            if header in text:
                found.extend(_section(text, group))
    return found


def _section(text: str, group: str) -> list[Declared]:
    """`name = value` lines of the group's section, read as importlib.metadata's Sectioned reads them."""
    out: list[Declared] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section == group:
            name, _, value = line.partition("=")
            out.append(Declared(name.strip(), value.strip()))
    return out


def installed_default_skill() -> DefaultSkill:
    """The default skill the installed application declares (entry point group `voicecart.default_skill`;
    the first by name when several are declared)."""
    found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    if not found:
        raise SkillNotInstalled(
            f"no default skill is installed (no {ENTRY_POINT_GROUP!r} entry point: reinstall the project, "
            "pip install -e .); point the simulator at a skill with --skill MODULE:HANDLER --model MODEL.json"
        )
    try:
        opener: DefaultSkill = found[0].load()
    except ImportError as exc:
        raise SkillNotInstalled(f"the default skill {found[0].value} cannot be imported: {exc}") from exc
    return opener


def household_of(backend: Any, profile: Any) -> str:
    """The household the device's Alexa account is linked to (by name when the account is not linked)."""
    identity = backend.households.find_identity("alexa_user", profile.user_id)
    if identity is not None:
        return identity.household_id
    return backend.households.by_name(profile.household).id


def outbox_source(backend: Any, profile: Any) -> Callable[[], list[dict]]:
    """Polls the household's notification outbox; what it returns is marked delivered to this device."""

    def poll() -> list[dict]:
        pending = backend.notifications.pending(household_of(backend, profile))
        if pending:
            backend.notifications.mark_delivered([n.id for n in pending])
        return [{"text": n.message, "source": "voicecart"} for n in pending]

    return poll


class BackendLink:
    """The backend a device's voicecart session uses; replaced when the session moves to a scratch store."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend


def connect(device: Any, backend: Any) -> BackendLink:
    """Notifications from the backend's outbox, and virtual-button presses into the backend."""
    from reorder.errors import BackendError

    link = BackendLink(backend)
    # What was already waiting when the device was switched on is history (the demo household's past
    # orders), not news: it is marked delivered without a chime, so only new notifications arrive.
    backlog = backend.notifications.pending(household_of(backend, device.profile), limit=10_000)
    if backlog:
        backend.notifications.mark_delivered([n.id for n in backlog])

    def poll() -> list[dict]:
        return outbox_source(link.backend, device.profile)()

    device.watch_notifications(poll, source="voicecart")

    def press(dev: Any, name: str) -> str:
        current = link.backend
        try:
            result = current.buttons.press_by_name(
                household_of(current, dev.profile), name, channel="button", device_id=dev.profile.device_id
            )
        except BackendError as exc:
            return f"[error] the button did nothing: {exc}"
        return f"[{result.outcome.value}] {result.message}"

    device.on_button_press(press)
    switched_on = device.clock.now()
    device.state_source = lambda what: household_state(
        link.backend, household_of(link.backend, device.profile), what, since=switched_on
    )
    return link


STATE_KINDS = ("cart", "orders", "log")


def household_state(backend: Any, household_id: str, what: str, *, since: Any) -> dict:
    """What a conversation changed, as JSON for a `state:` step: the cart, the orders placed and the log
    entries made since the device was switched on (the demo household's history is left out)."""
    if what == "cart":
        cart = backend.carts.get(household_id)
        lines = [{"product_id": ln.product_id, "product": ln.name, "quantity": ln.quantity} for ln in cart.lines]
        return {"count": len(lines), "lines": lines}
    if what == "orders":
        orders = [o for o in backend.orders.recent(household_id, limit=100) if o.placed_at >= since]
        return {
            "count": len(orders),
            "orders": [
                {
                    "status": o.status.value,
                    "lines": [
                        {"product_id": ln.product_id, "product": ln.name, "quantity": ln.quantity} for ln in o.lines
                    ],
                }
                for o in orders
            ],
        }
    if what == "log":
        household = backend.households.get(household_id)
        with backend.store.unit_of_work(write=False) as uow:
            logged = uow.baby_events.between(
                household_id, since - timedelta(days=2), backend.clock.now() + timedelta(minutes=5)
            )
        events = [e for e in logged if e.logged_at >= since]
        entries = []
        for event in events:
            child = household.member(event.child_id) if event.child_id else None
            entries.append({"kind": event.kind.value, "child": child.name if child else None, **event.data})
        return {"count": len(entries), "entries": entries}
    raise ValueError(f"a state step reads one of {', '.join(STATE_KINDS)}, not {what!r}")
