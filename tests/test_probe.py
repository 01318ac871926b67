"""Findings of a hostile-input sweep (brief probe.md), each against the in-thread sandbox."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import time

import pytest
from conftest import SC_CMD, default_sigint, sandbox_env
from test_release import make_client, make_release, my_sets, push
from test_release_ci import (
    action_runner,
    ci,  # noqa: F401 - the fixture, used by name
)


def _sharing(client, urns) -> list[str]:
    return [client.get(f"/tracks/{u}")["sharing"] for u in urns]


def test_probe_01_ctrl_c_during_publish_undoes(sandbox, home, tmp_path):
    """SIGINT (a CI job's cancel) while the second track's PUT is in flight: the write is let
    finish (else it lands unseen later), then all this run made public is private again, named,
    exit 130. A subprocess: the signal and the process boundary are the point."""
    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 3)
    report = push(client, manifest)
    one, two, _ = report.track_urns
    sandbox.fault(path=f"/tracks/{two}", method="PUT", delay=3, times=1)
    token = home / "token.json"
    token.write_text(json.dumps(sandbox.user_token()))
    token.chmod(0o600)
    env = sandbox_env(sandbox, home, token, app=False)
    cmd = [*SC_CMD, "release", "publish", str(manifest)]
    p = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 30
    while _sharing(client, [one]) != ["public"]:  # the first is out: the second is in flight
        assert time.monotonic() < deadline and p.poll() is None, p.communicate()
        time.sleep(0.1)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    time.sleep(3)  # a write cut off would land about now
    assert p.returncode == 130, err
    assert "interrupted" in err and "made private again: track[2], track[1]" in err, err
    assert "Traceback" not in err
    assert set(_sharing(client, report.track_urns)) == {"private"}
    assert my_sets(client, "Night Ferry")[0]["sharing"] == "private"


def test_probe_01_a_second_ctrl_c_names_what_is_still_public(sandbox, tmp_path, monkeypatch):
    """Ctrl-C while undoing stops the undo at once, and the error names what may still be
    public (a KeyboardInterrupt injected where a signal would land, after the write)."""
    import pytest

    from sccli.core.errors import Interrupted
    from sccli.core.release import publish as P

    client = make_client(sandbox, tmp_path)
    report = push(client, make_release(tmp_path / "rel", 3))
    one, two, three = report.track_urns
    real = P.update_track
    calls: list[tuple[str, str]] = []

    def update(c, urn, fields, *a, **kw):
        calls.append((urn, fields["sharing"]))
        out = real(c, urn, fields, *a, **kw)
        if (urn, fields["sharing"]) in ((two, "public"), (two, "private")):
            raise KeyboardInterrupt  # the first, then the second Ctrl-C
        return out

    monkeypatch.setattr(P, "update_track", update)
    targets = [P.Target("track[1]", one), P.Target("track[2]", two), P.Target("track[3]", three)]
    with pytest.raises(Interrupted) as caught:
        P.publish_all(client, targets)
    assert caught.value.exit_code == 130
    assert "STILL PUBLIC" in caught.value.message and "track[1]" in caught.value.message
    assert (three, "public") not in calls  # nothing after the interrupted step


def _writes(sandbox) -> int:
    reqs = sandbox.stats()["requests"]
    return sum(n for route, n in reqs.items() if route.split(" ")[0] in ("PUT", "POST", "DELETE"))


def test_probe_02_publish_refuses_a_release_that_changed(user_sc, sandbox, tmp_path):
    """Audio or fields changed after the push: publish refuses, exit 1, before any write."""
    from audio import make_wav

    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 2)
    report = push(client, manifest)
    wav = sorted(manifest.parent.glob("02-*.wav"))[0]
    make_wav(wav, seconds=5.0, rate=8000)  # a new mix, same name
    before = _writes(sandbox)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "audio changed since the last push: track[2]" in r.stderr, r
    assert _writes(sandbox) == before
    assert set(_sharing(client, report.track_urns)) == {"private"}

    push(client, manifest, replace_audio=True)
    text = manifest.read_text().replace('title = "Harbour"', 'title = "Harbour (edit)"')
    manifest.write_text(text)
    before = _writes(sandbox)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "does not match the manifest: track[1] update" in r.stderr, r
    assert _writes(sandbox) == before
    push(client, manifest)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 0, r


def test_probe_03_an_empty_2xx_is_no_success(user_sc, sandbox, tmp_path):
    """A write answered 200 with no body: a change is read back, a creation looked for; never
    'updated' with `null`, never a TypeError or AttributeError."""
    client = make_client(sandbox, tmp_path)
    [urn] = push(client, make_release(tmp_path / "rel", 1)).track_urns  # private
    assert _sharing(client, [urn]) == ["private"]
    empty = {"path": f"/tracks/{urn}", "method": "PUT", "status": 200, "body": "empty"}
    sandbox.fault(**empty)  # answered, not done
    r = user_sc("tracks", "update", urn, "--sharing", "public", "--json")
    assert r.code == 1 and f"{urn} may not have been changed" in r.stderr, r
    assert "null" not in r.stdout and "Traceback" not in r.stderr
    assert _sharing(client, [urn]) == ["private"]
    sandbox.fault(**empty, after=True)  # done, then the empty answer: read back, it is
    r = user_sc("tracks", "update", urn, "--sharing", "public", "--json")
    assert r.code == 0 and r.json["sharing"] == "public", r
    assert user_sc("tracks", "update", urn, "--sharing", "private").code == 0

    sandbox.fault(path="/playlists", method="POST", status=200, body="empty")
    r = user_sc("playlists", "create", "Empty Answer")
    assert r.code == 1 and "not created" in r.stderr and "Error" not in r.stderr, r
    sandbox.fault(path="/playlists", method="POST", status=200, body="empty", after=True)
    r = user_sc("playlists", "create", "Empty Answer", "--json")
    assert r.code == 0 and r.json["title"] == "Empty Answer", r

    from audio import make_wav

    make_wav(tmp_path / "quiet take.wav", seconds=1.0, rate=8000)
    sandbox.fault(path="/tracks", method="POST", status=200, body="empty", after=True)
    r = user_sc("tracks", "upload", str(tmp_path / "quiet take.wav"), "--json")
    assert r.code == 0 and r.json["title"] == "Quiet Take" and r.json["urn"], r  # looked for


def test_probe_03_push_and_publish_never_claim_an_empty_2xx(user_sc, sandbox, tmp_path):
    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 3)
    report = push(client, manifest)
    text = manifest.read_text()
    blocks = text.split("\n[[track]]")
    manifest.write_text(blocks[0] + "".join("\n[[track]]" + b for b in reversed(blocks[1:])))
    sandbox.fault(path=f"/playlists/{report.set_urn}", method="PUT", status=200, body="empty")
    r = user_sc("release", "push", str(manifest))
    assert r.code == 1 and "may not have been changed" in r.stderr, r
    assert "TypeError" not in r.stderr and "Traceback" not in r.stderr
    assert user_sc("release", "push", str(manifest)).code == 0

    second = report.track_urns[1]
    sandbox.fault(path=f"/tracks/{second}", method="PUT", status=200, body="empty", times=-1)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "publishing track[2] failed" in r.stderr, r
    assert set(_sharing(client, report.track_urns)) == {"private"}
    assert my_sets(client, "Night Ferry")[0]["sharing"] == "private"


def test_probe_04_export_never_buries_rows_in_a_hand_edited_csv(sandbox, user_sc, tmp_path):
    """A last line without its line break is ended first; a file that no longer parses (an
    open quote, a bad time, a row of another shape) is refused, naming the line, untouched."""
    from test_stats import ME_TRACKS, _history

    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0])
    out = tmp_path / "stats.csv"
    assert user_sc("stats", "export", "--csv", str(out), "--db", str(db)).code == 0
    out.write_text(out.read_text().rstrip("\n"))  # an editor that drops the last newline
    _history(sandbox, user_sc, db, [1])
    r = user_sc("stats", "export", "--csv", str(out), "--db", str(db))
    assert r.code == 0 and f"appended {ME_TRACKS} row(s)" in r.stderr, r
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert len(rows) == 1 + 2 * ME_TRACKS and {len(row) for row in rows} == {9}

    good = out.read_text()
    for broken, line in (
        (good + '2026-09-22T00:00:00Z,u,t,"an open quote,1,2,3,4,5\n', 2 * ME_TRACKS + 2),
        (good.replace("2026-09-22T", "2026-13-22T", 1), 2 + ME_TRACKS),
        (good + "2026-09-23T00:00:00Z,too,few\n", 2 * ME_TRACKS + 2),
    ):
        out.write_text(broken)
        r = user_sc("stats", "export", "--csv", str(out), "--db", str(db))
        assert r.code == 2 and f"{out}, line {line}: " in r.stderr, r
        assert "Traceback" not in r.stderr and out.read_text() == broken


def _limited() -> None:
    """A child that would read a device for ever fails fast instead of filling the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_probe_05_device_files_are_refused(sandbox, home, tmp_path):
    """A device named as a file is refused (one line, exit 2), never read: /dev/zero and
    /dev/full never end. Subprocesses under a memory limit: the old code filled memory."""
    manifest = make_release(tmp_path / "rel", 1)
    token = home / "token.json"
    token.write_text(json.dumps(sandbox.user_token()))
    token.chmod(0o600)
    env = sandbox_env(sandbox, home, token, app=False)
    for args in (
        ["stats", "export", "--csv", "/dev/full", "--db", str(tmp_path / "s.db")],
        ["release", "push", str(manifest), "--state", "/dev/full"],
        ["auth", "app", "import", "--insecure-storage", "/dev/zero"],
    ):
        p = subprocess.run(
            [*SC_CMD, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limited,
        )
        assert p.returncode == 2 and "not a regular file" in p.stderr, (args, p.stderr[-500:])
        assert p.stderr.count("\n") <= 2 and "Traceback" not in p.stderr


def test_probe_06_hand_edited_values_are_one_line(sandbox, user_sc, tmp_path):
    """Values SQLite took by hand, and JSON nested too deep: one line naming what, exit 2."""
    import sqlite3

    from test_stats import _history, at

    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0, 1])
    html = tmp_path / "r.html"
    for sql, what in (
        ("UPDATE counts SET plays='abc'", "plays 'abc' is not a count"),
        ("UPDATE counts SET plays=1e400", "plays inf is not a count"),
        ("UPDATE snapshots SET taken_at=1e20", "taken_at 1e+20 is not a time"),
        ("UPDATE snapshots SET taken_at=-1e12", "taken_at -1000000000000.0 is not a time"),
    ):
        broken = tmp_path / f"{len(what)}-{what[:5]}.db"
        broken.write_bytes(db.read_bytes())
        with sqlite3.connect(broken) as c:
            c.execute(sql)
        for args in (
            ("stats", "show", "--db", str(broken)),
            ("stats", "report", "--html", str(html), "--db", str(broken)),
            ("stats", "export", "--csv", str(tmp_path / "x.csv"), "--db", str(broken)),
        ):
            r = user_sc(*args, clock=at(1))
            assert r.code == 2 and what in r.stderr and "Traceback" not in r.stderr, (sql, r)
            assert r.stderr.startswith("error: ") and r.stderr.count("\n") <= 2, r

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    r = user_sc("auth", "app", "import", str(deep), "--insecure-storage")
    assert r.code == 2 and "not JSON" in r.stderr and "Recursion" not in r.stderr, r


