"""Issue 14, config (items 17-18): control characters never reach the file, set and unset
repair a file with stray lines, and only a regular file is ever read as config.ini."""

from __future__ import annotations

import os
import threading

import pytest
from conftest import base_env, run_inprocess


def sc_home(home, *args):
    return run_inprocess(list(args), base_env(home), None)


def config(home):
    return home / "config" / "config.ini"


def one_error(r) -> str:
    assert "Traceback" not in r.stderr and "run with --debug" not in r.stderr, r
    lines = [x for x in r.stderr.splitlines() if not x.startswith("hint: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), r
    return lines[0]


# -- item 17: control characters, and repairs -------------------------------------------------
@pytest.mark.parametrize(
    "value", ["a\rb", "a\nb", "a\x00b", "a\x1b[31mb", "a\u2028b", "a\x85b", "\t"]
)
@pytest.mark.parametrize("key", ["client-id", "api-url", "sharing"])
def test_i14_17_control_characters_in_a_value_are_refused(home, key, value):
    r = sc_home(home, "config", "set", key, value)
    assert r.code == 2, r
    assert "control characters" in one_error(r) or "invalid value" in r.stderr
    assert not config(home).exists()
    assert sc_home(home, "config", "list", "--json").code == 0


@pytest.mark.parametrize(
    "stray",
    [b"b\n", b"\xff junk\n", b"just words\n", b"[\n", b"\x00\n"],
    ids=["cr-remains", "not-utf8", "words", "half-header", "nul"],
)
@pytest.mark.parametrize("verb", ["unset", "set"])
def test_i14_17_set_and_unset_repair_stray_lines(home, stray, verb):
    path = config(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"[default]\nsharing = public\nclient-id = a\n" + stray + b"output = json\n")
    broken = sc_home(home, "config", "get", "sharing")
    assert broken.code == 2, broken  # the file does not parse
    args = ["unset", "client-id"] if verb == "unset" else ["set", "client-id", "fixed"]
    r = sc_home(home, "config", *args)
    assert r.code == 0, r
    assert "dropped a stray line" in r.stderr
    assert sc_home(home, "config", "get", "sharing").stdout == "public\n"
    assert sc_home(home, "config", "get", "output").stdout == "json\n"
    got = sc_home(home, "config", "get", "client-id")
    assert got.stdout == ("fixed\n" if verb == "set" else ""), got


def test_i14_17_a_value_with_a_control_character_in_the_file_is_exit_2_and_unset_fixes_it(home):
    path = config(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"[default]\nclient-id = a\rb\nsharing = public\n")
    r = sc_home(home, "tracks", "search", "x")
    assert r.code == 2 and "client-id" in one_error(r), r
    assert sc_home(home, "config", "unset", "client-id").code == 0
    assert sc_home(home, "config", "get", "sharing").stdout == "public\n"
    assert b"\r" not in path.read_bytes()


# -- item 18: only a regular file is config.ini ------------------------------------------------
def run_with_timeout(home, *args, seconds=20):
    out = {}
    t = threading.Thread(target=lambda: out.update(r=sc_home(home, *args)), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"sc {args} hung on a non-regular config.ini"
    return out["r"]


@pytest.mark.parametrize(
    "args",
    [
        ["config", "path"],
        ["config", "list"],
        ["config", "get", "sharing"],
        ["config", "set", "sharing", "public"],
        ["config", "unset", "sharing"],
        ["tracks", "search", "x"],
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_i14_18_a_fifo_or_folder_as_config_never_hangs(home, args, kind):
    path = config(home)
    path.parent.mkdir(parents=True)
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    r = run_with_timeout(home, *args)
    if args == ["config", "path"]:
        assert r.code == 0 and r.stdout.strip() == str(path), r
        return
    assert r.code == 2, r
    assert "config" in one_error(r)
