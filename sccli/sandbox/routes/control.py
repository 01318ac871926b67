"""Test-only controls under /_sandbox/: fault injection, counters, settings, reset."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from werkzeug.wrappers import Response

from sccli.sandbox.context import DEFAULTS, Ctx
from sccli.sandbox.faults import Fault
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import ctl
from sccli.sandbox.routes.base import ref_id

CONFIG_KEYS = tuple(DEFAULTS)
FAULT_TYPES: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "method": (str, type(None)),
    "status": (int, type(None)),
    "body": (str,),
    "times": (int,),
    "delay": (int, float),
    "drop": (bool,),
    "after": (bool,),
    "reset_in": (int, float, type(None)),
    "retry_after": (int, type(None)),
    "repeat_cursor": (bool,),
    "cut_at": (int, float, type(None)),
}


def _json_object(c: Ctx, what: str) -> dict:
    spec = c.req.get_json(silent=True)
    if not isinstance(spec, dict):
        raise ApiAbort(400, f"send a JSON object {what}")
    return spec


def _fault(spec: dict[str, Any]) -> Fault:
    bad = sorted(set(spec) - set(FAULT_TYPES))
    if bad:
        raise ApiAbort(400, f"unknown fault keys: {', '.join(bad)}")
    for key, value in spec.items():
        ok = isinstance(value, FAULT_TYPES[key]) and not (
            isinstance(value, bool) and bool not in FAULT_TYPES[key]
        )
        if not ok:
            raise ApiAbort(400, f"fault key {key} has the wrong type")
    status = spec.get("status")
    if status is not None and not 100 <= status <= 599:
        raise ApiAbort(400, "status must be an HTTP status code")
    if spec.get("body", "api") not in ("api", "html", "empty"):
        raise ApiAbort(400, "body must be api, html or empty")
    for key in ("delay", "reset_in"):
        value = spec.get(key)
        if value is not None and not (math.isfinite(value) and 0 <= value <= 86400):
            raise ApiAbort(400, f"{key} must be a number of seconds, 0 to 86400")
    if spec.get("cut_at") is not None and not 0 <= spec["cut_at"] < 1:
        raise ApiAbort(400, "cut_at is the fraction of the body sent before the cut: 0 to 1")
    return Fault(**spec)


def faults(c: Ctx) -> Response:
    monitor = c.services.monitor
    if c.req.method == "DELETE":
        with monitor.lock:
            monitor.faults.clear()
    elif c.req.method == "POST":
        fault = _fault(_json_object(c, "describing the fault"))
        with monitor.lock:
            monitor.faults.append(fault)
    with monitor.lock:
        listed = [dataclasses.asdict(f) for f in monitor.faults]
    return json_response({"faults": listed})


def stats(c: Ctx) -> Response:
    m = c.services.monitor
    with m.lock:
        body = {
            "requests": dict(m.stats),
            "requests_total": sum(m.stats.values()),
            "tokens_issued": dict(m.tokens_issued),
            "tokens_issued_total": sum(m.tokens_issued.values()),
            "max_concurrent_uploads": m.max_concurrent_uploads,
        }
    return json_response(body)


def requests_log(c: Ctx) -> Response:
    with c.services.monitor.lock:
        return json_response({"requests": list(c.services.monitor.log)})


def _setting(key: str, value: Any) -> float:
    if key not in CONFIG_KEYS:
        raise ApiAbort(400, f"unknown setting {key}; known: {', '.join(CONFIG_KEYS)}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiAbort(400, f"{key} must be a number")
    if not math.isfinite(value) or value < 0:
        raise ApiAbort(400, f"{key} must be a finite number, 0 or more")
    return float(value)


def config(c: Ctx) -> Response:
    if c.req.method == "POST":
        spec = _json_object(c, "of settings")
        values = {key: _setting(key, value) for key, value in spec.items()}
        for key, value in values.items():
            c.store.set_setting(key, value)
    return json_response({k: c.cfg(k) for k in CONFIG_KEYS})


def reset(c: Ctx) -> Response:
    c.store.reset()
    c.services.monitor.clear()
    return json_response({"reset": True})


def login_as(c: Ctx) -> Response:
    """A user token for any made-up user, so a test can act as somebody sandbox-user follows."""
    spec = _json_object(c, 'naming the user: {"user": "soundcloud:users:1002"}')
    uid = ref_id(str(spec.get("user", "")), "user")
    if c.store.user(uid) is None:
        raise ApiAbort(404, "user not found")
    c.services.monitor.count_token("sandbox_login")
    lifetime = c.cfg("token_lifetime")
    return json_response(c.store.tokens.issue("user", "sandbox", uid, lifetime, True))


def secrets(c: Ctx) -> Response:
    # Loopback-only test aid: every token the sandbox issued, to scan `sc` output for leaks.
    return json_response({"secrets": c.store.tokens.issued()})


ROUTES = [
    *ctl("/_sandbox/stats", "GET", handler=stats),
    *ctl("/_sandbox/faults", "GET", "POST", "DELETE", handler=faults),
    *ctl("/_sandbox/config", "GET", "POST", handler=config),
    *ctl("/_sandbox/reset", "POST", handler=reset),
    *ctl("/_sandbox/secrets", "GET", handler=secrets),
    *ctl("/_sandbox/token", "POST", handler=login_as),
    *ctl("/_sandbox/requests", "GET", handler=requests_log),
]