def test_probe_07_since_before_the_year_1000_is_refused(sandbox, user_sc, tmp_path):
    from test_stats import _history, at

    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0])
    for since in ("0999-01-01", "0001-01-01", "99999w"):
        for args in (("stats", "show"), ("stats", "report", "--html", str(tmp_path / "r.html"))):
            r = user_sc(*args, "--since", since, "--db", str(db), clock=at(0))
            assert r.code == 2 and f"invalid --since {since!r}" in r.stderr, r
    assert not (tmp_path / "r.html").exists()
    r = user_sc("stats", "show", "--since", "1000-01-01", "--db", str(db), clock=at(0))
    assert r.code == 0, r


def test_probe_08_no_writes_where_none_were_asked(sandbox, user_sc, tmp_path, monkeypatch):
    """A read makes no database or folder; a report makes no folder; `-` is never a file
    named `-`: --html - prints the page, --csv - and --db - are refused."""
    from test_stats import _history, at

    monkeypatch.chdir(tmp_path)
    gone = tmp_path / "nonexist"
    r = user_sc("stats", "show", "--db", str(gone / "x.db"), clock=at(0))
    assert r.code == 0 and "no snapshots yet" in r.stderr and not gone.exists(), r
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0])
    r = user_sc("stats", "report", "--html", str(gone / "dir" / "x.html"), "--db", str(db))
    assert r.code == 2 and "no folder" in r.stderr and not gone.exists(), r
    r = user_sc("stats", "report", "--html", "-", "--db", str(db), clock=at(0))
    assert r.code == 0 and r.stdout.lstrip().lower().startswith("<!doctype html"), r
    for args in (("export", "--csv", "-", "--db", str(db)), ("show", "--db", "-")):
        r = user_sc("stats", *args, clock=at(0))
        assert r.code == 2 and "--" in r.stderr and "Traceback" not in r.stderr, r
    assert not (tmp_path / "-").exists()


