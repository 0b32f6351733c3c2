"""YAML read the fast way: libyaml's safe loader where PyYAML was built with it, the pure-Python one otherwise.

Both accept the same documents and build the same values; libyaml's is about ten times faster, and the
project's interaction model sources and language resources are read in every process that starts.
"""

from __future__ import annotations

from typing import Any

# PyYAML is imported at the first document read (about 10 ms): a process whose language data all come from
# the cache folder (a `voicecart sim --say`) reads none.


def load(text: str | bytes) -> Any:
    """`yaml.safe_load`, faster; raises `yaml.YAMLError` on a document that is not YAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, chosen above
