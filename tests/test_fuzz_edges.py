"""Issue 14's surface under Hypothesis: release manifests (structure and values), stdin
reference streams, download answers (status, headers, names, lengths) and list pages. The
properties are test_fuzz.py's (no traceback, a documented exit code, one `error:` line), and
for downloads: nothing is written outside the folder, and exit 0 means the true file.

Small and derandomized by default; SC_FUZZ_EXAMPLES=N searches harder (see test_fuzz.py)."""

from __future__ import annotations

import io
import json
import os
import socket
from datetime import date
from pathlib import Path

import pytest
from audio import PNG, make_wav
from conftest import base_env, run_inprocess
from hostile_http import json_answer, serving
from hypothesis import given, note
from hypothesis import strategies as st
from test_fuzz import HOSTILE, NO_NUL, REFS, TEXT, scaled
from test_network import Hostile
from world import assert_contract, open_world

from sccli.core.errors import UsageError
from sccli.core.piped import read_refs
from sccli.core.release.manifest import RELEASE_KEYS, TRACK_KEYS, load_manifest
from sccli.core.release.scaffold import toml_string


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from open_world(tmp_path_factory)


# -- manifests ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-release")
    folder = root / "rel"
    folder.mkdir()
    (folder / "sub").mkdir()
    make_wav(folder / "01.wav", seconds=0.1, rate=8000)
    make_wav(folder / "02.wav", seconds=0.2, rate=8000)
    (folder / "link.wav").symlink_to("01.wav")
    (folder / "cover.png").write_bytes(PNG)
    (folder / "notes.txt").write_text("not audio\n")
    make_wav(root / "outside.wav", seconds=0.1, rate=8000)
    return folder


FILES = ["01.wav", "02.wav", "./01.wav", "sub/../01.wav", "link.wav", "../outside.wav",
         "ABS/01.wav", "missing.wav", "cover.png", "notes.txt", "", "/", "sub"]  # fmt: skip


def scalar() -> st.SearchStrategy[str]:
    """A TOML value, written as TOML: any type, hostile strings, years below 1000, deep arrays."""
    return st.one_of(
        TEXT.map(lambda t: toml_string(t) if "\udce9" not in t else '"x"'),
        st.integers(-(2**63), 2**63 - 1).map(str),
        st.sampled_from(["true", "false", "inf", "nan", "-0.0", "1e308", "[]", "{}", '["a", 1]']),
        st.dates(date(1, 1, 1), date(9999, 12, 31)).map(lambda d: d.isoformat()),
        st.dates(date(1, 1, 1), date(9999, 12, 31)).map(lambda d: toml_string(d.isoformat())),
        st.integers(1, 4000).map(lambda n: "[" * n + "]" * n),
        st.lists(TEXT.filter(lambda t: "\udce9" not in t), max_size=3).map(
            lambda xs: "[" + ", ".join(map(toml_string, xs)) + "]"
        ),
    )


@st.composite
def manifest_text(draw, folder: Path) -> str:
    def table(keys: dict, header: str, file: bool) -> list[str]:
        lines = [header]
        names = draw(
            st.lists(st.sampled_from([*keys, "colour", "tracks"]), max_size=5, unique=True)
        )
        if file and draw(st.integers(0, 5)):
            value = draw(st.one_of(st.sampled_from(FILES), TEXT))
            value = value.replace("ABS", str(folder)) if "\udce9" not in value else "01.wav"
            lines.append(f"file = {toml_string(value)}")
        for name in names:
            if name == "file" and file:
                continue
            lines.append(f"{name} = {draw(scalar())}")
        return lines

    lines: list[str] = []
    if draw(st.integers(0, 5)):
        lines += table(RELEASE_KEYS, "[release]", False)
    for _ in range(draw(st.integers(0, 3))):
        lines += ["", *table(TRACK_KEYS, "[[track]]", True)]
    if not draw(st.integers(0, 9)):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.text(NO_NUL, max_size=20)))
    return "\n".join(lines) + "\n"


def test_manifests_never_break_release_plan(world, release_dir):
    manifest = release_dir / "release.toml"

    @scaled(40)
    @given(manifest_text(release_dir))
    def run(text):
        note(text)
        manifest.write_text(text, encoding="utf-8", errors="surrogateescape")
        try:
            m = load_manifest(manifest)
        except UsageError as e:
            assert e.exit_code == 2
        else:
            base = os.path.realpath(release_dir)
            for t in m.tracks:  # nothing named outside the folder
                assert os.path.normpath(os.path.join(base, t.rel)).startswith(base + os.sep)
        assert_contract(world.run("release", "plan", str(manifest), "--json"))

    run()


