"""The sandbox WSGI app: routing, authentication, fault injection, and the error boundary."""

from __future__ import annotations

import ipaddress
import logging
import re
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from sccli.sandbox.context import Ctx, Services
from sccli.sandbox.faults import Fault, Throttled
from sccli.sandbox.http import ApiAbort, error_body, json_response
from sccli.sandbox.routes import Route, Router, all_routes
from sccli.sandbox.sink import UploadRequest
from sccli.sandbox.store import Store

# SoundCloud's documentation gives 4 GB per file; the rest of a body is its form fields.
MAX_UPLOAD = 4 * 2**30 + 2**20
UPLOAD = "POST /tracks"
log = logging.getLogger("sccli.sandbox")


LOCAL_HOST = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?", re.IGNORECASE)


def api_error(status: int, message: str) -> Response:
    return json_response(error_body(status, message), status)


def is_loopback(addr: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(addr or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def control_refusal(req: Request) -> Response | None:
    """Controls answer this machine only: a loopback client, naming a loopback host, with JSON.

    The Host check stops DNS rebinding (a web page whose name points at 127.0.0.1); demanding
    application/json makes a browser ask first (CORS preflight) before any cross-site POST.
    """
    if not is_loopback(req.remote_addr):
        return api_error(403, "the sandbox's controls answer loopback clients only")
    if not LOCAL_HOST.fullmatch(req.headers.get("Host", "")):
        return api_error(403, "the sandbox's controls answer Host 127.0.0.1 or localhost only")
    if req.method == "POST" and req.mimetype != "application/json":
        return api_error(415, "send the control's body with Content-Type: application/json")
    return None


class Sandbox:
    """A local, stateful imitation of the SoundCloud API, as a WSGI app."""

    def __init__(
        self,
        data_dir: Path,
        *,
        redirect_uri: str | None = None,
        seed_tracks: int | None = None,
    ):
        self.services = Services(Store(data_dir, seed_tracks=seed_tracks), redirect_uri)
        self.router = Router(all_routes())

    @property
    def store(self) -> Store:
        return self.services.store

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        req = UploadRequest(environ)
        req.max_content_length = MAX_UPLOAD
        # File parts past `keep_upload_bytes` are counted, not kept (see sink.py).
        req.keep_bytes = lambda: int(self.services.cfg("keep_upload_bytes"))  # type: ignore[method-assign]
        try:
            resp = self.dispatch(req)
        except Exception:  # the last line of defence: JSON, never werkzeug's HTML page
            log.exception("sandbox: unexpected error on %s %s", req.method, req.path)
            resp = api_error(500, "the sandbox failed on this request")
        return resp(environ, start_response)

    def dispatch(self, req: Request) -> Response:
        try:
            route, args = self.router.match(req.environ)
        except NotFound:
            return api_error(404, f"no route for {req.path}")
        except HTTPException as e:
            return api_error(e.code or 400, e.description or "bad request")
        if route.control:
            refusal = control_refusal(req)
            if refusal is not None:
                return refusal
        ctx = Ctx(req, self.services, api=req.host_url.rstrip("/"))
        fault = None if route.control else self._observe(req, route)
        if fault is not None:
            early = fault.before(req)
            if early is not None:
                return early
        if route.label == UPLOAD:
            resp = self._upload(route, ctx, args)
        else:
            resp = self._handle(route, ctx, args)
        return fault.apply_after(req, resp) if fault is not None else resp

    def _upload(self, route: Route, ctx: Ctx, args: dict) -> Response:
        """POST /tracks: counted while in flight, its body read at the configured bandwidth."""
        rate = ctx.cfg("bandwidth")
        if rate > 0:
            ctx.req.environ["wsgi.input"] = Throttled(ctx.req.environ["wsgi.input"], rate)
        monitor = self.services.monitor
        monitor.upload(started=True)
        try:
            return self._handle(route, ctx, args)
        finally:
            monitor.upload(started=False)

    def _observe(self, req: Request, route: Route) -> Fault | None:
        """Count the request, log it, and take the fault that applies to it, if any."""
        m = self.services.monitor
        with m.lock:
            m.stats[route.label] += 1
            agent = req.headers.get("User-Agent", "")  # which requests sc made, for tests
            entry = {"route": route.label, "path": req.full_path, "at": time.time()}
            m.log.append({**entry, "method": req.method, "agent": agent})
            del m.log[:-500]
            for f in list(m.faults):
                if f.matches(req, route.label):
                    if f.times > 0:
                        f.times -= 1
                        if f.times == 0:
                            m.faults.remove(f)
                    return f
        return None

    def _handle(self, route: Route, ctx: Ctx, args: dict) -> Response:
        try:
            if route.auth:
                ctx.token = self.authenticate(ctx.req)
            return self.router.call(route, ctx, args)
        except ApiAbort as e:
            return e.get_response()
        except RequestEntityTooLarge:
            return api_error(413, "request body exceeds 4 GB")
        except HTTPException as e:  # werkzeug's own, e.g. a malformed multipart body
            return api_error(e.code or 400, e.description or "bad request")
        except UnicodeError:  # a JSON "\udcff": text no database (or SoundCloud) stores
            return api_error(400, "text is not valid UTF-8")
        except OverflowError:  # a number too large for SQLite: no such thing here
            return api_error(404, "no such resource")
        except TimeoutError:  # the client stopped sending its body
            return api_error(408, "the request body did not arrive in time")
        except sqlite3.IntegrityError as e:
            return api_error(409, f"conflict: {e}")

    def authenticate(self, req: Request) -> sqlite3.Row:
        header = req.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("oauth", "bearer") or not value.strip():
            raise ApiAbort(401, "Authorization header missing: send 'Authorization: OAuth <token>'")
        row = self.store.tokens.token(value.strip())
        if row is None:
            raise ApiAbort(401, "invalid access token")
        if row["expires_at"] < time.time():
            raise ApiAbort(401, "access token expired")
        return row
