"""The sandbox's list routes (reposts, followers, feeds, related, web profiles, history,
download) validate against SoundCloud's own OpenAPI description too."""

import pytest
import requests
from test_contract import SPEC, call, check, openapi  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.skipif(not SPEC.is_file(), reason=f"OpenAPI spec not found at {SPEC}")

PAGED = {"linked_partitioning": "true", "limit": 5}
READS = [
    "/me/reposts/tracks",
    "/me/reposts/playlists",
    "/me/followers",
    "/me/feed",
    "/me/feed/tracks",
    "/me/activities",
    "/me/activities/all/own",
    "/me/activities/tracks",
    "/users/soundcloud:users:1001/likes/tracks",
    "/users/soundcloud:users:1001/likes/playlists",
    "/users/soundcloud:users:1001/reposts/tracks",
    "/users/soundcloud:users:1001/reposts/playlists",
    "/users/soundcloud:users:1002/followers",
    "/users/soundcloud:users:1001/followings",
    "/users/soundcloud:users:1002/related",
    "/tracks/soundcloud:tracks:300010/related",
    "/tracks/soundcloud:tracks:300010/favoriters",
    "/tracks/soundcloud:tracks:300010/reposters",
    "/playlists/soundcloud:playlists:900002/reposters",
]


def test_list_routes_match_the_spec(openapi, call, sandbox):  # noqa: F811
    other = sandbox.post("/_sandbox/login", json={"user": "northern-canal-1"}).json()
    follow_back = requests.put(
        sandbox.url + "/me/followings/soundcloud:users:1001",
        headers={"Authorization": f"OAuth {other['access_token']}"},
        timeout=10,
    )
    assert follow_back.status_code == 201
    for method, path in (
        ("POST", "/reposts/tracks/soundcloud:tracks:300010"),
        ("POST", "/reposts/playlists/soundcloud:playlists:900002"),
        ("POST", "/likes/tracks/soundcloud:tracks:300010"),
        ("POST", "/likes/playlists/soundcloud:playlists:900002"),
        ("PUT", "/me/followings/soundcloud:users:1002"),
        ("GET", "/tracks/soundcloud:tracks:300010/streams/hls_mp3_128"),  # a play
    ):
        assert call(method, path).status_code in (200, 201, 302)
    for path in READS:
        resp = call("GET", path, params=PAGED)
        assert resp.status_code == 200, (path, resp.text)
        assert resp.json()["collection"], path  # something to validate
        check(openapi, resp)
    for path in ("/me/recently-played/tracks", "/users/soundcloud:users:1002/web-profiles"):
        resp = call("GET", path)
        assert resp.status_code == 200 and resp.json(), path
        check(openapi, resp)
    check(openapi, call("DELETE", "/reposts/tracks/soundcloud:tracks:300010"))


def test_download_url_needs_the_token_then_redirects(call, sandbox):  # noqa: F811
    track = call("GET", "/tracks/soundcloud:tracks:300010").json()
    assert track["download_url"].endswith("/tracks/soundcloud:tracks:300010/download")
    assert "download_url" not in call("GET", "/tracks/soundcloud:tracks:300001").json()
    hop = call("GET", "/tracks/soundcloud:tracks:300010/download")
    assert hop.status_code == 302
    assert sandbox.get("/tracks/soundcloud:tracks:300010/download").status_code == 401
    cdn = sandbox.get(hop.headers["Location"][len(sandbox.url) :], headers={"Range": "bytes=10-"})
    assert cdn.status_code == 206 and cdn.headers["Content-Range"].startswith("bytes 10-")
