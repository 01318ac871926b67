"""kill -9 at random points of a refresh and an upload (the acceptance test of issue #9).

Twenty `sc tracks upload --if-absent` processes, each with its own login whose access token has
expired (so each refreshes first), are killed at random moments. Afterwards every token file is
valid JSON whose refresh token works, and a rerun of each upload leaves exactly one track of
its title. A process boundary is the point here, so these are real processes, SIGKILLed: forked
from a multiprocessing fork server that has imported sc already, so that twenty of them take
a second or two rather than twenty Python start-ups (tests/kill_child.py).

One loss no client can prevent: refresh tokens are single-use (API-NOTES.md), so a process
killed after the server rotated the token but before the answer reached the disk leaves the
spent one behind. The test tells that case apart (the stored token is the one that process
spent) and allows it to be rare, never silent: the next run exits 4 with the login hint.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kill_child
import pytest
import requests
from audio import make_wav
from conftest import sandbox_env

KILLS = 20
AT_ONCE = 4  # processes alive together (the machine has 2 cores)


@dataclass
class Lane:
    """One login and one title: a CI job that is killed, then run again."""

    n: int
    token_file: Path
    title: str
    refresh_before: str = ""
    killed_at: float = 0.0
    proc: Any = None  # a multiprocessing Process


def expired_login(sandbox, path: Path) -> str:
    """A fresh login for sandbox-user whose access token expired an hour ago."""
    body = sandbox.user_token()
    path.write_text(json.dumps(body))
    path.chmod(0o600)
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))  # expires_in counts from the file's mtime
    return body["refresh_token"]


def spent(sandbox, refresh_token: str) -> bool:
    row = sandbox.server.app.store.db.q1(
        "SELECT used FROM refresh_tokens WHERE refresh=?", refresh_token
    )
    return bool(row and row["used"])


def env_for(sandbox, home: Path, lane: Lane) -> dict:
    return sandbox_env(sandbox, home, lane.token_file)


def upload_args(audio: Path, lane: Lane) -> list[str]:
    return ["tracks", "upload", str(audio), "--title", lane.title, "--if-absent", "--json"]


@pytest.fixture(scope="module")
def processes():
    """Start processes from a fork server that has sc loaded and warm (tests/kill_child.py)."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kill_child"])
    # The fork server finds its preload on PYTHONPATH only (it is not given pytest's sys.path).
    here = str(Path(__file__).parent)
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, saved) if p)
    try:
        warm = ctx.Process(target=kill_child.ready)
        warm.start()
        warm.join(60)
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    assert warm.exitcode == 0, "the fork server did not load tests/kill_child.py"
    return ctx


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX signals and fork")
def test_kill_9_during_refresh_and_upload_leaves_a_usable_login_and_no_duplicate(
    sandbox, sc, home, tmp_path, processes
):
    rng = random.Random(os.environ.get("SC_KILL_SEED") or None)
    audio = make_wav(tmp_path / "k.wav", seconds=0.5)
    sandbox.config(transcode_delay=0)
    # A slow upload, so that kills land inside it too. (Not a slow token endpoint: a refresh
    # that the server carries out after its client died is exactly the loss no client can
    # prevent, and slowing it would only make that loss common.)
    sandbox.fault(path="/tracks", method="POST", delay=0.1, times=-1)
    lanes = [Lane(i, home / f"token-{i}.json", f"killed {i}") for i in range(KILLS)]
    span = _calibrate(sandbox, home, audio, tmp_path, processes)

    running: list[Lane] = []
    for lane in lanes:
        lane.refresh_before = expired_login(sandbox, lane.token_file)
        lane.proc = processes.Process(
            target=kill_child.run_sc, args=(upload_args(audio, lane), env_for(sandbox, home, lane))
        )
        lane.proc.start()
        lane.killed_at = time.monotonic() + rng.uniform(0, span)
        running.append(lane)
        while len(running) >= AT_ONCE or (lane is lanes[-1] and running):
            _kill_due(running)
    time.sleep(0.3)  # what the server had in hand when its client died is finished now

    lost = [lane.n for lane in lanes if _check_login(sandbox, sc, lane)]
    # Kills at random points land in that window about one time in ten here (the server's
    # rotation takes a few commits); a client that saved the rotated token late, or never,
    # would lose most of its logins.
    assert len(lost) <= KILLS // 2, f"logins {lost} lost: far more often than the window allows"
    requests.delete(sandbox.url + "/_sandbox/faults", timeout=10)  # reruns at full speed
    for lane in lanes:
        r = sc(*upload_args(audio, lane), env={"SC_TOKEN_FILE": str(lane.token_file)})
        assert r.code == 0, r
    listed = sc(
        "tracks", "list", "--all", "--json", env={"SC_TOKEN_FILE": str(lanes[0].token_file)}
    )
    titles = [t["title"] for t in listed.json if t["title"].startswith("killed ")]
    assert sorted(titles) == sorted(lane.title for lane in lanes), titles


def _kill_due(running: list[Lane]) -> None:
    """SIGKILL each process whose moment has come (unless it already ended)."""
    time.sleep(0.005)
    now = time.monotonic()
    for lane in list(running):
        assert lane.proc is not None
        if now >= lane.killed_at or lane.proc.exitcode is not None:
            lane.proc.kill()
            lane.proc.join(30)
            running.remove(lane)


def _calibrate(sandbox, home: Path, audio: Path, tmp_path: Path, processes) -> float:
    """How long one whole run takes: kills are drawn from that span."""
    lane = Lane(-1, tmp_path / "calibrate.json", "calibration")
    expired_login(sandbox, lane.token_file)
    start = time.monotonic()
    proc = processes.Process(
        target=kill_child.run_sc, args=(upload_args(audio, lane), env_for(sandbox, home, lane))
    )
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0, proc.exitcode
    return time.monotonic() - start


def _check_login(sandbox, sc, lane: Lane) -> bool:
    """The token file is valid JSON with a working refresh token; True if the login was lost
    in the one way no client can prevent (see the module docstring)."""
    text = lane.token_file.read_text()
    stored = json.loads(text)  # valid JSON, whatever moment the kill came at
    assert isinstance(stored, dict) and stored.get("refresh_token"), text
    r = sc("auth", "refresh", env={"SC_TOKEN_FILE": str(lane.token_file)})
    if r.code == 0:
        return False
    # Lost: the stored refresh token must be the one this run was given, spent by its own
    # refresh whose answer died with it; and the run says so in one line with the way out.
    assert stored["refresh_token"] == lane.refresh_before and spent(sandbox, lane.refresh_before)
    assert r.code == 4 and "sc auth login" in r.stderr and "Traceback" not in r.stderr, r
    expired_login(sandbox, lane.token_file)  # log in again, as the hint says
    return True
