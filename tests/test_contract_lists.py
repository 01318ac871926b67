"""The sandbox's list routes (reposts, followers, feeds, related, web profiles, history)
validate against SoundCloud's own OpenAPI description too, each with something in it
(tests/test_contract.py reads a few of them without asking for any content). Downloads: test_sandbox_routes.py."""

import pytest
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


def test_list_routes_match_the_spec(openapi, call):  # noqa: F811
    # The seed's users already follow sandbox-user: /me/followers has something to validate.
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
