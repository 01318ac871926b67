"""Every operation of SoundCloud's OpenAPI description has a route in the sandbox, and the ones
added for issue #11 behave as the spec says: lists, feed and activities made of the sandbox's
own follows, uploads and reposts, downloads with Range, sign-out, and the new faults."""

from __future__ import annotations

import time

import pytest
import requests
import yaml
from openapi_spec import SPEC
from test_sandbox_hardening import in_parallel, upload, wav_bytes

ME = "soundcloud:users:1001"
OTHER = "soundcloud:users:1002"
MY_TRACK = "soundcloud:tracks:300001"  # sandbox-user's, not downloadable in the seed
THEIR_TRACK = "soundcloud:tracks:300010"
A_SET = "soundcloud:playlists:900002"


@pytest.fixture
def api(sandbox):
    """A session logged in as sandbox-user, with paths relative to the sandbox."""
    token = sandbox.user_token()["access_token"]
    return Client(sandbox.url, token)


class Client:
    def __init__(self, url: str, token: str):
        self.url = url
        self.headers = {"Authorization": f"OAuth {token}"}

    def __call__(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("allow_redirects", False)
        kw["headers"] = {**self.headers, **kw.get("headers", {})}
        return requests.request(method, self.url + path, timeout=30, **kw)

    def get(self, path: str, **params) -> requests.Response:
        return self("GET", path, params=params)

    def collection(self, path: str, **params) -> list[dict]:
        r = self.get(path, linked_partitioning="true", limit=200, **params)
        assert r.status_code == 200, r.text
        return r.json()["collection"]


def as_user(sandbox, urn: str) -> Client:
    r = requests.post(sandbox.url + "/_sandbox/token", json={"user": urn}, timeout=10)
    assert r.status_code == 200, r.text
    return Client(sandbox.url, r.json()["access_token"])


# -- every operation answers ----------------------------------------------------------------------
def operations() -> list[tuple[str, str, bool]]:
    spec = yaml.safe_load(SPEC.read_text())
    return [
        (method.upper(), path, bool(op.get("deprecated")))
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]


PATH_VALUES = {
    "{track_urn}": THEIR_TRACK,
    "{user_urn}": OTHER,
    "{playlist_urn}": A_SET,
    "{follower_urn}": OTHER,
    "{following_urn}": "soundcloud:users:1003",
}


def test_every_operation_in_the_spec_has_a_route(api):
    ops = operations()
    assert len([op for op in ops if not op[2]]) >= 50  # the spec was read, not an empty file
    missing = []
    # Deletions last, so that what they remove is there for the others; sign-out at the very end.
    for method, template, _deprecated in sorted(
        ops, key=lambda op: (op[1] == "/sign-out", op[0] == "DELETE")
    ):
        path = template
        for name, value in PATH_VALUES.items():
            path = path.replace(name, value)
        r = api(method, path, params={"url": "https://soundcloud.com/sandbox-user"})
        no_route = r.status_code in (404, 405) and "no route" in r.text or r.status_code == 405
        if no_route:
            missing.append(f"{method} {template}")
    assert not missing, missing


def test_followings_tracks_is_not_taken_for_a_user(api):
    r = api.get("/me/followings/tracks")
    assert r.status_code == 200 and isinstance(r.json(), list)  # TracksList: a bare array
    assert api("PUT", "/me/followings/tracks").status_code == 404  # not a user, not "tracks"


# -- lists ----------------------------------------------------------------------------------------
def test_follower_and_following_lists_are_pages(api):
    r = api.get("/me/followings")  # no linked_partitioning: the spec's Users is still an object
    assert r.status_code == 200 and r.json() == {"collection": []}
    assert api("PUT", f"/me/followings/{OTHER}").status_code == 201
    assert [u["urn"] for u in api.get("/me/followings").json()["collection"]] == [OTHER]
    followers = api.get("/me/followers").json()["collection"]
    assert len(followers) == 12 and all(u["kind"] == "user" for u in followers)
    assert OTHER in [u["urn"] for u in api.get(f"/users/{ME}/followers").json()["collection"]]
    theirs = api.get(f"/users/{OTHER}/followings").json()["collection"]
    assert ME in [u["urn"] for u in theirs]
    page = api.get("/me/followers", limit=5).json()
    assert len(page["collection"]) == 5 and "cursor=" in page["next_href"]


def test_reposts_count_and_list(api):
    seeded = [t["urn"] for t in api.collection("/me/reposts/tracks")]  # her library's reposts
    before = api.get(f"/tracks/{THEIR_TRACK}").json()["reposts_count"]
    assert api("POST", f"/reposts/tracks/{THEIR_TRACK}").status_code == 201
    assert api.get(f"/tracks/{THEIR_TRACK}").json()["reposts_count"] == before + 1
    assert [t["urn"] for t in api.collection("/me/reposts/tracks")] == [THEIR_TRACK, *seeded]
    mine = [t["urn"] for t in api.collection(f"/users/{ME}/reposts/tracks")]
    assert mine == [THEIR_TRACK, *seeded]
    assert ME in [
        u["urn"] for u in api.get(f"/tracks/{THEIR_TRACK}/reposters").json()["collection"]
    ]
    assert api("POST", f"/reposts/playlists/{A_SET}").status_code == 201
    assert api.get(f"/playlists/{A_SET}").json()["reposts_count"] == 1
    assert [p["urn"] for p in api.collection("/me/reposts/playlists")] == [A_SET]
    assert [u["urn"] for u in api.get(f"/playlists/{A_SET}/reposters").json()["collection"]] == [ME]
    assert api("DELETE", f"/reposts/tracks/{THEIR_TRACK}").status_code == 200
    assert api("DELETE", f"/reposts/playlists/{A_SET}").status_code == 200
    assert api.get(f"/tracks/{THEIR_TRACK}").json()["reposts_count"] == before
    assert [t["urn"] for t in api.collection("/me/reposts/tracks")] == seeded


def test_likes_show_on_the_user_and_the_track(api):
    seeded = [t["urn"] for t in api.collection(f"/users/{ME}/likes/tracks")]  # her library
    assert api("POST", f"/likes/tracks/{THEIR_TRACK}").status_code == 200
    assert api("POST", f"/likes/playlists/{A_SET}").status_code == 200
    liked = [t["urn"] for t in api.collection(f"/users/{ME}/likes/tracks")]
    assert liked == [THEIR_TRACK, *seeded]
    assert [p["urn"] for p in api.collection(f"/users/{ME}/likes/playlists")] == [A_SET]
    assert [u["urn"] for u in api.collection(f"/tracks/{THEIR_TRACK}/favoriters")] == [ME]
    assert api.get(f"/playlists/{A_SET}").json()["likes_count"] == 1


def test_related_and_web_profiles(api):
    related = api.collection(f"/tracks/{THEIR_TRACK}/related")
    assert related and THEIR_TRACK not in [t["urn"] for t in related]
    mine = api.get(f"/tracks/{THEIR_TRACK}").json()
    tags = set(mine["tag_list"].split())
    assert any(tags & set(t["tag_list"].split()) or t["genre"] == mine["genre"] for t in related)
    users = api.collection(f"/users/{OTHER}/related")
    assert users and OTHER not in [u["urn"] for u in users]
    profiles = api.get(f"/users/{ME}/web-profiles").json()
    assert [p["service"] for p in profiles] == ["personal", "instagram"]
    assert all(p["kind"] == "web-profile" and p["url"].startswith("https://") for p in profiles)


def test_user_tracks_sort_both_ways(api):
    newest = [t["created_at"] for t in api.collection("/me/tracks")]
    oldest = [t["created_at"] for t in api.collection("/me/tracks", sort="asc")]
    assert newest == sorted(newest, reverse=True) and oldest == list(reversed(newest))
    assert api.get("/me/tracks", sort="sideways").status_code == 400


# -- feed and activities ----------------------------------------------------------------------------
def test_a_followed_users_upload_and_repost_reach_the_feed(sandbox, api):
    assert api.collection("/me/feed") == []  # sandbox-user follows nobody at first
    assert api("PUT", f"/me/followings/{OTHER}").status_code == 201
    other = as_user(sandbox, OTHER)
    made = upload(other.url, other.headers, "Fresh from the harbour", wav_bytes(0.3))
    assert made.status_code == 201, made.text
    feed = api.collection("/me/feed")
    assert feed[0]["type"] == "track" and feed[0]["origin"]["urn"] == made.json()["urn"]
    assert all(set(item) >= {"type", "created_at", "origin"} for item in feed)
    assert other("POST", f"/reposts/tracks/{MY_TRACK}").status_code == 201
    top = api.collection("/me/feed/tracks")[0]
    assert top["type"] == "track:repost" and top["reposter"] == OTHER
    assert top["origin"]["urn"] == MY_TRACK
    assert all(i["type"].startswith("track") for i in api.collection("/me/feed/tracks"))
    own = other.collection("/me/activities/all/own")
    assert {i["origin"]["urn"] for i in own[:2]} == {made.json()["urn"], MY_TRACK}
    recent = api.get("/me/followings/tracks", limit=3).json()
    assert recent[0]["urn"] == made.json()["urn"] and len(recent) == 3
    paged = api.get("/me/feed", limit=2).json()
    assert len(paged["collection"]) == 2 and paged["next_href"]


def test_plays_make_the_recently_played_list(api):
    assert api.get("/me/recently-played/tracks").json() == {"collection": []}
    for urn in (THEIR_TRACK, MY_TRACK, THEIR_TRACK):
        r = api.get(f"/tracks/{urn}/streams/hls_mp3_128")
        assert r.status_code == 302 and "/cdn/" in r.headers["Location"]
    preview = api.get(f"/tracks/{MY_TRACK}/preview")
    assert preview.status_code == 302 and preview.json()["location"] == preview.headers["Location"]
    played = api.get("/me/recently-played/tracks").json()["collection"]
    assert [t["urn"] for t in played] == [MY_TRACK, THEIR_TRACK]


# -- downloads --------------------------------------------------------------------------------------
@pytest.fixture
def uploaded(api):
    content = wav_bytes(2.0, marker=7)
    r = upload(api.url, api.headers, 'Harbour "live" take', content)
    assert r.status_code == 201, r.text
    return r.json(), content


def test_download_serves_the_original_upload(sandbox, api, uploaded):
    track, content = uploaded
    url = track["download_url"]
    assert url.startswith(sandbox.url) and url.endswith(f"/tracks/{track['urn']}/download")
    assert requests.get(url, timeout=10).status_code == 401  # the Authorization header is needed
    r = requests.get(url, headers=api.headers, timeout=10)
    assert r.status_code == 200 and r.content == content
    assert r.headers["Accept-Ranges"] == "bytes"
    disposition = r.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment;")
        and 'filename="Harbour _live_ take.wav"' in disposition
    )
    part = requests.get(url, headers={**api.headers, "Range": "bytes=100-199"}, timeout=10)
    assert part.status_code == 206 and part.content == content[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    tail = requests.get(url, headers={**api.headers, "Range": "bytes=-10"}, timeout=10)
    assert tail.status_code == 206 and tail.content == content[-10:]
    beyond = requests.get(url, headers={**api.headers, "Range": "bytes=99999999-"}, timeout=10)
    assert (
        beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(content)}"
    )