# -- stdin reference streams -------------------------------------------------------------------
OBJECT = st.fixed_dictionaries(
    {},
    optional={
        "urn": st.one_of(st.sampled_from(REFS), TEXT, st.integers(), st.none()),
        "kind": st.sampled_from(["track", "user", "playlist", "comment", 5]),
        "id": st.one_of(st.integers(-5, 10**12), TEXT, st.booleans()),
        "permalink_url": st.one_of(st.sampled_from(REFS), TEXT),
        "track": st.fixed_dictionaries({"urn": st.sampled_from(REFS)}),
        "origin": st.one_of(st.fixed_dictionaries({"urn": st.sampled_from(REFS)}), TEXT),
        "user": st.fixed_dictionaries({"urn": st.sampled_from(REFS)}),
    },
)
JSON_ITEM = st.one_of(OBJECT, st.sampled_from(REFS), TEXT, st.integers(), st.floats())
PIECE = st.one_of(
    st.sampled_from(REFS),
    TEXT,
    JSON_ITEM.map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.lists(JSON_ITEM, max_size=3).map(lambda v: json.dumps(v, indent=2, ensure_ascii=False)),
    OBJECT.map(lambda v: json.dumps(v, indent=2)),
    st.integers(1, 6000).map(lambda n: "[" * n),
    st.sampled_from(['{"urn": ', "[1, 2", '"unterminated', "NaN", "\ufeff300010", "}"]),
)
STREAM = st.tuples(
    st.lists(PIECE, max_size=4), st.sampled_from(["\n", "\r\n", " ", "", "\n\n"])
).map(lambda t: t[1].join(t[0]))


def test_stdin_reference_streams_never_break_a_batch(world):
    @scaled(40)
    @given(STREAM)
    def run(text):
        note(repr(text))
        refs = read_refs(io.StringIO(text))
        assert all(isinstance(r, str) for r in refs)
        r = world.run("unlike", "-", input=text)
        assert_contract(r)
        if r.code in (0, 1) and refs:  # one record per item, however it failed
            records = [json.loads(x) for x in r.stdout.split("\n") if x]  # NDJSON: \n only
            assert len(records) == len(refs), r

    run()


# -- download answers --------------------------------------------------------------------------
NAMES = [None, "v.wav", "../../up.wav", "..", ".hidden.wav", "a/b\\c.wav", "x" * 300 + ".wav",
         "é" * 200, "\x1b]0;t\x07.wav", "same.wav", "v.wav.part", "CON", " "]  # fmt: skip
BEHAVIOURS = ["full", "cut", "honest-range", "ignore-range", "unasked-206", "long-206",
              "wrong-total", "bad-range", "416", "500", "404"]  # fmt: skip


def _answer(status: str, body: bytes, headers: dict[str, str], length: int | None = None) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body) if length is None else length}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n").encode("latin-1", "replace") + body


def _download_answer(kind: str, data: bytes, start: int | None, cut: float, extra: dict) -> bytes:
    n, s = len(data), start or 0
    rng = lambda a, b, t: {**extra, "Content-Range": f"bytes {a}-{b}/{t}"}  # noqa: E731
    if kind == "honest-range" and start is not None:
        return _answer("206 Partial Content", data[s:], rng(s, n - 1, n))
    if kind in ("full", "honest-range", "ignore-range"):
        return _answer("200 OK", data, extra)
    if kind == "cut":
        return _answer("200 OK", data[: int(n * cut)], extra, length=n)
    if kind == "unasked-206":
        h = n // 2
        return _answer("206 Partial Content", data[h:], rng(h, n - 1, n))
    if kind == "long-206":
        return _answer("206 Partial Content", data[s:] + b"junk" * 20, rng(s, n - 1, n))
    if kind == "wrong-total":
        return _answer("206 Partial Content", data[s:], rng(s, n + 9, n + 10))
    if kind == "bad-range":
        return _answer("206 Partial Content", data, {**extra, "Content-Range": "bytes x-y/z"})
    status = {"416": "416 Range Not Satisfiable", "500": "500 Internal Server Error"}
    return _answer(status.get(kind, "404 Not Found"), b"{}", {"Content-Type": "application/json"})


DOWNLOAD = st.fixed_dictionaries(
    {
        "data": st.binary(min_size=1, max_size=4000),
        "plan": st.lists(st.sampled_from(BEHAVIOURS), min_size=1, max_size=4),
        "name": st.one_of(st.sampled_from(NAMES), st.text(NO_NUL, max_size=30)),
        "ranges": st.booleans(),
        "cut": st.floats(0.0, 0.95),
        "part": st.sampled_from([None, "prefix", "junk", "link", "fifo"]),
    }
)


