"""Secret links: the token that lets anyone holding a private track's or set's link see it.

SoundCloud shares a private track as https://soundcloud.com/USER/TITLE/s-TOKEN, and the API
takes `secret_token` on GET of the track or set, /streams and /preview. Here a token is an
HMAC of the object under a key kept in the state, so it needs no column and stays the same
for the life of the state.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from sccli.sandbox.store import Store

_ALPHABET = string.ascii_letters + string.digits


def _key(store: Store) -> bytes:
    row = store.db.q1("SELECT value FROM meta WHERE key='secret-key'")
    if row is None:  # made on first use; a reset wipes it, and with it every old link
        store.db.x("INSERT OR IGNORE INTO meta VALUES ('secret-key', ?)", secrets.token_hex(32))
        row = store.db.q1("SELECT value FROM meta WHERE key='secret-key'")
    assert row is not None
    return bytes.fromhex(row["value"])


def secret_token(store: Store, obj: dict) -> str:
    """`s-` and 11 letters or digits, as SoundCloud's tokens look."""
    kind = "playlist" if "tracks" in obj else "track"
    digest = hmac.new(_key(store), f"{kind}:{obj['id']}".encode(), hashlib.sha256).digest()
    return "s-" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:11])


def opens(store: Store, obj: dict, token: str | None) -> bool:
    """Whether `token` is this private object's secret. Compared as bytes: compare_digest
    refuses str with non-ASCII characters, and a token in a URL can hold any."""
    given = str(token or "").encode("utf-8", "surrogatepass")
    return bool(given) and hmac.compare_digest(given, secret_token(store, obj).encode())
