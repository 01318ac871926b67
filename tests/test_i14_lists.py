"""Issue 14, lists and answers (items 14-16): pagination loops end however the repeated
next_href is written, answers are strict JSON, and an answer of the wrong shape is exit 1."""

from __future__ import annotations

import json

import pytest
from conftest import base_env, run_inprocess
from hostile_http import json_answer, serving

GIVE_UP = 40  # a server answer after which the old code would have ended by itself


def sc_at(home, url, *args):
    env = {**base_env(home), "SC_API_URL": url, "SC_ACCESS_TOKEN": "x"}
    return run_inprocess(list(args), env, None)


def one_error(r) -> str:
    assert "Traceback" not in r.stderr and "run with --debug" not in r.stderr, r
    lines = [x for x in r.stderr.splitlines() if not x.startswith("hint: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), r
    return lines[0]


# -- item 14: pagination loops ------------------------------------------------------------------
LOOPS = {
    "relative": lambda base, n: "/tracks?cursor=1",
    "no-path": lambda base, n: f"{base}?cursor=1",
    "space": lambda base, n: "/tracks?cursor=a b",
    "percent-case": lambda base, n: "/tracks?cursor=%7e" if n % 2 else "/tracks?cursor=~",
    "percent-hex-case": lambda base, n: "/tracks?c=%2f" if n % 2 else "/tracks?c=%2F",
    "upper-scheme": lambda base, n: base.replace("http://", "HTTP://") + "/tracks?cursor=1",
    "dot-segments": lambda base, n: base + "/tracks/../tracks?cursor=1",
    "fresh-cursor-no-items": lambda base, n: f"/tracks?cursor={n}",
    "fresh-cursor-same-items": lambda base, n: f"/tracks?cursor={n}",
    "fresh-cursor-cycling-items": lambda base, n: f"/tracks?cursor={n}",
}


@pytest.mark.parametrize("case", sorted(LOOPS))
def test_i14_14_pagination_loops_end(home, case):
    seen: list[str] = []

    def answer(req):
        seen.append(req.full_path)
        n = len(seen)
        if n > GIVE_UP:
            return json_answer('{"collection": [], "next_href": null}')
        items = [] if case == "fresh-cursor-no-items" else [{"urn": "soundcloud:tracks:1"}]
        if case == "fresh-cursor-cycling-items":  # A, B, C, A, B, C...: nothing new after 3
            items = [{"urn": f"soundcloud:tracks:{n % 3}"}]
        base = req.host_url.rstrip("/")
        return json_answer(json.dumps({"collection": items, "next_href": LOOPS[case](base, n)}))

    with serving(answer) as url:
        r = sc_at(home, url, "tracks", "search", "x", "--all", "--ndjson")
    assert r.code == 1, r
    assert "stopping to avoid a loop" in one_error(r)
    assert len(seen) <= 14, seen


def test_i14_14_a_listing_that_moves_on_is_followed_to_its_end(home):
    def answer(req):
        n = int(req.args.get("page", 0))
        nxt = f"/tracks?page={n + 1}" if n < 14 else None
        items = [{"urn": f"soundcloud:tracks:{n}"}]
        return json_answer(json.dumps({"collection": items, "next_href": nxt}))

    with serving(answer) as url:
        r = sc_at(home, url, "tracks", "search", "x", "--all", "--ndjson")
    assert r.code == 0, r
    assert len(r.ndjson) == 15


# -- item 15: strict JSON -----------------------------------------------------------------------
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    "args", [["tracks", "get", "1", "--json"], ["tracks", "search", "x"], ["api", "/tracks/x"]]
)
def test_i14_15_nan_and_infinity_are_malformed_answers(home, constant, args):
    def answer(req):
        track = f'{{"urn": "soundcloud:tracks:1", "kind": "track", "duration": {constant}}}'
        if req.path == "/tracks":
            return json_answer(f'{{"collection": [{track}], "next_href": null}}')
        return json_answer(track)

    with serving(answer) as url:
        r = sc_at(home, url, *args)
    assert r.code == 1, r
    assert "malformed JSON" in one_error(r)
    assert r.stdout == ""


# -- item 16: wrong shapes ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "body", ["[]", '[{"urn": "soundcloud:users:1"}]', "5", '"me"', "{}", "true"]
)
@pytest.mark.parametrize(
    "args",
    [["me"], ["users", "get"], ["tracks", "get", "1"], ["tracks", "download", "1"]],
)
def test_i14_16_a_wrong_shaped_answer_is_exit_1(home, tmp_path, body, args):
    with serving(lambda req: json_answer(body)) as url:
        r = sc_at(home, url, *args, *(["-o", f"{tmp_path}/"] if "download" in args else []))
    assert r.code == 1, r
    assert "unexpected response" in one_error(r) or "empty answer" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("nxt", ["http://[::1/next", "ftp://x/y", "http://", "http://h:99999/"])
def test_i14_16_a_malformed_next_href_is_exit_1(home, nxt):
    page = {"collection": [{"urn": "soundcloud:tracks:1"}], "next_href": nxt}
    with serving(lambda req: json_answer(json.dumps(page))) as url:
        r = sc_at(home, url, "tracks", "search", "x", "--all", "--ndjson")
    assert r.code == 1, r
    assert "next_href" in one_error(r)


@pytest.mark.parametrize("found", [False, True])
def test_i14_16_a_created_object_of_the_wrong_shape_is_looked_for(home, found):
    """A POST answered 201 with something that is not the set: the write happened, so sc looks
    for what it made, as after a lost answer, instead of tripping on the answer."""
    made = {"urn": "soundcloud:playlists:7", "title": "Tour", "set_type": "album",
            "created_at": "2099/01/01 00:00:00 +0000", "kind": "playlist"}  # fmt: skip
    posted: list[str] = []

    def answer(req):
        if req.method == "POST":
            posted.append(req.path)
            return json_answer("[]", 201)
        if req.path == "/me":
            return json_answer('{"urn": "soundcloud:users:1", "username": "u"}')
        items = [made] if found and posted else []
        return json_answer(json.dumps({"collection": items, "next_href": None}))

    with serving(answer) as url:
        r = sc_at(home, url, "playlists", "create", "Tour", "--type", "album", "--json")
    assert len(posted) == 1  # never sent twice
    if found:
        assert r.code == 0 and r.json["urn"] == made["urn"], r
    else:
        assert r.code == 1 and "not created" in one_error(r), r


def test_i14_15_a_query_never_prints_infinity(home):
    page = {"collection": [{"urn": "soundcloud:tracks:1", "x": 1e308}] * 2, "next_href": None}
    with serving(lambda req: json_answer(json.dumps(page))) as url:
        r = sc_at(home, url, "tracks", "search", "x", "--query", "sum([].x)", "--json")
    assert r.code == 2 and "JSON cannot hold" in one_error(r), r
    assert r.stdout == ""