def test_probe_09_a_non_ascii_secret_token_is_not_found(user_sc, sandbox):
    """A secret link whose token is not ASCII: 404 (exit 3), never the sandbox's 500."""
    url = "https://soundcloud.com/sandbox-user/wild-bakery-song-300003/s-ü"
    r = user_sc("tracks", "get", url)
    assert r.code == 3 and "500" not in r.stderr, r
    headers = {"Authorization": f"OAuth {sandbox.user_token()['access_token']}"}
    for query in ("s-%C3%BC", "s-%FF", "%E2%80%AE"):
        got = sandbox.get(f"/tracks/soundcloud:tracks:300003?secret_token={query}", headers=headers)
        assert got.status_code < 500, got.text


def test_probe_10_stdin_waits_say_so_and_bad_apps_are_named(user_sc, home, tmp_path):
    """`auth app import -` at a terminal says how to end; a client_id with a line break is
    refused before anything is stored; a stored app that no longer parses is called that."""
    app = {"client_id": "abc", "client_secret": "s3cret", "name": "n", "website": ""}
    r = user_sc(
        "auth", "app", "import", "-", "--insecure-storage", input=json.dumps(app), tty="stdin"
    )
    assert r.code == 0 and "end with Ctrl-D" in r.stderr, r
    r = user_sc("auth", "app", "show", "--json")
    assert r.code == 0 and r.json["client_id"] == "abc", r
    for bad in ("abc\nclient_secret = x", "abc\x1b[2J", "abc\rdef"):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({**app, "client_id": bad}))
        r = user_sc("auth", "app", "import", str(path), "--insecure-storage")
        assert r.code == 2 and "line break or control character" in r.stderr, r
    r = user_sc("auth", "app", "show", "--json")
    assert r.code == 0 and r.json["client_id"] == "abc", r  # the stored one, untouched
    [stored] = (home).rglob("apps/*.json")
    stored.write_text("{not json")
    r = user_sc("auth", "app", "show")
    assert r.code == 4 and "unreadable" in r.stderr and "no app is stored" not in r.stderr, r