def test_download_url_only_where_downloading_is_allowed(api):
    closed = "soundcloud:tracks:300009"  # somebody else's, not downloadable
    theirs = api.get(f"/tracks/{closed}").json()
    # null, as the live API sends it (issue 15: a 2026 recording's download_url is null)
    assert theirs["downloadable"] is False and theirs["download_url"] is None
    assert api.get(f"/tracks/{closed}/download").status_code == 404
    opened = api.get(f"/tracks/{THEIR_TRACK}").json()
    assert opened["downloadable"] is True and opened["download_url"].endswith("/download")
    mine = api.get(f"/tracks/{MY_TRACK}").json()
    # download_url is null when a track is not downloadable, the owner's too (as a 2026
    # recording of the live API has it); the owner may still fetch the original.
    assert mine["downloadable"] is False and mine["download_url"] is None
    for track in (opened, mine):
        r = api.get(f"/tracks/{track['urn']}/download")
        assert r.status_code == 200 and r.content[:4] == b"RIFF"  # seed tracks: a silent WAV


def test_a_download_cut_half_way_resumes_with_range(sandbox, api, uploaded):
    track, content = uploaded
    sandbox.fault(path=f"/tracks/{track['urn']}/download", cut_at=0.5)
    got = b""
    with (
        pytest.raises(requests.exceptions.RequestException),
        requests.get(track["download_url"], headers=api.headers, stream=True, timeout=10) as r,
    ):
        assert r.status_code == 200
        for chunk in r.iter_content(4096):
            got += chunk
    assert 0 < len(got) < len(content) and content.startswith(got)
    rest = requests.get(
        track["download_url"], headers={**api.headers, "Range": f"bytes={len(got)}-"}, timeout=10
    )
    assert rest.status_code == 206 and got + rest.content == content


