"""Issue 15 (part A): sc and the sandbox follow the live API's shapes, limits and rules.

Shapes the sandbox never sends (answers without `urn`, a page that fails half way) come
from a small made-up API on 127.0.0.1 (replay.Canned); everything else runs against the
in-thread sandbox.
"""

from __future__ import annotations

import pytest
from conftest import base_env, run_inprocess
from replay import Canned, LoopbackServer


@pytest.fixture
def canned(tmp_path):
    """Run `sc` against a made-up API: canned(answers) -> run(*args)."""
    servers = []

    def start(answers: dict):
        server = LoopbackServer(Canned(answers))
        api = server.__enter__()
        servers.append(server)

        def run(*args: str, env: dict | None = None):
            e = base_env(tmp_path)
            e.update({"SC_API_URL": api.url, "SC_ACCESS_TOKEN": "made-up-token", **(env or {})})
            return run_inprocess(list(args), e, None)

        run.api = api  # type: ignore[attr-defined]
        return run

    yield start
    for s in servers:
        s.__exit__(None, None, None)


OLD_TRACK = {
    "kind": "track",
    "id": 7,
    "title": "Recorded in 2016",
    "duration": 61000,
    "created_at": "2016/02/09 14:37:34 +0000",
    "user": {"kind": "user", "id": 3, "username": "old-timer"},
}
OLD_SET = {
    "kind": "playlist",
    "id": 8,
    "title": "Old set",
    "playlist_type": "album",
    "user": {"kind": "user", "id": 3, "username": "old-timer"},
    "tracks": [OLD_TRACK],
}


def test_i15_03_urn_from_kind_and_id(canned):
    sc = canned(
        {
            ("GET", "/resolve"): (302, {"Location": "/tracks/7"}, None),
            ("GET", "/tracks/7"): (200, {}, OLD_TRACK),
            ("GET", "/playlists/8"): (200, {}, OLD_SET),
        }
    )
    r = sc("tracks", "get", "https://soundcloud.com/old-timer/recorded", "--json")
    assert r.code == 0, r
    assert r.json["urn"] == "soundcloud:tracks:7"
    assert r.json["user"]["urn"] == "soundcloud:users:3"
    sc.api.answers[("GET", "/resolve")] = (302, {"Location": "/playlists/8"}, None)
    r = sc("playlists", "get", "old-timer/sets/old-set", "--json")
    assert r.code == 0, r
    assert r.json["urn"] == "soundcloud:playlists:8"
    assert r.json["tracks"][0]["urn"] == "soundcloud:tracks:7"
    # A /resolve whose 302 lost its Location header still names the target in its body.
    sc.api.answers[("GET", "/resolve")] = (
        302,
        {},
        {"status": "302 - Found", "location": sc.api.url + "/tracks/7"},
    )
    r = sc("resolve", "https://soundcloud.com/old-timer/recorded", "--json")
    assert r.code == 0 and r.json["urn"] == "soundcloud:tracks:7", r


def test_i15_01_playlist_type(user_sc, sandbox):
    """Sets answer with playlist_type (and type), never set_type; sc reads playlist_type,
    still sends playlist[set_type], and finds its set again by title and type."""
    r = user_sc("playlists", "create", "Night Ferry", "--type", "album", "--json")
    assert r.code == 0, r
    assert r.json["playlist_type"] == "album" and "set_type" not in r.json
    urn = r.json["urn"]
    got = user_sc("api", f"/playlists/{urn}").json
    assert got["playlist_type"] == got["type"] == "album" and "set_type" not in got
    # A person's view: TYPE is filled in, and the record shows the type once.
    table = user_sc("playlists", "list", "--table").stdout
    row = next(line for line in table.splitlines() if urn in line)
    assert " album " in row, table
    record = user_sc("playlists", "get", urn, "--table").stdout
    types = [line.split() for line in record.splitlines() if line.split()[:1] == ["type"]]
    assert types == [["type", "album"]], record
    # Found again by title and type: the same set, not a second one.
    r = user_sc("playlists", "create", "Night Ferry", "--type", "album", "--if-absent", "--json")
    assert r.code == 0 and r.json["urn"] == urn, r
    r = user_sc("playlists", "create", "Night Ferry", "--type", "playlist", "--if-absent", "--json")
    assert r.code == 0 and r.json["urn"] != urn and r.json["playlist_type"] == "playlist", r


API_TIME = r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \+0000"


