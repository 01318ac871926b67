"""Users: who you are (finding people and their lists are shared: resources.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sccli.core.client import Client


def me(client: Client) -> dict[str, Any]:
    """The logged-in user."""
    found: dict[str, Any] = client.get("/me", need=("urn",))
    return found
