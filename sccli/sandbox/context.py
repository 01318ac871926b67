"""What a route handler works with: the shared services, and one context per request."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request

from sccli.sandbox.http import ApiAbort
from sccli.sandbox.store import Store

if TYPE_CHECKING:
    from sccli.sandbox.faults import Fault
    from sccli.sandbox.routes.base import Views

DEFAULTS = {
    "token_lifetime": 3599.0,
    "code_lifetime": 300.0,
    "transcode_delay": 2.0,
    "follow_limit": 2000.0,
    "cc_per_app_12h": 50.0,
    "cc_per_ip_1h": 30.0,
    "bandwidth": 0.0,  # bytes a second per upload body (POST /tracks); 0: no limit
    "days_ahead": 0.0,  # days the clock of growing counts is moved on (growth.py)
    "keep_upload_bytes": float(256 * 2**20),  # an upload's bytes past this: counted, not kept
    "signed_streams": 0.0,  # 1: /streams answers signed CDN links, as the live API may
    "download_bandwidth": 0.0,  # bytes a second per original file served; 0: no limit
}


@dataclass
class Monitor:
    """Counters and recent requests, for the /_sandbox/ controls; safe across threads."""

    stats: Counter[str] = field(default_factory=Counter)
    tokens_issued: Counter[str] = field(default_factory=Counter)
    log: list[dict] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    uploads_in_flight: int = 0
    max_concurrent_uploads: int = 0

    def clear(self) -> None:
        with self.lock:
            self.stats.clear()
            self.tokens_issued.clear()
            self.faults.clear()
            self.log.clear()
            self.max_concurrent_uploads = self.uploads_in_flight

    def upload(self, started: bool) -> None:
        """An upload began (or ended): keep the most ever in flight at once."""
        with self.lock:
            self.uploads_in_flight += 1 if started else -1
            self.max_concurrent_uploads = max(self.max_concurrent_uploads, self.uploads_in_flight)

    def count_token(self, grant: str) -> None:
        with self.lock:
            self.tokens_issued[grant] += 1


@dataclass
class Services:
    """What every request shares: the state, the settings, the monitor."""

    store: Store
    redirect_uri: str | None = None
    monitor: Monitor = field(default_factory=Monitor)

    def cfg(self, key: str) -> float:
        """A setting, adjustable through /_sandbox/config and kept across restarts."""
        return self.store.setting(key, DEFAULTS[key])


@dataclass
class Ctx:
    """One request: the request itself, its base URL, its token, and the shared services."""

    req: Request
    services: Services
    api: str  # this request's base URL ("http://127.0.0.1:8787"), from its Host header
    token: sqlite3.Row | None = None

    @property
    def store(self) -> Store:
        return self.services.store

    def cfg(self, key: str) -> float:
        return self.services.cfg(key)

    @property
    def viewer(self) -> int | None:
        """The logged-in user, if any (app-only tokens have none)."""
        return None if self.token is None else self.token["user_id"]

    def user_id(self) -> int:
        """The logged-in user; app-only (client credentials) tokens get 401, as on the real API."""
        if self.viewer is None:
            raise ApiAbort(
                401, "this endpoint needs a user token; client credentials grant no user"
            )
        return int(self.viewer)

    @cached_property
    def views(self) -> Views:
        from sccli.sandbox.routes.base import Views

        return Views(self.store, self.api, self.viewer, self.req.args.get("secret_token"))
