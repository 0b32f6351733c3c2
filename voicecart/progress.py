"""Progress bars for long work started from the command line (catalog import, index build), drawn on
stderr by tqdm only when stderr is a terminal: in cron, CI or a pipe nothing extra is written."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], *, total: int | None, desc: str, unit: str = "products") -> Iterator[T]:
    from tqdm import tqdm

    # disable=None: tqdm turns itself off when the stream is not a terminal.
    yield from tqdm(
        items,
        total=total,
        desc=desc,
        unit=f" {unit}",
        unit_scale=True,
        disable=None,
        file=sys.stderr,
        mininterval=0.25,
        leave=True,
    )
