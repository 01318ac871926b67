"""Parallel uploads: a 10-track `sc release push` with --jobs 4 against --jobs 1.

    python bench/release.py [--tracks 10] [--mb 2] [--bandwidth 1000000]

Starts a sandbox on 127.0.0.1 that limits each connection to --bandwidth bytes per second
(POST /_sandbox/config {"bandwidth": N}), makes a release of --tracks WAV files of --mb MB,
pushes it with --jobs 1 and then, after a reset, with --jobs 4, and prints both times and
their ratio. Target: at most 0.35. Ten uploads four at a time take three rounds, so 0.30 is
the floor; start-up, the plan's reads and the set's write are paid once either way, which is
why the tracks are a few MB (real ones are tens). A sandbox without the bandwidth setting
gets an equivalent delay per upload instead (a fault), and the bench says so.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import user_token  # noqa: E402 - the sibling bench's login helper

from sccli.sandbox.server import SandboxServer  # noqa: E402

TARGET = 0.35


def make_release(folder: Path, tracks: int, mb: float) -> Path:
    """WAV files of `mb` MB (silence: the bench measures transfer, not content)."""
    folder.mkdir(parents=True)
    lines = ["[release]", 'title = "Bench Release"', 'type = "album"']
    size = int(mb * 2**20)
    for i in range(tracks):
        path = folder / f"{i + 1:02d}-take.wav"
        frames = size - 44
        rate = 8000 + i  # distinct durations, so no track is mistaken for another
        header = (
            b"RIFF"
            + (36 + frames).to_bytes(4, "little")
            + b"WAVEfmt "
            + (16).to_bytes(4, "little")
            + (1).to_bytes(2, "little")
            + (1).to_bytes(2, "little")
            + rate.to_bytes(4, "little")
            + rate.to_bytes(4, "little")
            + (1).to_bytes(2, "little")
            + (8).to_bytes(2, "little")
            + b"data"
            + frames.to_bytes(4, "little")
        )
        with open(path, "wb") as f:
            f.write(header)
            f.truncate(size)
        lines += ["", "[[track]]", f'file = "{path.name}"', f'title = "Take {i + 1}"']
    manifest = folder / "release.toml"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest


def limit_bandwidth(url: str, bandwidth: int, mb: float) -> str:
    r = requests.post(url + "/_sandbox/config", json={"bandwidth": bandwidth}, timeout=10)
    if r.status_code == 200:
        return f"sandbox bandwidth limit: {bandwidth} B/s per connection"
    delay = mb * 2**20 / bandwidth
    spec = {"path": "/tracks", "method": "POST", "delay": delay, "times": -1}
    requests.post(url + "/_sandbox/faults", json=spec, timeout=10).raise_for_status()
    return (
        "this sandbox has no bandwidth setting: each upload is delayed "
        f"{delay:.2f} s instead (the time {mb} MB takes at {bandwidth} B/s)"
    )


def push(url: str, manifest: Path, jobs: int, tmp: Path) -> float:
    token_file = tmp / f"token-{jobs}.json"
    token_file.write_text(json.dumps(user_token(url)))
    token_file.chmod(0o600)
    (manifest.parent / "release.lock.json").unlink(missing_ok=True)
    env = {
        **os.environ,
        "SC_API_URL": url,
        "SC_AUTH_URL": url,
        "SC_TOKEN_FILE": str(token_file),
        "SC_CONFIG_DIR": str(tmp / "cfg"),
    }
    sc = shutil.which("sc")
    cmd = [sc] if sc else [sys.executable, "-m", "sccli"]
    cmd += ["release", "push", str(manifest), "--jobs", str(jobs)]
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"push --jobs {jobs} failed: {p.stderr}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=10)
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--bandwidth", type=int, default=1_000_000, help="bytes/s per connection")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    server = SandboxServer(tmp / "sandbox").start()
    try:
        manifest = make_release(tmp / "release", args.tracks, args.mb)
        times = {}
        for jobs in (1, 4):
            requests.post(server.url + "/_sandbox/reset", json={}, timeout=30).raise_for_status()
            how = limit_bandwidth(server.url, args.bandwidth, args.mb)
            times[jobs] = push(server.url, manifest, jobs, tmp)
            stats = requests.get(server.url + "/_sandbox/stats", timeout=10).json()
            peak = stats.get("max_concurrent_uploads")
            if peak is not None:
                print(f"--jobs {jobs}: at most {peak} uploads at once")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = times[4] / times[1]
    print(how)
    print(f"release              {args.tracks} tracks of {args.mb} MB")
    print(f"push --jobs 1        {times[1]:.2f} s")
    print(f"push --jobs 4        {times[4]:.2f} s")
    verdict = "ok" if ratio <= TARGET else "over target"
    print(f"--jobs 4 / --jobs 1  {ratio:.2f}x  (target: at most {TARGET}x; {verdict})")


if __name__ == "__main__":
    main()
