"""A loopback replay of responses recorded from the real SoundCloud API (../shared/realdata).

The recordings are read where they lie, never copied into the project. Each one is served
under its own base URL, `http://127.0.0.1:PORT/<name>` (or several: `<name>+<name>`), so a
test points `SC_API_URL` at one recording and `sc` asks its usual paths: the recording (the
first of several that does) answers only a request whose path is
the one it was recorded for (a URN in the path counts as its id, `.json` is dropped, and a
few renamed endpoints count as their old names: see ALIASES). Anything else is a 404 that
names the path, so a test cannot pass on a request that nobody recorded.
"""

from __future__ import annotations

import json
import os
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REALDATA = Path(
    os.environ.get("SC_REALDATA") or Path(__file__).resolve().parents[1].parent / "shared/realdata"
)
_URN = re.compile(r"soundcloud:(?:tracks|users|playlists|comments):([0-9]+)")
_API_HOSTS = re.compile(r"https?://api\.soundcloud\.com(?::443)?")
# Segments after these name one object: an id, or (in old recordings) a permalink.
_OBJECT_OF = ("tracks", "users", "playlists")
# The path sc asks today -> the path a recording was made under, for endpoints that were
# renamed since, or that a recording of the same objects stands in for.
ALIASES = {
    "/me/likes/tracks": "/me/favorites",  # the old name of the same list of tracks
    "/tracks/*/streams": "/i1/tracks/*/streams",  # the same keys (manifest note)
    "/users/*/followers": "/tracks/*/favoriters",  # a recorded page of the same User objects
}


def require_realdata() -> Path:
    """The recordings, or a loud skip (a failure where CI demands every system test)."""
    if (REALDATA / "manifest.json").is_file():
        return REALDATA
    reason = (
        f"REAL-DATA CONTRACT TEST NOT RUN: no recorded SoundCloud answers at {REALDATA} "
        "(set SC_REALDATA to the folder holding manifest.json and payloads/)"
    )
    if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
        pytest.fail(reason)
    if not _WARNED:  # loud: in the warnings summary of every run, not only under -rs
        _WARNED.append(reason)
        warnings.warn(reason, pytest.PytestWarning, stacklevel=2)
    pytest.skip(reason)


_WARNED: list[str] = []


def _segments(path: str) -> list[str]:
    path = _URN.sub(r"\1", path)
    path = path[:-5] if path.endswith(".json") else path
    return [s for s in path.split("/") if s]


def _same_path(asked: list[str], recorded: list[str]) -> bool:
    if len(asked) != len(recorded):
        return False
    for i, (a, r) in enumerate(zip(asked, recorded, strict=True)):
        # An id must be the recorded one; an old recording's permalink stands for any id.
        by_name = i > 0 and recorded[i - 1] in _OBJECT_OF and not r.isdigit()
        if not (a == r or "*" in (a, r) or by_name):
            return False
    return True


@dataclass
class Recording:
    name: str
    method: str
    path: str
    status: int
    headers: dict
    body: bytes | None

    def answers(self, method: str, path: str) -> bool:
        if method not in (self.method, "HEAD" if self.method == "GET" else self.method):
            return False
        asked = _segments(path)
        for now, then in ALIASES.items():
            if _same_path(asked, _segments(now)) and _same_path(_segments(then), self.segments):
                return True
        return _same_path(asked, self.segments)

    @property
    def segments(self) -> list[str]:
        return _segments(self.path)

    def payload(self):
        return None if self.body is None else json.loads(self.body)


@dataclass
class Replay:
    root: Path
    recordings: dict[str, Recording] = field(default_factory=dict)
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # (recording, method, path)
    url: str = ""

    def __post_init__(self):
        for e in json.loads((self.root / "manifest.json").read_text()):
            body = (
                (self.root / "payloads" / e["body_file"]).read_bytes() if e["body_file"] else None
            )
            path = urlsplit(e["uri"]).path
            self.recordings[e["name"]] = Recording(
                e["name"], e["method"], path, e["status"], e["headers"], body
            )

    def base(self, name: str) -> str:
        return f"{self.url}/{name}"

    def payload(self, name: str):
        return self.recordings[name].payload()

    def _local(self, url: str) -> str:
        """A URL of the real API as one of this replay: the recording of its path if there is
        one (a /resolve redirect), else the same path, which then answers 404."""
        path = _API_HOSTS.sub("", url).split("?", 1)[0]
        for rec in self.recordings.values():
            if rec.status == 200 and _segments(path) == rec.segments:
                return f"{self.url}/{rec.name}{path}"
        return f"{self.url}/unrecorded{path}"

    def __call__(self, environ, start_response):
        name, _, rest = environ["PATH_INFO"].lstrip("/").partition("/")
        method = environ["REQUEST_METHOD"]
        self.seen.append((name, method, "/" + rest))
        found = (self.recordings.get(n) for n in name.split("+"))
        rec = next((r for r in found if r and r.answers(method, "/" + rest)), None)
        if rec is None:
            msg = f"no recording {name!r} of {method} /{rest}"
            body = json.dumps({"code": 404, "message": msg}).encode()
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [body]
        headers = [(k, v) for k, v in rec.headers.items() if k.lower() != "location"]
        if "Location" in rec.headers:
            headers.append(("Location", self._local(rec.headers["Location"])))
        body = self._body(rec)
        start_response(f"{rec.status} Recorded", headers)
        return [] if method == "HEAD" or body is None else [body]

    def _body(self, rec: Recording) -> bytes | None:
        """The recorded body; a page's next_href points here, so nothing can leave loopback."""
        data = rec.payload()
        if isinstance(data, dict) and isinstance(data.get("next_href"), str):
            nxt = self.base(rec.name) + _API_HOSTS.sub("", data["next_href"])
            data = {**data, "next_href": nxt}
            return json.dumps(data).encode()
        if isinstance(data, dict) and isinstance(data.get("location"), str):  # a /resolve 302
            return json.dumps({**data, "location": self._local(data["location"])}).encode()
        if rec.name.startswith("android-comment"):  # ONE comment; the endpoint lists them
            return json.dumps([data]).encode()
        return rec.body


class LoopbackServer:
    """A WSGI app on 127.0.0.1 in a thread; `with` gives the app, its `url` set."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        app.url = f"http://127.0.0.1:{self.httpd.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.app

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def ReplayServer(root: Path) -> LoopbackServer:  # noqa: N802 - used as a class
    return LoopbackServer(Replay(root))


@dataclass
class Canned:
    """Fixed answers by method and path (a test's made-up API), for shapes the sandbox never
    sends: {("GET", "/resolve"): (302, {"Location": "/tracks/1"}, None), ...}."""

    answers: dict
    url: str = ""
    seen: list = field(default_factory=list)

    def __call__(self, environ, start_response):
        # The API answers a path by URN as by id (old numeric paths still answer).
        key = (environ["REQUEST_METHOD"], _URN.sub(r"\1", environ["PATH_INFO"]))
        self.seen.append((*key, environ.get("QUERY_STRING", "")))
        status, headers, body = self.answers.get(key, (404, {}, {"code": 404}))
        headers = {"Content-Type": "application/json", **headers}
        if "Location" in headers and headers["Location"].startswith("/"):
            headers["Location"] = self.url + headers["Location"]
        start_response(f"{status} Canned", list(headers.items()))
        return [b"" if body is None else json.dumps(body).encode()]
