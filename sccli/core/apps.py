"""Your SoundCloud app, as SoundCloud's sign-in tool `sc-api-auth` prints it: read its JSON,
keep the secret where the tokens live (the OS keyring, else a 0600 file), the rest in the
config, so that `sc auth login` needs no flags (API-NOTES.md, Apps)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sccli.core.config import Settings, redirect_uri
from sccli.core.errors import StoreError, UsageError
from sccli.core.fsutil import atomic_write, read_small
from sccli.core.jsontext import loads as json_loads
from sccli.core.tokens import KeyringStore, open_store

APP_SERVICE = "sccli-app"  # beside the tokens' "sccli" entries, one per profile


@dataclass
class App:
    client_id: str
    client_secret: str
    name: str = ""
    website: str = ""
    redirect_uri: str | None = None

    def shown(self) -> dict[str, Any]:
        """Everything but the secret."""
        return {k: v for k, v in asdict(self).items() if k != "client_secret"}


def parse_app(text: str) -> App:
    """sc-api-auth's JSON: {client_id, client_secret, name, website, redirect_uri?}."""
    try:
        data = json_loads(text)
    except ValueError:
        raise UsageError("that is not JSON: give the JSON sc-api-auth printed") from None
    if not isinstance(data, dict):
        raise UsageError("the app must be a JSON object with client_id and client_secret")
    for key in ("client_id", "client_secret"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise UsageError(f"the app's JSON has no {key}")
        if not data[key].strip().isprintable():  # a line break would split config.ini's line
            raise UsageError(f"the app's {key} holds a line break or control character")
    uri = data.get("redirect_uri") or None
    if uri is not None:
        check_redirect_uri(uri)
    return App(
        data["client_id"].strip(),
        data["client_secret"].strip(),
        str(data.get("name") or ""),
        str(data.get("website") or ""),
        uri,
    )


def check_redirect_uri(uri: Any) -> str:
    try:
        return redirect_uri(uri if isinstance(uri, str) else "")
    except ValueError as e:
        raise UsageError(f"redirect_uri {uri!r} {e}") from None


def _file(settings: Settings) -> Path:
    return settings.data_dir / "apps" / f"{settings.profile}.json"


def save_app(settings: Settings, app: App, *, insecure: bool = False) -> str:
    """Keep the app (secret included) where this profile's tokens are kept; where that is."""
    text = json.dumps(asdict(app), sort_keys=True)
    if isinstance(open_store(settings, insecure=insecure), KeyringStore):
        KeyringStore(settings.profile, APP_SERVICE).write_text(text)
        _file(settings).unlink(missing_ok=True)
        return "keyring"
    atomic_write(_file(settings), text.encode(), mode=0o600)
    return f"file {_file(settings)}"


def load_app(settings: Settings) -> App | None:
    """The stored app of this profile, if any (a keyring that cannot answer holds none). One
    that is there but cannot be read is a StoreError (exit 4) that says so, not 'none'."""
    text: str | None = None
    where = f"profile {settings.profile}'s app"
    try:
        path = _file(settings)
        if path.exists():
            where = f"{where} ({path})"
            text = read_small(path).decode("utf-8")
        elif isinstance(open_store(settings), KeyringStore):
            text = KeyringStore(settings.profile, APP_SERVICE).read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise _unreadable(where, getattr(e, "strerror", None) or "not UTF-8 text") from None
    except StoreError:
        return None
    if not text:
        return None
    try:
        return parse_app(text)
    except UsageError as e:
        raise _unreadable(where, e.message) from None


def _unreadable(where: str, why: str) -> StoreError:
    return StoreError(
        f"the stored {where} is unreadable: {why}",
        hint="`sc auth app import FILE` stores it again",
    )