def test_i15_02_dates(user_sc, canned):
    """The sandbox sends times as the live API does; sc reads both formats and prints one."""
    import re
    from urllib.parse import parse_qs

    from sccli.core.safewrite import api_time

    for args in (("me",), ("users", "get", "soundcloud:users:1002"), ("followings",)):
        r = user_sc(*args, "--json")
        for user in r.json if isinstance(r.json, list) else [r.json]:
            assert re.fullmatch(API_TIME, user["created_at"]), (args, user["created_at"])
            assert re.fullmatch(API_TIME, user["last_modified"]), (args, user["last_modified"])
    # An RFC 3339 time prints as the API's own format; JSON keeps what was sent.
    user = {"kind": "user", "id": 5, "username": "iso", "created_at": "2020-10-12T14:03:00+02:00"}
    sc = canned(
        {("GET", "/users/5"): (200, {}, user), ("GET", "/tracks"): (200, {}, {"collection": []})}
    )
    r = sc("users", "get", "5", "--table")
    assert r.code == 0 and "2020/10/12 12:03:00 +0000" in r.stdout, r
    r = sc("users", "get", "5", "--tsv", "--fields", "username,created_at")
    assert r.stdout == "iso\t2020/10/12 12:03:00 +0000\n", r
    assert sc("users", "get", "5", "--json").json["created_at"] == user["created_at"]
    # --created-from takes a time as sc prints it, or RFC 3339 with its zone.
    for given in ("2020/10/12 12:03:00 +0000", "2020-10-12T14:03:00+02:00"):
        r = sc("tracks", "search", "x", "--created-from", given, "--json")
        assert r.code == 0, r
        query = parse_qs(sc.api.seen[-1][2])
        assert query["created_at[from]"] == ["2020-10-12 12:03:00"], (given, query)
    # Recovery after a lost answer compares created_at with the server's clock: either format.
    assert api_time("2020-10-12T12:03:00.250Z") == api_time("2020/10/12 12:03:00 +0000") + 0.25
    assert api_time("2020-10-12T14:03:00+02:00") == api_time("2020/10/12 12:03:00 +0000")


def test_i15_06_booleans_and_line_breaks(canned):
    track = {
        **OLD_TRACK,
        "downloadable": True,
        "streamable": False,
        "description": "line one\r\nline two\rline three",
    }
    sc = canned({("GET", "/tracks/7"): (200, {}, track)})
    r = sc("tracks", "get", "7", "--table")
    assert r.code == 0, r
    rows = {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines() if line.split()}
    assert rows["downloadable"] == ["yes"] and rows["streamable"] == ["no"], r.stdout
    assert "True" not in r.stdout and "\\r" not in r.stdout and "\\n" not in r.stdout, r.stdout
    assert rows["description"] == ["line", "one"] and rows["line"] in (["two"], ["three"]), r
    r = sc("tracks", "get", "7", "--tsv", "--fields", "title,downloadable,streamable")
    assert r.stdout == "Recorded in 2016\ttrue\tfalse\n", r
    r = sc("tracks", "get", "7", "--table", "--fields", "title,downloadable")
    assert r.stdout.split()[-1] == "yes", r


def test_i15_07_pagination_error_after_some_rows(canned):
    """A page that fails after others came: what was read is printed, then the error."""
    tracks = [{**OLD_TRACK, "id": i, "title": f"Song {i}"} for i in (1, 2)]
    sc = canned({("GET", "/page2"): (400, {}, {"code": 400, "message": "cursor expired"})})
    sc.api.answers[("GET", "/users/3/tracks")] = (
        200,
        {},
        {"collection": tracks, "next_href": sc.api.url + "/page2"},
    )
    for mode in ("--table", "--tsv", "--json", "--ndjson"):
        r = sc("tracks", "list", "3", mode)
        assert r.code == 1 and "cursor expired" in r.stderr and "Traceback" not in r.stderr, r
        if mode == "--json":
            assert [t["title"] for t in r.json] == ["Song 1", "Song 2"], r
        else:
            assert "Song 1" in r.stdout and "Song 2" in r.stdout, (mode, r)
        assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r


def test_i15_11_sort_oldest_and_newest(user_sc):
    from sccli.core.timefmt import parse_api_time

    for user in ((), ("soundcloud:users:1002",)):
        times = {}
        for order in ("oldest", "newest"):
            r = user_sc(
                "tracks", "list", *user, "--sort", order, "--fields", "created_at", "--json"
            )
            assert r.code == 0 and len(r.json) > 2, r
            times[order] = [parse_api_time(t["created_at"]) for t in r.json]
        assert times["oldest"] == sorted(times["oldest"]), user
        assert times["newest"] == sorted(times["newest"], reverse=True), user
        assert times["oldest"] == times["newest"][::-1], user
    r = user_sc("tracks", "list", "--sort", "sideways")
    assert r.code == 2 and "newest" in r.stderr, r


