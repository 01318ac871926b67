"""End to end: `sc tracks search` against the sandbox, filter by filter."""

import re

import pytest


def test_license_filter_pages_on_until_limit(sc, sandbox):
    r = sc("tracks", "search", "buskers", "--license", "cc-by-sa", "--limit", "60", "--json")
    assert r.code == 0, r
    tracks = r.json
    assert len(tracks) == 60
    assert {t["license"] for t in tracks} == {"cc-by-sa"}
    assert all("buskers" in (t["title"] + t["description"] + t["tag_list"]).lower() for t in tracks)
    assert len({t["urn"] for t in tracks}) == 60
    assert sandbox.count("GET /tracks") >= 2  # one page of 200 cannot hold 60 of one license


def test_unknown_license_is_a_usage_error(sc, sandbox):
    before = sandbox.stats()["requests_total"]
    r = sc("tracks", "search", "buskers", "--license", "cc-zero")
    assert r.code == 2
    assert "cc-zero" in r.stderr and "Traceback" not in r.stderr
    assert sandbox.stats()["requests_total"] == before


def test_all_crosses_pages_and_streams_ndjson(sc, sandbox):
    r = sc("tracks", "search", "buskers", "--all", "--ndjson")
    assert r.code == 0, r
    items = r.ndjson
    assert len(items) >= 250
    assert len({t["urn"] for t in items}) == len(items)
    assert sandbox.count("GET /tracks") >= 2


def test_limit_default_and_json_document(sc):
    r = sc("tracks", "search", "buskers")
    assert r.code == 0, r
    assert isinstance(r.json, list) and len(r.json) == 50  # JSON by default when piped


def test_fields_keep_only_those_keys(sc):
    r = sc("tracks", "search", "buskers", "--limit", "5", "--fields", "urn,title,user.username")
    assert r.code == 0, r
    for t in r.json:
        assert set(t) == {"urn", "title", "user"}
        assert set(t["user"]) == {"username"}


def test_genre_and_tag(sc):
    r = sc("tracks", "search", "--genre", "Jazz", "--tag", "piano", "--limit", "20", "--json")
    assert r.code == 0, r
    assert r.json, "seed data has jazz piano tracks"
    for t in r.json:
        assert t["genre"] == "Jazz"
        assert "piano" in t["tag_list"].split()


def test_bpm_range(sc):
    r = sc("tracks", "search", "--bpm-from", "100", "--bpm-to", "110", "--limit", "30", "--json")
    assert r.code == 0, r
    assert r.json and all(100 <= t["bpm"] <= 110 for t in r.json)


@pytest.mark.parametrize(
    "lo,hi,lo_ms,hi_ms", [("90", "2:00", 90000, 120000), ("90s", "120s", 90000, 120000)]
)
def test_duration_range_accepts_clock_and_seconds(sc, lo, hi, lo_ms, hi_ms):
    r = sc(
        "tracks", "search", "--duration-from", lo, "--duration-to", hi, "--limit", "30", "--json"
    )
    assert r.code == 0, r
    assert r.json and all(lo_ms <= t["duration"] <= hi_ms for t in r.json)


def test_bad_duration_is_usage_error(sc):
    r = sc("tracks", "search", "x", "--duration-from", "ninety")
    assert r.code == 2 and "ninety" in r.stderr


def test_created_range(sc):
    r = sc(
        "tracks",
        "search",
        "--created-from",
        "2024-03-01",
        "--created-to",
        "2024-03-31",
        "--all",
        "--json",
    )
    assert r.code == 0, r
    assert r.json
    assert all(t["created_at"].startswith("2024/03/") for t in r.json)


def test_access_filter(sc):
    r = sc("tracks", "search", "--access", "blocked", "--limit", "10", "--json")
    assert r.code == 0, r
    assert r.json and {t["access"] for t in r.json} == {"blocked"}
    default = sc("tracks", "search", "--limit", "200", "--json").json
    assert "blocked" not in {t["access"] for t in default}


def test_empty_search_is_success(sc):
    r = sc("tracks", "search", "zzzz-no-such-words", "--json")
    assert r.code == 0 and r.json == []


def test_table_only_on_a_terminal(sc):
    piped = sc("tracks", "search", "buskers", "--limit", "3")
    assert piped.stdout.lstrip().startswith("[")
    tty = sc("tracks", "search", "buskers", "--limit", "3", tty=True)
    assert tty.code == 0, tty
    assert "TITLE" in tty.stdout and "DURATION" in tty.stdout
    assert not tty.stdout.lstrip().startswith("[")
    assert re.search(r"\b\d+:\d\d\b", tty.stdout)  # durations as m:ss
    forced = sc("tracks", "search", "buskers", "--limit", "3", "--table")
    assert "LICENSE" in forced.stdout
    as_json = sc("tracks", "search", "buskers", "--limit", "3", "--json", tty=True)
    assert as_json.stdout.lstrip().startswith("[")


def test_ndjson_one_object_per_line(sc):
    r = sc("tracks", "search", "buskers", "--limit", "7", "--ndjson")
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 7 and all(line.startswith("{") for line in lines)


def test_users_and_playlists_search(sc):
    users = sc("users", "search", "sandbox", "--json")
    assert users.code == 0 and any(u["username"] == "sandbox-user" for u in users.json)
    sets = sc("playlists", "search", "buskers", "--json")
    assert sets.code == 0 and sets.json and all("buskers" in p["title"].lower() for p in sets.json)
