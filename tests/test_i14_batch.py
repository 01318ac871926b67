"""Issue 14, references on stdin (items 6-8): sc reads what it prints, one item's failure is
that item's record, and a batch of writes finishes when the reader of stdout has gone."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs

import pytest
from conftest import _Stream, base_env, sandbox_env
from hostile_http import json_answer, serving

from sccli.core.piped import read_refs


def liked(sc) -> set[str]:
    return {t["urn"] for t in sc("likes", "--all", "--json").json}


# -- item 6: sc reads its own JSON -------------------------------------------------------------
@pytest.mark.parametrize(
    "producer",
    [
        ["tracks", "get", "300015", "--json"],  # one pretty-printed object over many lines
        ["tracks", "get", "300015", "--ndjson"],
        ["tracks", "search", "buskers", "--limit", "3", "--json"],  # an array of objects
        ["tracks", "search", "buskers", "--limit", "3", "--query", "[].urn", "--ndjson"],
        ["tracks", "search", "buskers", "--limit", "3", "--query", "[].urn", "--json"],
        ["tracks", "search", "buskers", "--limit", "3", "--query", "[].urn", "--raw"],
        ["tracks", "search", "buskers", "--limit", "3", "--query", "[].id", "--ndjson"],
    ],
    ids=["json-one", "ndjson-one", "json-list", "query-ndjson", "query-json", "raw", "ids"],
)
def test_i14_06_sc_reads_its_own_json(user_sc, producer):
    made = user_sc(*producer)
    assert made.code == 0, made
    wanted = {"soundcloud:tracks:300015"} if "300015" in producer else None
    r = user_sc("like", "-", input=made.stdout)
    assert r.code == 0, r
    records = r.ndjson
    assert records and all(x["ok"] for x in records), r
    urns = {x["urn"] for x in records}
    assert urns <= liked(user_sc)
    if wanted:
        assert urns == wanted and len(records) == 1  # one record, not one per printed line


def test_i14_06_every_shape_of_reference_stream():
    text = "\n".join(
        [
            "300001",
            '"soundcloud:tracks:300002"',
            '{"urn": "soundcloud:tracks:300003", "user": {"urn": "soundcloud:users:1"}}',
            '{"track": {"urn": "soundcloud:tracks:300004"}, "created_at": "x"}',
            '{"playlist": {"urn": "soundcloud:playlists:900001"}}',
            '{"origin": {"urn": "soundcloud:tracks:300005"}, "type": "track"}',
            '{"kind": "track", "id": 300006}',
            '{"ref": "x", "ok": true, "urn": "soundcloud:tracks:300007"}',
            '["soundcloud:tracks:300008", {"urn": "soundcloud:tracks:300009"}]',
            json.dumps({"urn": "soundcloud:tracks:300010", "title": "a\nb"}, indent=2),
            "  https://soundcloud.com/sandbox-user  ",
            '{"nothing": 1}',
            "[1, 2",
        ]
    )
    assert read_refs(io.StringIO(text)) == [
        "300001",
        "soundcloud:tracks:300002",
        "soundcloud:tracks:300003",
        "soundcloud:tracks:300004",
        "soundcloud:playlists:900001",
        "soundcloud:tracks:300005",
        "soundcloud:tracks:300006",
        "soundcloud:tracks:300007",
        "soundcloud:tracks:300008",
        "soundcloud:tracks:300009",
        "soundcloud:tracks:300010",
        "https://soundcloud.com/sandbox-user",
        '{"nothing": 1}',  # names nothing: kept, so it becomes that item's error
        "[1, 2",
    ]
    deep = "[" * 100_000
    assert read_refs(io.StringIO(deep)) == [deep]  # nested past Python's stack: text, no crash


# -- item 7: an unexpected error in one item is that item's record -----------------------------
WRONG_SHAPES = ['{"urn": 5}', '{"urn": ["soundcloud:tracks:1"]}', "[1]", '"soundcloud:tracks:1"']


@pytest.mark.parametrize("shape", WRONG_SHAPES)
def test_i14_07_one_wrong_answer_is_one_failed_record(home, shape):
    sent: list[str] = []

    def answer(req):
        if req.path == "/resolve":
            url = parse_qs(req.query_string.decode())["url"][0]
            if url.endswith("/bad"):
                return json_answer(shape)
            return json_answer("{}", 302, Location="/tracks/soundcloud:tracks:" + url[-1])
        sent.append(f"{req.method} {req.path}")
        return json_answer(json.dumps({"urn": req.path.rsplit("/", 1)[1]}))

    with serving(answer) as url:
        env = {**base_env(home), "SC_API_URL": url, "SC_ACCESS_TOKEN": "x"}
        refs = "a/t1\na/bad\na/t2\na/t3\n"
        from conftest import run_inprocess

        r = run_inprocess(["like", "-"], env, refs)
    assert r.code == 1, r
    assert [x["ok"] for x in r.ndjson] == [True, False, True, True], r
    bad = r.ndjson[1]
    assert bad["ref"] == "a/bad" and "\n" not in bad["error"] and bad["error"]
    assert "Traceback" not in r.stderr and "TypeError" not in r.stdout + r.stderr
    assert r.stderr.strip() == "error: 1 of 4 failed"
    assert sent.count("POST /likes/tracks/soundcloud:tracks:3") == 1  # the items after it went


def test_i14_07_an_unexpected_exception_is_still_one_record(user_sc, monkeypatch):
    import sccli.core.social as social

    real = social.like

    def flaky(client, urn, *a, **kw):
        if urn.endswith("300012"):
            raise KeyError("surprise")
        return real(client, urn, *a, **kw)

    monkeypatch.setattr(social, "like", flaky)
    r = user_sc("like", "300010", "300012", "300014")
    assert r.code == 1, r
    assert [x["ok"] for x in r.ndjson] == [True, False, True]
    assert r.ndjson[1]["error"] == "KeyError: 'surprise'"
    assert "run with --debug" not in r.stderr


# -- item 8: a closed output pipe does not abandon the writes ----------------------------------
class _GoneAfterOneLine(_Stream):
    """A stdout whose reader leaves after the first line (`| head -1`), as the OS reports it."""

    def write(self, text: str) -> int:
        if self.getvalue().count("\n") >= 1:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def run_into_head(sandbox, home, token_file, args, stdin):
    from sccli.cli.app import main
    from sccli.cli.context import Environment, Streams

    env = sandbox_env(sandbox, home, token_file, app=False)
    err = _Stream()
    streams = Streams(stdin=_Stream(stdin), stdout=_GoneAfterOneLine(), stderr=err)
    code = main(args, Environment(streams=streams, environ=env, sleep=lambda s: None))
    return code, err.getvalue()


def test_i14_08_a_batch_of_writes_finishes_after_the_reader_left(user_sc, sandbox, home):
    refs = [f"soundcloud:tracks:{300001 + i}" for i in range(60)]
    code, err = run_into_head(
        sandbox, home, user_sc.token_file, ["like", "-"], "\n".join(refs) + "\n"
    )
    assert (code, err) == (0, "")
    assert set(refs) <= liked(user_sc)  # all sixty, not the two a closed pipe allowed


def test_i14_08_a_failed_item_still_decides_the_exit_status(user_sc, sandbox, home):
    refs = ["300001", "300002", "soundcloud:tracks:1", "300003"]
    code, err = run_into_head(
        sandbox, home, user_sc.token_file, ["like", "-"], "\n".join(refs) + "\n"
    )
    assert code == 1 and err == "error: 1 of 4 failed\n", err
    assert "soundcloud:tracks:300003" in liked(user_sc)


def test_i14_08_a_read_still_stops_quietly(user_sc, sandbox, home):
    code, err = run_into_head(
        sandbox, home, user_sc.token_file, ["tracks", "search", "buskers", "--ndjson"], ""
    )
    assert (code, err) == (0, "")


def test_i14_07_a_reference_that_is_not_utf8_is_one_writable_record(user_sc):
    r = user_sc("unlike", "-", input="caf\udce9\n300010\n")
    assert r.code == 1, r
    r.stdout.encode("utf-8")  # what a real stdout would have refused mid-write
    records = [json.loads(x) for x in r.stdout.split("\n") if x]
    assert [x["ok"] for x in records] == [False, True] and records[0]["ref"] == "caf\udce9"


def test_sandbox_batch_with_jobs_builds_its_client_once(home):
    """--sandbox with --jobs: the workers ask for the client at once; one builds it (the
    sandbox, its settings, the file store) while the others wait. Before, a second worker
    took the settings half made and went to the OS keyring, failing every item."""
    from conftest import run_inprocess

    refs = "".join(f"soundcloud:tracks:{300010 + i}\n" for i in range(4))
    r = run_inprocess(["--sandbox", "like", "--jobs", "4", "-"], base_env(home), refs)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.code == 0 and [x["ok"] for x in lines] == [True] * 4, r
