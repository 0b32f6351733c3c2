"""Helpers for speaking user-supplied text back safely."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_ssml(text: str) -> str:
    """Text that is safe inside an SSML <speak> element: markup characters escaped, control characters
    dropped, so a slot value like "<speak>" or "Tom & Jerry" is spoken, never interpreted."""
    text = _CONTROL.sub("", text or "")
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )
