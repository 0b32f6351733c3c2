"""Business events for whoever counts them (the server's metrics), without the services knowing who listens.

`emit("order_placed", channel="voice")` is called after the change is committed. A listener that fails is
ignored: counting must never break an order.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, dict[str, str]], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: str, **labels: str) -> None:
    for listener in list(_listeners):
        try:
            listener(event, labels)
        except Exception:  # noqa: BLE001 - see the module docstring
            pass
