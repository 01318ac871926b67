"""References: an id, a URN and a URL all reach the same track; a malformed one sends nothing."""

import pytest


def test_id_urn_and_url_reach_the_same_track(sc, sandbox):
    first = sc("tracks", "search", "buskers", "--limit", "1", "--json").json[0]
    urn, url = first["urn"], first["permalink_url"]
    num = urn.rsplit(":", 1)[1]
    seen = []
    for ref in (num, urn, url):
        r = sc("tracks", "get", ref, "--json")
        assert r.code == 0, r
        seen.append(r.json["urn"])
    assert seen == [urn, urn, urn]
    assert sandbox.count("GET /resolve") == 1
    assert sandbox.count("GET /tracks/<ref>") == 3  # the URL's resolved object is not fetched again


def test_resolve_user_and_set_urls(sc):
    r = sc("resolve", "https://soundcloud.com/sandbox-user", "--json")
    assert r.code == 0, r
    assert r.json["username"] == "sandbox-user" and r.json["kind"] == "user"
    sets = sc("playlists", "search", "buskers", "--limit", "1", "--json").json
    r = sc("resolve", sets[0]["permalink_url"], "--json")
    assert r.code == 0 and r.json["urn"] == sets[0]["urn"]


def test_short_link_resolves(sc):
    r = sc("resolve", "https://on.soundcloud.com/T6FHD", "--json")  # base36 of 300001
    assert r.code == 0, r
    assert r.json["urn"] == "soundcloud:tracks:300001"


@pytest.mark.parametrize(
    "bad",
    [
        "soundcloud:users:12",
        "12 abc",
        "a/b/c/d",
        "https://example.com/a/b",
        "soundcloud:tracks:x",
        "",
    ],
)
def test_malformed_reference_exits_2_without_a_request(sc, sandbox, bad):
    before = sandbox.stats()["requests_total"]
    r = sc("tracks", "get", bad)
    assert r.code == 2, r
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr
    assert sandbox.stats()["requests_total"] == before


def test_unknown_url_is_not_found(sc):
    r = sc("tracks", "get", "https://soundcloud.com/nobody-here/nothing")
    assert r.code == 3, r


def test_a_permalink_survives_a_rename(user_sc):
    before = user_sc("tracks", "get", "300001", "--json").json
    assert user_sc("tracks", "update", "300001", "--title", "Renamed").code == 0
    r = user_sc("tracks", "get", before["permalink_url"], "--json")
    assert r.code == 0, r
    assert r.json["urn"] == before["urn"] and r.json["title"] == "Renamed"
