"""Hostile input, size caps: every input sc reads whole (release.toml, config.ini, the release
state, the sync archive, a token or app piped in) is a regular file of a bounded size, and
references piped in are read an item at a time with a cap on each. A FIFO, /dev/zero, a
runaway file or an endless stdin ends in one `error:` line and exit 2: no hang, no traceback,
memory flat; and what a batch did before the bad line is reported."""

from __future__ import annotations

import io
import json
import os
import re
import threading
import tracemalloc
from pathlib import Path

import pytest
from audio import make_wav
from conftest import Result, _Stream, base_env, run_inprocess, sandbox_env
from hypothesis import given, note
from hypothesis import strategies as st
from test_fuzz import scaled
from test_fuzz_edges import STREAM

from sccli.core import fsutil
from sccli.core.errors import UsageError
from sccli.core.piped import _ref_of, iter_items, read_refs


def one_error(r: Result) -> str:
    assert "Traceback" not in r.stderr and "run with --debug" not in r.stderr, r
    lines = [x for x in r.stderr.splitlines() if not x.startswith("hint: ")]
    assert lines and lines[-1].startswith("error: "), r
    assert sum(x.startswith("error: ") for x in lines) == 1, r
    return lines[-1]


def run_on(args: list[str], env: dict[str, str], stdin: io.TextIOBase) -> Result:
    """The real main() in this process with `stdin` as its stdin (a device, a generator)."""
    from sccli.cli.app import main
    from sccli.cli.context import Environment, Streams

    streams = Streams(stdin=stdin, stdout=_Stream(), stderr=_Stream())  # type: ignore[arg-type]
    code = main(args, Environment(streams=streams, environ=env))
    return Result(args, code, streams.stdout.getvalue(), streams.stderr.getvalue(), [])


def within(seconds: float, fn, *args):  # noqa: ANN001, ANN201
    """fn(*args) in a thread: a hang fails the test instead of holding the suite."""
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn(*args)), daemon=True)
    t.start()
    t.join(seconds)
    assert out, f"still running after {seconds} s: {fn.__name__}{args!r}"
    return out[0]


