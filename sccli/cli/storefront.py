"""`sc tracks storefront`: show or set a track's buy module (sccli.core.storefront)."""

from __future__ import annotations

from typing import Any

from sccli.cli.context import AppContext
from sccli.core.record import record

# How the command's options name the API's fields.
OPTION_OF = {"link": "--url", "link_title": "--label"}


@record
class StorefrontOptions:
    track: str
    title: str | None = None
    url: str | None = None
    label: str | None = None
    description: str | None = None
    kind: str | None = None
    price: str | None = None
    keep: bool = False

    def given(self) -> dict[str, Any]:
        """The options as the API's fields (None: not given)."""
        return {
            "title": self.title,
            "link": self.url,
            "link_title": self.label,
            "description": self.description,
            "type": self.kind,
            "price": self.price,
        }


def run_storefront(sc: AppContext, o: StorefrontOptions) -> None:
    from sccli.core.errors import NotFound, UsageError
    from sccli.core.refs import to_urn
    from sccli.core.storefront import StorefrontRecord, cleared, desired, put_storefront

    given, keep = o.given(), o.keep
    urn = to_urn(sc.client, o.track, ("track",))
    kept = StorefrontRecord(sc.settings)
    current = kept.get(urn)
    changing = any(v is not None for v in given.values())
    if current is None and (keep or not changing):
        raise NotFound(
            f"sc has no record of a storefront on {urn}: the API cannot read one back, so sc "
            "knows only those it set",
            hint=f"set one: sc tracks storefront {urn} --title TITLE --url URL",
        )
    if not changing:
        if keep:
            raise UsageError("--keep goes with the fields to change")
        sc.out.one(current)
        return
    body = desired(given, current if keep else None)
    gone = [f for f in cleared(given, keep) if current is None or current.get(f)]
    if gone:
        names = ", ".join(OPTION_OF.get(f, f"--{f}") for f in gone)
        sc.info(
            f"warning: the API replaces the whole storefront, so what {names} held is "
            "cleared; --keep resends what sc last set"
        )
    result = put_storefront(sc.client, urn, body)
    kept.put(urn, result)
    sc.info(f"storefront set on {urn}")
    sc.out.one(result)
