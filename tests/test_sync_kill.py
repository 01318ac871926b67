"""kill -9 at random points of `sc sync` (issue 17's acceptance test): a sync of 20 tracks is
SIGKILLed again and again, then run to its end. After each kill, every file under its final
name is whole and tagged; at the end every track's file is byte-exact against the sandbox's
original (its audio, after the one ID3 tag sync wrote), tagged once, and the archive lists
each track once. A process boundary is the point, so these are real processes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import mutagen.id3
import pytest
from conftest import SC_CMD, default_sigint, sandbox_env

TRACKS = 20
KILLS = 6
SIZE = 120 * 1024


def _env(sandbox, home: Path, token_file: Path) -> dict[str, str]:
    return sandbox_env(sandbox, home, token_file)


def _start(folder: Path, urns: list[str], env: dict[str, str]) -> subprocess.Popen:
    p = subprocess.Popen(
        [*SC_CMD, "sync", "-", str(folder), "--jobs", "3"],
        preexec_fn=default_sigint,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert p.stdin is not None
    p.stdin.write("\n".join(urns).encode() + b"\n")
    p.stdin.close()
    return p


def _audio(data: bytes) -> tuple[bytes, int]:
    """The bytes after the leading ID3v2 tags, and how many such tags there were."""
    tags = 0
    while data[:3] == b"ID3":
        size = 0
        for b in data[6:10]:
            size = (size << 7) | (b & 0x7F)
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
        tags += 1
    return data, tags


def _check_whole(folder: Path, originals: dict[str, bytes]) -> dict[str, Path]:
    """Every file under a final name: whole, tagged once, with its own track's URN."""
    found = {}
    for path in folder.iterdir():
        if path.name == ".sc-archive" or path.name.endswith(".part"):
            continue
        urn = str(mutagen.id3.ID3(path).getall("TXXX:SOUNDCLOUD_URN")[0].text[0])
        audio, tags = _audio(path.read_bytes())
        assert tags == 1, path
        assert len(mutagen.id3.ID3(path).getall("TXXX:SOUNDCLOUD_URN")) == 1
        assert audio == originals[urn], f"{path} is not whole"
        found[urn] = path
    return found


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_at_random_points_then_a_rerun_leaves_every_file_whole_and_tagged_once(
    sandbox, user_sc, home, tmp_path
):
    rng = random.Random(os.environ.get("SC_KILL_SEED") or None)
    titles = [f"Kill Test {n:02d}" for n in range(TRACKS)]
    urns = sandbox.post(
        "/_sandbox/library", json={"titles": titles, "size": SIZE, "list": "none"}
    ).json()["urns"]
    originals = {u: sandbox.get(f"/_sandbox/original/{u.rsplit(':', 1)[1]}").content for u in urns}
    sandbox.config(download_bandwidth=300_000)  # so that kills land inside downloads too
    env = _env(sandbox, home, user_sc.token_file)

    start = time.monotonic()
    calibration = _start(tmp_path / "calibration", urns, env)
    assert calibration.wait(120) == 0, calibration.stderr.read() if calibration.stderr else ""
    span = time.monotonic() - start

    folder = tmp_path / "music"
    for _ in range(KILLS):
        p = _start(folder, urns, env)
        time.sleep(rng.uniform(0.3, span / 3))  # each run has less left to do
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(30)
        if folder.exists():
            _check_whole(folder, originals)

    sandbox.config(download_bandwidth=0)
    final = _start(folder, urns, env)
    assert final.wait(120) == 0, final.stderr.read() if final.stderr else ""
    found = _check_whole(folder, originals)
    assert sorted(found) == sorted(urns)
    assert not list(folder.glob("*.part"))
    lines = [line.split("\t")[0] for line in (folder / ".sc-archive").read_text().splitlines()]
    adds = [line for line in lines if line.startswith("soundcloud:")]
    assert sorted(adds) == sorted(urns)  # each once: no duplicates


@pytest.mark.slow
def test_ctrl_c_stops_a_sync_promptly_with_exit_130_and_a_rerun_finishes_it(
    sandbox, user_sc, home, tmp_path
):
    titles = [f"Interrupted {n:02d}" for n in range(8)]
    urns = sandbox.post(
        "/_sandbox/library", json={"titles": titles, "size": SIZE, "list": "none"}
    ).json()["urns"]
    originals = {u: sandbox.get(f"/_sandbox/original/{u.rsplit(':', 1)[1]}").content for u in urns}
    sandbox.config(download_bandwidth=50_000)  # each file would take over two seconds
    env = _env(sandbox, home, user_sc.token_file)
    folder = tmp_path / "music"
    p = _start(folder, urns, env)
    deadline = time.monotonic() + 60
    while not list(folder.glob("*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until downloads are under way
    p.send_signal(signal.SIGINT)
    started = time.monotonic()
    assert p.wait(30) == 130
    assert time.monotonic() - started < 5  # the downloads in flight stopped, not finished
    _check_whole(folder, originals)
    assert list(folder.glob("*.part"))  # what came so far is kept, to resume from
    sandbox.config(download_bandwidth=0)
    again = _start(folder, urns, env)
    assert again.wait(120) == 0
    assert sorted(_check_whole(folder, originals)) == sorted(urns)