def _plant_part(out: Path, part: str | None, data: bytes, victim: Path) -> None:
    target = out / "v.wav.part"
    if part == "prefix":
        target.write_bytes(data[: len(data) // 3])
    elif part == "junk":
        target.write_bytes(b"\0" * (len(data) + 7))
    elif part == "link":
        target.symlink_to(victim)
    elif part == "fifo":
        os.mkfifo(target)


def test_download_answers_never_write_outside_or_lie(tmp_path_factory):
    @scaled(40)
    @given(DOWNLOAD)
    def run(case):
        note(repr(case))
        root = tmp_path_factory.mktemp("fuzz-dl")
        out, victim = root / "out", root / "victim.txt"
        out.mkdir()
        victim.write_bytes(b"precious")
        _plant_part(out, case["part"], case["data"], victim)
        seen: list[int] = []

        def behave(line: str, sock: socket.socket) -> None:
            if line.split()[1].startswith("/tracks/"):
                track = {"urn": "soundcloud:tracks:1", "id": 1, "title": "v", "kind": "track",
                         "download_url": f"{server.url}/dl"}  # fmt: skip
                sock.sendall(_answer("200 OK", json.dumps(track).encode(), {}))
                return
            head = server.heads[-1].lower()
            start = int(head.split("range: bytes=")[1].split("-")[0]) if "range:" in head else None
            kind = case["plan"][min(len(seen), len(case["plan"]) - 1)]
            seen.append(1)
            extra = {"Content-Type": "audio/wav"}
            if case["ranges"]:
                extra["Accept-Ranges"] = "bytes"
            if case["name"] is not None:
                extra["Content-Disposition"] = f'attachment; filename="{case["name"]}"'
            sock.sendall(_download_answer(kind, case["data"], start, case["cut"], extra))
            if kind == "cut":
                sock.shutdown(socket.SHUT_RDWR)

        server = Hostile(behave)
        try:
            env = {**base_env(root / "home"), "SC_API_URL": server.url, "SC_ACCESS_TOKEN": "x",
                   "SC_TIMEOUT": "3"}  # fmt: skip
            r = run_inprocess(["tracks", "download", "1", "-o", f"{out}/"], env, None)
        finally:
            server.stop()
        assert_contract(r)
        assert victim.read_bytes() == b"precious"
        outside = {p for p in root.rglob("*") if out not in p.parents and p != out}
        assert outside <= {victim, root / "home", *(root / "home").rglob("*")}, outside
        if r.code == 0:
            done = [p for p in out.iterdir() if not p.name.endswith(".part")]
            assert len(done) == 1 and not done[0].is_symlink(), done
            assert done[0].read_bytes() == case["data"], r  # exit 0 means the true file

    run()


# -- list pages --------------------------------------------------------------------------------
PAGE_ITEMS = st.one_of(
    st.lists(st.integers(1, 5).map(lambda i: {"urn": f"soundcloud:tracks:{i}"}), max_size=3),
    st.sampled_from([[], 5, None, [1, "a"], [{}], "x"]),
)
NEXT = st.one_of(
    st.none(),
    st.integers(0, 3).map(lambda i: f"/tracks?c={i}"),
    st.integers(0, 3).map(lambda i: f"HTTP://127.0.0.1:PORT/tracks?c=%7e{i}"),
    st.sampled_from(["", "?c=1", "http://[::1/next", "ftp://x/", "//", "/tracks?c=a b", 5, []]),
    TEXT,
)
PAGE = st.tuples(PAGE_ITEMS, NEXT, st.sampled_from(["json", "nan", "bare-list", "html"]))


def test_list_pages_never_loop_or_break(tmp_path_factory):
    @scaled(40)
    @given(st.lists(PAGE, min_size=1, max_size=5))
    def run(pages):
        note(repr(pages))
        count: list[int] = []

        def answer(req):
            count.append(1)
            if len(count) > 60:  # sc is not stopping: end it here, as a failure below
                return json_answer('{"collection": [], "next_href": null}')
            items, nxt, form = pages[min(len(count) - 1, len(pages) - 1)]
            if isinstance(nxt, str):
                nxt = nxt.replace("PORT", str(req.host.rsplit(":", 1)[-1]))
            body = json.dumps({"collection": items, "next_href": nxt})
            if form == "nan":
                body = body.replace("null", "NaN", 1)
            elif form == "bare-list":
                body = json.dumps(items)
            elif form == "html":
                return json_answer("<html><title>502</title></html>", 502)
            return json_answer(body)

        with serving(answer) as url:
            env = {**base_env(tmp_path_factory.getbasetemp() / "h"), "SC_API_URL": url,
                   "SC_ACCESS_TOKEN": "x"}  # fmt: skip
            r = run_inprocess(["tracks", "search", "x", "--all", "--ndjson"], env, None)
        assert_contract(r)
        assert len(count) <= 60 // 2, f"{len(count)} pages requested"

    run()


assert HOSTILE  # the shared hostile values (test_fuzz.py) are the ones TEXT draws from