def hostile(path: Path, kind: str, cap: int) -> Path:
    """Make `path` a FIFO, a link to /dev/zero, or a (sparse) regular file one byte over `cap`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        with open(path, "wb") as f:
            f.truncate(cap + 1)
    return path


KINDS = ["fifo", "zero", "huge"]
WHY = {"fifo": "not a regular file", "zero": "not a regular file", "huge": "larger than"}


# -- files read whole --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_manifest_is_one_usage_error(sc, tmp_path, kind):
    manifest = hostile(tmp_path / "rel" / "release.toml", kind, fsutil.MANIFEST_MAX)
    r = within(60, sc, "release", "plan", str(manifest))
    assert r.code == 2 and WHY[kind] in one_error(r), r
    assert str(manifest) in r.stderr


def test_a_manifest_just_under_the_cap_is_read(tmp_path):
    from sccli.core.release.manifest import ManifestError, load_manifest

    path = tmp_path / "release.toml"
    path.write_bytes(b"#" * (fsutil.MANIFEST_MAX - 1) + b"\n")
    with pytest.raises(ManifestError, match="no \\[\\[track\\]\\] tables"):
        load_manifest(path)  # read and checked: the cap is not in the way


def test_a_manifest_that_is_not_utf8_is_one_problem(tmp_path):
    from sccli.core.release.manifest import ManifestError, load_manifest

    path = tmp_path / "release.toml"
    path.write_bytes(b'[release]\ntitle = "caf\xe9"\n')
    with pytest.raises(ManifestError, match="not UTF-8"):
        load_manifest(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_config_is_one_usage_error(home, kind):
    hostile(home / "config" / "config.ini", kind, fsutil.CONFIG_MAX)
    r = within(60, run_inprocess, ["config", "list"], base_env(home), None)
    assert r.code == 2 and WHY[kind] in one_error(r) and "config file" in r.stderr, r


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_release_state_is_one_usage_error(sc, tmp_path, kind):
    folder = tmp_path / "rel"
    folder.mkdir()
    make_wav(folder / "01.wav", seconds=0.1, rate=8000)
    assert sc("release", "init", str(folder)).code == 0
    state = hostile(tmp_path / "state.json", kind, fsutil.MAX_READ)
    r = within(60, sc, "release", "plan", str(folder / "release.toml"), "--state", str(state))
    assert r.code == 2 and WHY[kind] in one_error(r) and "release state" in r.stderr, r


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_archive_is_one_usage_error(user_sc, tmp_path, kind):
    archive = hostile(tmp_path / "a" / "archive", kind, fsutil.ARCHIVE_MAX)
    r = within(60, user_sc, "sync", "likes", str(tmp_path / "dir"), "--archive", str(archive))
    assert r.code == 2 and WHY[kind] in one_error(r) and "as the archive" in r.stderr, r
    assert not (tmp_path / "dir").exists() or not any((tmp_path / "dir").iterdir())


def test_an_archive_line_past_its_cap_is_one_usage_error(user_sc, tmp_path):
    archive = tmp_path / "archive"
    archive.write_bytes(b"soundcloud:tracks:1\tx.mp3\n" + b"x" * (fsutil.ARCHIVE_LINE_MAX + 1))
    r = user_sc("tracks", "download", "300010", "-o", str(tmp_path), "--archive", str(archive))
    assert r.code == 2 and "line 2 is longer than 64 KiB" in one_error(r), r


def test_an_archive_is_read_a_line_at_a_time(tmp_path):
    """Lines of any number, each kept once; a torn last line ignored as ever."""
    from sccli.core.archive import Archive

    path = tmp_path / "archive"
    with open(path, "w") as f:
        for i in range(20_000):
            f.write(f"soundcloud:tracks:{i % 500}\tt{i % 500}.mp3\n")
        f.write("soundcloud:tracks:999\tcut")
    a = Archive(path)
    assert len(a) == 500 and "soundcloud:tracks:999" not in a
    assert a.get("soundcloud:tracks:7").path == tmp_path / "t7.mp3"


def test_the_storefront_record_ignores_a_device(tmp_path):
    from sccli.core.config import resolve_settings
    from sccli.core.storefront import StorefrontRecord

    settings = resolve_settings(env={"SC_CONFIG_DIR": str(tmp_path)})
    record = StorefrontRecord(settings)
    hostile(record.path, "zero", fsutil.MAX_READ)
    assert within(10, record.get, "soundcloud:tracks:1") is None  # a cache: empty, no hang
    # ...but writing over it would lose every storefront it records: that is refused.
    with pytest.raises(UsageError, match="cannot read"):
        record.put("soundcloud:tracks:1", {"title": "t"})  # a device is never read: no hang
    record.path.unlink()
    record.put("soundcloud:tracks:1", {"title": "t"})
    assert record.get("soundcloud:tracks:1") == {"title": "t"}


def test_delete_from_a_pipe_without_yes_refuses_before_reading_stdin(user_sc, sandbox, home):
    """Nobody can answer the prompt when stdin is the references: sc says so at once,
    without reading the stream (an endless one must not be read to refuse it)."""
    env = sandbox_env(sandbox, home, user_sc.token_file)
    with open("/dev/zero", encoding="utf-8") as zero:
        r = within(30, run_on, ["tracks", "delete", "-"], env, zero)
    assert r.code == 2 and "refusing to delete without confirmation" in one_error(r), r


# -- stdin read whole: a token, an app's JSON ---------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [["auth", "login", "--with-token", "--insecure-storage"], ["auth", "app", "import", "-"]],
)
def test_a_token_or_app_from_dev_zero_is_one_usage_error(home, args):
    with open("/dev/zero", encoding="utf-8") as zero:
        r = within(60, run_on, args, base_env(home), zero)
    assert r.code == 2 and "larger than 1 MiB" in one_error(r), r


def test_read_capped_reads_no_more_than_its_cap():
    stream = io.StringIO("x" * 5000)
    with pytest.raises(fsutil.NotReadable, match="larger than 2 KiB"):
        fsutil.read_capped(stream, 2048)
    assert stream.tell() == 2049  # the cap and one more, not the rest
    assert fsutil.read_capped(io.StringIO("abc"), 3) == "abc"


# -- references piped in ----------------------------------------------------------------------
class Generated(io.TextIOBase):
    """`n` lines made as they are read (a stream longer than memory would hold)."""

    def __init__(self, n: int, line):  # noqa: ANN001 - int -> str
        self.n, self.i, self.line = n, 0, line

    def readable(self) -> bool:
        return True

    def readline(self, size: int = -1) -> str:
        if self.i >= self.n:
            return ""
        self.i += 1
        return self.line(self.i)


def _track(i: int) -> str:
    obj = {"urn": f"soundcloud:tracks:{i}", "title": f"t{i}", "description": "d" * 30}
    return json.dumps(obj) + "\n"


def _peak(fn) -> int:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_100000_piped_objects_are_read_in_flat_memory():
    """NDJSON read an item at a time: all 100,000 come through, and the peak is that of one
    item, not the stream's (tracemalloc over 2,000 and 20,000: the same)."""
    seen = [0]

    def read(n: int) -> None:
        for ref, _obj in iter_items(Generated(n, _track)):  # type: ignore[arg-type]
            seen[0] += ref.startswith("soundcloud:tracks:")

    read(100_000)
    assert seen[0] == 100_000
    small, big = _peak(lambda: read(2_000)), _peak(lambda: read(20_000))
    assert big < 1_000_000 and big < small * 1.5 + 50_000, (small, big)