# -- uploads under a bandwidth limit ----------------------------------------------------------------
def test_bandwidth_limit_and_concurrent_upload_count(sandbox, api):
    assert sandbox.stats()["max_concurrent_uploads"] == 0
    sandbox.config(bandwidth=50_000)
    content = wav_bytes(4.0)  # 32 KB: about two thirds of a second at 50 KB/s, so they overlap
    start = time.monotonic()
    made = in_parallel(3, lambda i: upload(api.url, api.headers, f"slow-{i}", content))
    took = time.monotonic() - start
    assert [r.status_code for r in made] == [201] * 3
    assert took >= 0.5, took
    assert sandbox.stats()["max_concurrent_uploads"] == 3
    sandbox.config(bandwidth=0)


# -- storefront and sign-out ------------------------------------------------------------------------
def test_storefront_is_replaced_whole(api):
    body = {
        "title": "Buy the tape",
        "type": "cassette",
        "link": "https://example.com/t",
        "price": "5",
    }
    r = api("PUT", f"/tracks/{MY_TRACK}/storefront", json=body)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "track_urn": MY_TRACK,
        "title": "Buy the tape",
        "type": "cassette",
        "link": "https://example.com/t",
        "link_title": None,
        "description": None,
        "image_url": None,
        "price": "5",
    }
    assert api("PUT", f"/tracks/{MY_TRACK}/storefront", json={"title": "x"}).status_code == 400
    bad_link = {**body, "link": "ftp://example.com"}
    assert api("PUT", f"/tracks/{MY_TRACK}/storefront", json=bad_link).status_code == 400
    assert api("PUT", f"/tracks/{THEIR_TRACK}/storefront", json=body).status_code == 403


def test_sign_out_ends_the_token(sandbox, api):
    assert api.get("/me").status_code == 200
    assert api("POST", "/sign-out").status_code == 200
    assert api.get("/me").status_code == 401
    other = sandbox.user_token()["access_token"]  # another session is untouched
    assert requests.get(
        sandbox.url + "/me", headers={"Authorization": f"OAuth {other}"}, timeout=10
    ).ok


def test_concurrent_uploads_stat_counts_overlap_only(sandbox, api):
    content = wav_bytes(0.2)
    for i in range(2):
        assert upload(api.url, api.headers, f"one-by-one-{i}", content).status_code == 201
    assert sandbox.stats()["max_concurrent_uploads"] == 1
    sandbox.post("/_sandbox/reset", json={})
    assert sandbox.stats()["max_concurrent_uploads"] == 0