def test_i15_13_follow_limit(user_sc, sandbox, canned):
    """422 on a follow: one line naming the follow limit, exit 1, in the sandbox as live."""
    sandbox.config(follow_limit=1)
    assert user_sc("follow", "1002").code == 0
    raw = user_sc("api", "PUT", "/me/followings/soundcloud:users:1003")
    assert raw.code == 1 and "422" in raw.stderr, raw
    r = user_sc("follow", "1003")
    assert r.code == 1 and r.stdout == "", r
    assert r.stderr.count("\n") == 1 and "follow limit" in r.stderr and "Traceback" not in r.stderr
    # The live API's message may say nothing (the spec's example): sc still says what it means.
    generic = {"code": 422, "message": "Detailed message of errors, when available"}
    sc = canned({("PUT", "/me/followings/5"): (422, {}, generic)})
    r = sc("follow", "soundcloud:users:5")
    assert r.code == 1 and r.stderr.count("\n") == 1, r
    assert (
        r.stderr.startswith("error: cannot follow soundcloud:users:5")
        and "follow limit" in r.stderr
    )


def test_i15_12_deprecated_endpoints(user_sc, sandbox):
    from deprecated_ops import deprecated_calls, deprecated_operations

    from sccli.core.deprecated import IN_USE

    # sc declares only what the spec deprecates, and each with a reason to (no replacement).
    assert set(IN_USE) <= set(deprecated_operations()), set(IN_USE) - set(deprecated_operations())
    r = user_sc("activities", "--json")
    assert r.code == 0 and isinstance(r.json, list), r
    assert r.stderr.count("\n") == 1 and "deprecated GET /me/activities" in r.stderr, r
    r = user_sc("activities", "--own", "--json", "--quiet")
    assert r.code == 0 and r.stderr == "", r
    user_sc("repost", "300010", "300011")
    r = user_sc("unrepost", "300010", "300011", "--jobs", "2")
    assert r.code == 0, r
    assert r.stderr.count("deprecated DELETE /reposts/tracks/{track_urn}") == 1, r
    r = user_sc("unrepost", "900001", "--playlist")
    assert r.code == 0 and "deprecated" not in r.stderr, r
    assert user_sc("unrepost", "300010", "--quiet").stderr.count("deprecated") == 0
    for command in (("activities",), ("unrepost",)):
        text = " ".join(user_sc(*command, "--help").stdout.split())
        assert "deprecated" in text and "--quiet" in text, text
    # The suite's walk (conftest: every request sc makes) flags an undeclared one...
    follower = {"method": "GET", "path": "/me/followers/soundcloud:users:1", "agent": "sccli/1"}
    assert deprecated_calls([follower]) == [
        "GET /me/followers/soundcloud:users:1 (GET /me/followers/{follower_urn})"
    ]
    # ...but not a test's own request, nor a declared one.
    assert deprecated_calls([{**follower, "agent": "python-requests/2"}]) == []
    assert deprecated_calls([{**follower, "path": "/me/activities?limit=5"}]) == []
    logged = sandbox.get("/_sandbox/requests").json()["requests"]
    assert any(
        e["path"].startswith("/me/activities") and e["agent"].startswith("sccli/") for e in logged
    )


def test_i15_07_a_list_that_fails_at_once_prints_no_document(canned):
    sc = canned({("GET", "/users/3/tracks"): (400, {}, {"code": 400, "message": "bad"})})
    for mode in ("--json", "--table", "--tsv"):
        r = sc("tracks", "list", "3", mode)
        assert r.code == 1 and r.stdout == "", (mode, r)


def test_i15_02_either_time_format_reads_the_same_moment():
    from datetime import datetime, timezone

    from sccli.core.timefmt import display_time, parse_api_time

    moment = datetime(2020, 10, 12, 12, 3, tzinfo=timezone.utc)
    for text in (
        "2020/10/12 12:03:00 +0000",
        "2020-10-12T12:03:00Z",
        "2020-10-12T12:03:00",
        "2020-10-12T13:03:00+01:00",
        "2020-10-12T07:03:00-0500",
        "2020-10-12 12:03:00 +0000",
    ):
        assert parse_api_time(text) == moment, text
        assert display_time(text) == "2020/10/12 12:03:00 +0000", text
    for text in ("2020/13/12 12:03:00 +0000", "yesterday", "", None, 1602504180):
        assert parse_api_time(text) is None, text
    assert display_time("soon") == "soon"
