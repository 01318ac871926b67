"""A track's storefront (the buy module): PUT /tracks/{urn}/storefront, and sc's record of it.

The API replaces the whole storefront on each PUT (fields left out are cleared) and offers no
way to read one back. So sc keeps the last storefront it set for each track (per profile and
API), to show it and to resend the fields a partial change does not name (`--keep`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, UsageError
from sccli.core.fsutil import atomic_write, read_small
from sccli.core.jsontext import loads as json_loads
from sccli.core.values import STOREFRONT_TYPES

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.config import Settings

# The spec's StorefrontUpdateRequest: title, type and link are required.
FIELDS = ("title", "type", "link", "link_title", "description", "price")
REQUIRED = ("title", "type", "link")
OPTIONAL = ("link_title", "description", "price")


class StorefrontRecord:
    """The storefronts sc has set, by API and track URN, in one JSON file of the data dir."""

    def __init__(self, settings: Settings):
        self.path: Path = settings.data_dir / "storefronts" / f"{settings.profile}.json"
        # --sandbox listens on a new port each run: its storefronts are the sandbox's.
        self.api = "sandbox" if settings.sandbox else settings.api_url

    def _all(self, strict: bool = False) -> dict[str, Any]:
        """What the file holds; a file that cannot be read is empty to a reader, and an
        error to a writer (`strict`), which would otherwise write the others away."""
        try:
            data = json_loads(read_small(self.path).decode("utf-8"))  # OSError: a FIFO, 2 GB
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            if strict:
                raise UsageError(
                    f"cannot read {self.path}: {getattr(e, 'strerror', None) or e}",
                    hint="move that file away; sc records the storefronts it sets there",
                ) from None
            return {}
        if not isinstance(data, dict):
            if strict:
                raise UsageError(f"cannot read {self.path}: not a JSON object")
            return {}
        return data

    def get(self, urn: str) -> dict[str, Any] | None:
        found = self._all().get(f"{self.api} {urn}")
        return found if isinstance(found, dict) else None

    def put(self, urn: str, storefront: dict[str, Any]) -> None:
        data = self._all(strict=True)
        data[f"{self.api} {urn}"] = storefront
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data, indent=1).encode(), mode=0o644)


def desired(given: dict[str, Any], kept: dict[str, Any] | None) -> dict[str, Any]:
    """The whole storefront to send: what was given, over what is kept (--keep), type
    defaulting to digital; a missing title or link is a usage error (exit 2)."""
    body = {k: v for k, v in (kept or {}).items() if k in FIELDS and v not in (None, "")}
    body.update({k: v for k, v in given.items() if v is not None})
    body.setdefault("type", "digital")
    missing = [k for k in REQUIRED if not body.get(k)]
    if missing:
        names = ", ".join("--url" if k == "link" else f"--{k}" for k in missing)
        raise UsageError(f"a storefront needs {names} (the API replaces it whole)")
    if body["type"] not in STOREFRONT_TYPES:
        raise UsageError(
            f"unknown storefront type {body['type']!r}; valid: {', '.join(STOREFRONT_TYPES)}"
        )
    if not str(body["link"]).startswith(("http://", "https://")):
        raise UsageError(f"--url must be an http(s) URL, not {body['link']!r}")
    return body


def cleared(given: dict[str, Any], keep: bool) -> list[str]:
    """The optional fields a PUT without --keep clears because they were not given."""
    return [] if keep else [k for k in OPTIONAL if given.get(k) is None]


def put_storefront(client: Client, urn: str, body: dict[str, Any]) -> dict[str, Any]:
    result = client.call("PUT", f"/tracks/{urn}/storefront", json=body)
    if not isinstance(result, dict) or not result:  # a 2xx is no proof: say so, never "set"
        raise ApiError(
            f"the API answered the storefront write for {urn} without the storefront",
            hint="run it again: the storefront is replaced whole, so that is safe",
        )
    return result