def test_probe_10_a_429_while_publishing_says_when(user_sc, sandbox, tmp_path):
    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 2)
    report = push(client, manifest)
    second = report.track_urns[1]
    sandbox.fault(path=f"/tracks/{second}", method="PUT", status=429, reset_in=3600, times=-1)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "rate limited" in r.stderr and "try again after" in r.stderr, r
    assert set(_sharing(client, report.track_urns)) == {"private"}


def test_probe_10_action_takes_whitespace_alone_as_empty(ci, sandbox):  # noqa: F811
    """The action's token step: an input of spaces and line breaks is empty (a secret not set
    still expands to something in some setups), refused before the command runs."""
    runner = action_runner(ci)
    base = {"token-json": "{}", "client-id": "x", "client-secret": "y", "command": "sc me"}
    outputs = runner.action({**base, "client-id": "  \n\t "})
    assert runner.failed and "the input for CLIENT_ID is empty" in runner.results[-1].stdout
    assert len(runner.results) == 2 and outputs == {"token-file": ""}


def _interruptible(cmd: list[str], sandbox, home) -> tuple[subprocess.Popen, dict]:  # noqa: ANN001
    """`sc` as sandbox-user in a child that Ctrl-C reaches, and the API's auth headers."""
    token = home / "token.json"
    token.write_text(json.dumps(sandbox.user_token()))
    token.chmod(0o600)
    env = sandbox_env(sandbox, home, token, app=False)
    p = subprocess.Popen(
        [*SC_CMD, *cmd],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    return p, {"Authorization": f"OAuth {json.loads(token.read_text())['access_token']}"}


def _big_wavs(folder, names: list[str]) -> list:  # noqa: ANN001
    """40 MB WAVs (past what socket buffers hold): a header, then sparse silence."""
    folder.mkdir(exist_ok=True)
    for name in names:
        with open(folder / f"{name}.wav", "wb") as f:
            f.write(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(28))
            f.truncate(40 * 2**20)
    return [folder / f"{name}.wav" for name in names]


@pytest.mark.parametrize("verb", ["tracks upload", "release push"])
def test_ctrl_c_during_uploads_in_workers_stops_them(sandbox, home, tmp_path, verb):
    """SIGINT while two uploads run in --jobs workers: Ctrl-C reaches only the main thread,
    so the workers are told to stop between blocks; bodies cut off create nothing, and sc
    exits 130 at once instead of letting every upload finish (a rerun made duplicates)."""
    sandbox.config(bandwidth=2_000_000)  # 40 MB at 2 MB/s: 20 s each
    files = _big_wavs(tmp_path / "rel", ["ctrl-a", "ctrl-b"])
    if verb == "tracks upload":
        args = ["tracks", "upload", *map(str, files), "--sharing", "private"]
    else:
        tracks = "".join(f'\n[[track]]\nfile = "{f.name}"\ntitle = "{f.stem}"\n' for f in files)
        manifest = tmp_path / "rel" / "release.toml"
        manifest.write_text('[release]\ntitle = "Ctrl set"\ntype = "ep"\n' + tracks)
        args = ["release", "push", str(manifest)]
    p, headers = _interruptible([*args, "--jobs", "2"], sandbox, home)
    time.sleep(2.5)  # both bodies on their way
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)  # not the twenty seconds the uploads would take
    assert p.returncode == 130 and "Traceback" not in err, (out, err)
    sandbox.config(bandwidth=0)
    time.sleep(1)
    mine = sandbox.get("/me/tracks", headers=headers, params={"limit": 200}).json()
    assert not [t for t in mine if t["title"].lower().startswith("ctrl")], mine