def test_a_big_json_document_is_read_an_element_at_a_time():
    """`--json` output longer than the cap (one array): its elements, each under the cap."""
    items = [{"urn": f"soundcloud:tracks:{i}", "description": "d" * 500} for i in range(400)]
    for text in (json.dumps(items), json.dumps(items, indent=2)):
        got = read_refs(io.StringIO(text + "\nsoundcloud:users:1\n"), limit=4096)
        assert got == [f"soundcloud:tracks:{i}" for i in range(400)] + ["soundcloud:users:1"]


@pytest.mark.parametrize(
    "text",
    [
        "\x00" * 5000,  # /dev/zero's: no line ever ends
        "300001\n" + "y" * 5000 + "\n300002\n",
        '{"urn": "soundcloud:tracks:1", "title": "' + "t" * 5000 + '"}\n',
        '["' + "x" * 5000 + '"]\n',  # an array with an element past the cap
    ],
    ids=["nul", "long-line", "long-object", "long-element"],
)
def test_an_item_past_the_cap_is_a_usage_error_naming_its_line(text):
    """For a caller that needs every reference (sync's plan), an item past the cap is the
    command's usage error, naming its line."""
    with pytest.raises(UsageError, match=r"line \d+ is longer than 4 KiB|more than 4 KiB without"):
        read_refs(io.StringIO(text), limit=4096)


def test_a_line_past_the_cap_is_skipped_as_one_item_and_the_stream_goes_on():
    from sccli.core.piped import TooLong

    text = "300001\n" + "y" * 50_000 + "\n300002\n" + "z" * 5000
    got = [ref for ref, _ in iter_items(io.StringIO(text), limit=4096)]
    assert got == ["300001", "<line 2>", "300002", "<line 4>"]
    assert isinstance(got[1], TooLong) and got[1].reason == "line 2 is longer than 4 KiB"


def test_like_from_dev_zero_is_one_usage_error_in_flat_memory(user_sc, sandbox, home):
    env = sandbox_env(sandbox, home, user_sc.token_file)
    got: list[Result] = []
    with open("/dev/zero", encoding="utf-8") as zero:
        peak = _peak(lambda: got.append(within(60, run_on, ["like", "-"], env, zero)))
    r = got[0]
    assert r.code == 2 and "more than 1 MiB without the end of a reference" in one_error(r), r
    assert peak < 24_000_000, peak  # the cap's worth (a few copies of 1 MiB), not the stream


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_line_too_long_is_one_failed_item_and_the_batch_goes_on(user_sc, jobs):
    """DESIGN: a batch goes on past per-item errors of any kind and exits 1."""
    good = [f"soundcloud:tracks:3000{n}" for n in (10, 11, 12, 13)]
    text = (
        "\n".join(good) + "\n" + "z" * (fsutil.STDIN_ITEM_MAX + 10) + "\nsoundcloud:tracks:300014\n"
    )
    r = user_sc("unlike", "-", "--jobs", jobs, input=text)
    assert r.code == 1 and "1 of 6 failed" in one_error(r), r
    assert [x["urn"] for x in r.ndjson if x["ok"]] == [*good, "soundcloud:tracks:300014"]
    bad = [x for x in r.ndjson if not x["ok"]]
    assert bad == [{"ref": "<line 5>", "ok": False, "error": "stdin: line 5 is longer than 1 MiB"}]


