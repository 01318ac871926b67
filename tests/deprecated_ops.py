"""Which requests call an operation SoundCloud's spec marks `deprecated`.

conftest's `sandbox` fixture runs every request `sc` made in a test (the sandbox logs each
with its User-Agent) through `deprecated_calls`: only the operations that sc declares in
sccli.core.deprecated.IN_USE (no replacement in the spec, and sc warns) may appear.
"""

from __future__ import annotations

import functools
import re

from openapi_spec import SPEC

from sccli.core.deprecated import IN_USE


@functools.lru_cache(maxsize=1)
def deprecated_operations() -> dict[str, re.Pattern]:
    """'METHOD /path/{param}' -> a pattern of the request paths it covers."""
    import yaml

    spec = yaml.safe_load(SPEC.read_text())
    ops = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("deprecated"):
                pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
                ops[f"{method.upper()} {path}"] = re.compile(pattern + "/?")
    return ops


def deprecated_calls(log: list[dict]) -> list[str]:
    """The logged requests of sc (its User-Agent) to a deprecated operation sc does not
    declare, as 'METHOD /path (operation)'."""
    bad = []
    for entry in log:
        if not entry.get("agent", "").startswith("sccli/"):
            continue  # a test's own request, not sc's
        path = entry["path"].split("?", 1)[0]
        for op, pattern in deprecated_operations().items():
            method = op.split(" ", 1)[0]
            if entry["method"] == method and pattern.fullmatch(path) and op not in IN_USE:
                bad.append(f"{entry['method']} {path} ({op})")
    return bad
