"""The real-data contract: every read command against answers recorded from the live API.

The recordings stay in ../shared/realdata (SC_REALDATA elsewhere); tests/replay.py serves each
under its own base URL. Every command runs in every output mode, the table on a real pty at
80 and 120 columns: it must exit 0 with no traceback and show the recording's own values.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import base_env, run_inprocess, run_tty
from replay import ReplayServer, require_realdata

from sccli.core.timefmt import format_ms

# (recording, the command's words, the recording whose objects it shows, if another).
# A list command is cut at the recorded page's length: the next page was never recorded.
CASES = [
    ("mopidy-track-13158665-2022", ["tracks", "get", "13158665"], None),
    ("mopidy-track-13158665-2021", ["tracks", "get", "soundcloud:tracks:13158665"], None),
    ("mopidy-track-122889665-2016", ["tracks", "get", "122889665"], None),
    ("mopidy-track-170703457-2015", ["tracks", "get", "170703457"], None),
    ("purdie-track-246202062-2016", ["tracks", "get", "246202062"], None),
    ("sc-internal-single_track", ["tracks", "get", "153896632"], None),
    ("web-track-762635683-2020", ["tracks", "get", "762635683"], None),
    ("skilldoc-track-2246814242-2026-placeholders", ["tracks", "get", "2246814242"], None),
    (
        "mopidy-resolve-track-302-2016",
        ["tracks", "get", "https://soundcloud.com/bbc-radio-4/m-w-cloud"],
        "mopidy-track-122889665-2016",
    ),
    (
        "purdie-resolve-track-302-2016",
        ["tracks", "get", "rawfunkmaharishi/nrf"],
        "purdie-track-246202062-2016",
    ),
    (
        "mopidy-resolve-track-302-2016",
        ["resolve", "https://soundcloud.com/bbc-radio-4/m-w-cloud"],
        "mopidy-track-122889665-2016",
    ),
    (
        "mopidy-resolve-set-302-2018",
        ["resolve", "https://soundcloud.com/yndihalda/sets/dash-and-blast"],
        "mopidy-playlist-446283-2018",
    ),
    (
        "purdie-resolve-set-302-2015+purdie-playlist-88097435-2015",
        ["playlists", "get", "rawfunkmaharishi/sets/islington-academy-sessions"],
        "purdie-playlist-88097435-2015",
    ),
    ("mopidy-playlist-10961826-2018", ["playlists", "get", "10961826"], None),
    ("mopidy-playlist-446283-2018", ["playlists", "get", "446283"], None),
    ("purdie-playlist-88097435-2015", ["playlists", "get", "88097435"], None),
    ("sc-internal-playlist-18-album-trimmed", ["playlists", "get", "18"], None),
    ("mopidy-tracks-search-2018", ["tracks", "search", "the great descent", "-L", "10"], None),
    ("mopidy-user-27945548-tracks-2018", ["tracks", "list", "27945548", "-L", "10"], None),
    ("sc-internal-tracks_array", ["tracks", "list", "183", "-L", "3"], None),
    ("purdie-user-tracks-2015", ["tracks", "list", "1900758", "-L", "44"], None),
    ("android-comment-21623911-2011", ["tracks", "comments", "19446062"], None),
    ("sc-internal-user-183", ["users", "get", "183"], None),
    ("mopidy-me-2018", ["me"], None),
    ("omniauth-me-anonymized-2025", ["me"], None),
    ("mopidy-me-playlists-2018", ["playlists", "list", "-L", "2"], None),
    ("mopidy-me-favorites-2018", ["likes", "-L", "3"], None),
    ("mopidy-me-followings-2018", ["followings", "-L", "10"], None),
    ("sc-internal-users_in_collection", ["followers", "183", "-L", "2"], None),
]
MODES = ("pty80", "pty120", "json", "ndjson", "fields", "tsv")
# What a table shows of each kind, and --fields asks for.
SHOWN = {
    "track": ("title", "user.username", "duration", "playback_count", "created_at"),
    "playlist": ("title", "user.username", "duration", "track_count", "playlist_type"),
    "user": ("username", "full_name", "followers_count", "track_count"),
    "comment": ("body", "user.username", "created_at"),
}


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(require_realdata()) as r:
        yield r


def _dig(obj, path):
    for part in path.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def _kind(obj: dict) -> str:
    return obj.get("kind") or ("comment" if "body" in obj else "track")


def _objects(payload) -> list[dict]:
    if isinstance(payload, dict) and "collection" in payload:
        return payload["collection"]
    return payload if isinstance(payload, list) else [payload]


def run(replay, name: str, words: list[str], mode: str, tmp_path, kind: str = "track"):
    env = base_env(tmp_path)
    env.update({"SC_API_URL": replay.base(name), "SC_ACCESS_TOKEN": "replayed-token"})
    if mode.startswith("pty"):
        cols = int(mode[3:])
        return run_tty(words, {**env, "COLUMNS": str(cols)}, 60, cols=cols)
    flags = {
        "json": ["--json"],
        "ndjson": ["--ndjson"],
        "tsv": ["--tsv"],
        "fields": ["--fields", ",".join(("id",) + SHOWN.get(kind, ())), "--json"],
        "plain": [],
    }[mode]
    return run_inprocess(words + flags, env, None)


def _table_text(value, key: str) -> str:
    if key == "duration":
        return format_ms(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


# What a list table at 120 columns always shows of each row (text: its first characters).
LIST_SHOWN = {"duration": None, "title": 8, "user.username": 6, "username": 6, "body": 8}


def _check_table(out: str, objs: list[dict], one: bool, cols: int) -> None:
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # a terminal's bold
    flat = re.sub(r"\s+", " ", out)
    for obj in objs:
        kind = _kind(obj)
        assert f"soundcloud:{kind}s:{obj['id']}" in out, (kind, obj["id"])
        for key in SHOWN.get(kind, ()) if one or cols == 120 else ():
            value = _dig(obj, key)
            if value in (None, "") or not one and key not in LIST_SHOWN:
                continue
            text = " ".join(_table_text(value, key).split())
            # A list's text columns may be cut with an ellipsis: their start is always there.
            assert (text if one else text[: LIST_SHOWN[key]]) in flat, (key, text)


def _same(doc, obj) -> bool:
    """The recorded value, unchanged but for a `urn` that sc adds from `kind` and `id`."""
    if isinstance(obj, dict) and isinstance(doc, dict):
        extra = set(doc) - set(obj)
        if (
            extra - {"urn"}
            or "urn" in extra
            and doc["urn"] != f"soundcloud:{obj['kind']}s:{obj['id']}"
        ):
            return False
        return all(_same(doc[k], v) for k, v in obj.items() if k in doc) and set(obj) <= set(doc)
    if isinstance(obj, list) and isinstance(doc, list):
        return len(doc) == len(obj) and all(map(_same, doc, obj))
    return doc == obj


def _check_json(docs: list[dict], objs: list[dict], keys: tuple[str, ...] | None) -> None:
    assert len(docs) == len(objs)
    for doc, obj in zip(docs, objs, strict=True):
        for key in keys or obj:
            assert _same(_dig(doc, key), _dig(obj, key)), key


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "name,words,shown", CASES, ids=[f"{c[0]}:{' '.join(c[1][:2])}" for c in CASES]
)
def test_read_commands_show_the_recorded_answer(replay, tmp_path, name, words, shown, mode):
    payload = replay.payload(shown or name)
    objs = _objects(payload)
    one = words[0] in ("me", "resolve") or words[1] == "get"  # a record view, not a list
    kind = _kind(objs[0])
    r = run(replay, name, words, mode, tmp_path, kind)
    assert r.code == 0, r
    assert "Traceback" not in r.stdout + r.stderr, r
    if mode.startswith("pty"):
        _check_table(r.stdout, objs, one, int(mode[3:]))
    elif mode == "tsv":
        rows = [line.split("\t") for line in r.stdout.splitlines()]
        assert len(rows) == len(objs)
        for row, obj in zip(rows, objs, strict=True):
            assert f"soundcloud:{kind}s:{obj['id']}" in row
            for key in SHOWN[kind]:
                value = _dig(obj, key)
                if isinstance(value, (str, int)) and key in ("title", "username", "duration"):
                    assert str(value).replace("\n", " ") in row, (key, row)
    else:
        docs = r.ndjson if mode == "ndjson" else r.json
        docs = docs if isinstance(docs, list) else [docs]
        _check_json(docs, objs, ("id",) + SHOWN.get(kind, ()) if mode == "fields" else None)


def test_the_replay_answers_only_recorded_paths(replay, tmp_path):
    """The replay is strict: a path nobody recorded is a 404, so the test above can fail."""
    r = run(replay, "sc-internal-user-183", ["users", "get", "184"], "json", tmp_path)
    assert r.code == 3 and "no recording" in r.stderr, r
    assert json.loads(json.dumps(replay.seen[-1])) == [
        "sc-internal-user-183",
        "GET",
        "/users/soundcloud:users:184",
    ]


@pytest.mark.parametrize("mode", ("pty80", "plain", "json"))
def test_stream_url_prints_a_recorded_stream(replay, tmp_path, mode):
    """`sc stream-url` on a recorded /streams answer (its links are CDN links already)."""
    name = "blog-streams-291177064-2017"
    streams = replay.payload(name)
    r = run(
        replay,
        name,
        ["stream-url", "291177064"] + (["--json"] if mode == "json" else []),
        "pty80" if mode == "pty80" else "plain",
        tmp_path,
    )
    assert r.code == 0 and "Traceback" not in r.stdout + r.stderr, r
    if mode == "json":
        assert r.json == streams
    else:
        assert "".join(r.stdout.split()) in streams.values(), r


def test_activities_show_the_recorded_feed(replay, tmp_path):
    """`sc activities` (a deprecated endpoint: it says so) on a recorded page of 2018."""
    name = "mopidy-me-activities-2018"
    items = replay.payload(name)["collection"]
    r = run(replay, name, ["activities", "-L", str(len(items)), "--json"], "plain", tmp_path)
    assert r.code == 0 and "deprecated" in r.stderr, r
    assert [a["origin"]["id"] for a in r.json] == [a["origin"]["id"] for a in items]
    r = run(replay, name, ["activities", "-L", str(len(items)), "--tsv"], "plain", tmp_path)
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [row[1] for row in rows] == [f"soundcloud:tracks:{a['origin']['id']}" for a in items]


def test_a_recorded_404_is_one_line_and_exit_3(replay, tmp_path):
    r = run(replay, "mopidy-track-404-2016", ["tracks", "get", "38720262"], "plain", tmp_path)
    assert r.code == 3 and r.stdout == "" and r.stderr.count("\n") == 1, r
    assert "404 - Not Found" in r.stderr and "Traceback" not in r.stderr


def test_fields_takes_every_field_the_recorded_answers_carry():
    """--fields refuses a name no object of its kind carries; the live API's objects carry
    fields its spec leaves out (core/fields.OBSERVED): every one of them is taken."""
    from sccli.render import known_fields

    root = require_realdata()
    seen: dict[str, set[str]] = {}

    def walk(o):  # noqa: ANN001, ANN202
        if isinstance(o, dict):
            if o.get("kind") in ("track", "user", "playlist", "comment"):
                seen.setdefault(o["kind"], set()).update(o)
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    for path in sorted((root / "payloads").rglob("*.json")):
        try:
            walk(json.loads(path.read_text()))
        except ValueError:
            continue
    assert {"track", "user", "playlist"} <= set(seen), seen.keys()
    for kind, keys in seen.items():
        missing = keys - set(known_fields(kind, "x") or ())
        assert not missing, (kind, sorted(missing))