def test_a_long_stream_of_references_works_end_to_end(user_sc):
    """NDJSON objects as `sc likes --ndjson` prints them, many more than one page."""
    lines = [json.dumps({"urn": f"soundcloud:tracks:3000{10 + i % 5}"}) for i in range(300)]
    r = user_sc("unlike", "-", "--jobs", "4", input="\n".join(lines))
    assert r.code == 0 and len(r.ndjson) == 300 and all(x["ok"] for x in r.ndjson), r


def test_the_batch_reads_ahead_at_most_twice_its_jobs(tmp_path):
    """A stream is not read whole before the work starts (Executor.map would)."""
    from sccli.cli.batch import Refs, run_each
    from sccli.cli.context import AppContext, Environment, Streams
    from sccli.core.config import resolve_settings

    stdin = Generated(50, lambda i: f"soundcloud:tracks:{i}\n")
    environ = {"SC_CONFIG_DIR": str(tmp_path), "NO_COLOR": "1"}
    env = Environment(streams=Streams(stdin, _Stream(), _Stream()), environ=environ)  # type: ignore[arg-type]
    sc = AppContext(env, resolve_settings(env=environ))
    ahead: list[int] = []

    def act(item) -> str:  # noqa: ANN001
        ahead.append(stdin.i - int(item.urn.rsplit(":", 1)[1]))
        return "ok"

    run_each(sc, Refs.expand(sc, ["-"]), ("track",), act, jobs=3)
    assert len(ahead) == 50 and max(ahead) <= 6, ahead


# -- the stream reader against the whole-text reader it replaced ------------------------------
_SPACE_END = re.compile(r"\s*")


def whole_text_reader(text: str) -> list[str]:
    """The reader before streaming (it read all of stdin, then parsed): the oracle."""
    decoder, out, pos, end = json.JSONDecoder(), [], 0, len(text)
    while pos < end:
        pos = _SPACE_END.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            break
        if text[pos] in '{["':
            try:
                value, after = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):
                pass
            else:
                out += [_ref_of(v)[0] for v in (value if isinstance(value, list) else [value])]
                pos = after
                continue
        stop = text.find("\n", pos)
        stop = end if stop < 0 else stop
        out.append(text[pos:stop].strip())
        pos = stop + 1
    return out


def test_the_stream_reader_reads_what_the_whole_text_reader_read():
    @scaled(200)
    @given(STREAM)
    def run(text: str) -> None:
        note(repr(text))
        assert read_refs(io.StringIO(text)) == whole_text_reader(text)

    run()


ELEMENT = st.one_of(
    st.from_regex(r"soundcloud:(tracks|users):[0-9]{1,9}", fullmatch=True),
    st.fixed_dictionaries({"urn": st.from_regex(r"soundcloud:tracks:[0-9]{1,9}", fullmatch=True)}),
    st.integers(0, 10**9),
)


def test_arrays_past_the_cap_read_as_the_whole_text_reader_read_them():
    @scaled(100)
    @given(st.lists(ELEMENT, min_size=1, max_size=80), st.sampled_from([None, 1, 2]))
    def run(items: list, indent: int | None) -> None:
        text = json.dumps(items, indent=indent) + "\nsoundcloud:users:1\n"
        assert read_refs(io.StringIO(text), limit=256) == whole_text_reader(text)

    run()


def test_an_array_past_the_cap_with_a_missing_comma_falls_back_to_text():
    """Read an element at a time, an array still has to be JSON: two values with no comma
    between them end the JSON reading, and the rest of that line is text (an item's error)."""
    got = [ref for ref, _ in iter_items(io.StringIO('[{"urn":"q"},\n12\n34 56\n]'), limit=16)]
    assert got == ["q", "12", "34 56", "]"]
    good = [ref for ref, _ in iter_items(io.StringIO('[{"urn":"q"}, "a",\n "b"]'), limit=16)]
    assert good == ["q", "a", "b"]
