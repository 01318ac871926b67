"""`sc sync`: parallel downloads, a sync with nothing new, and peak memory at scale.

    python bench/sync.py [--tracks 200] [--mb 2] [--bandwidth 4000000] [--rss-tracks 2000]
                         [--runs 1]

Starts a sandbox on 127.0.0.1 whose original files are served at no more than --bandwidth
bytes a second per connection (POST /_sandbox/config {"download_bandwidth": N}) and gives
sandbox-user --tracks more liked tracks of --mb MB (POST /_sandbox/library). Then, --runs
times, alternating:
- `sc sync likes DIR --jobs 1` and `--jobs 4` into fresh folders: target, --jobs 4 takes at
  most 0.35x the time of --jobs 1;
- a second `sc sync likes DIR` (nothing new) against `sc likes --all --json` (listing the
  source alone): target, at most 2x;
and once, with --rss-tracks small liked tracks, the peak RSS of a whole sync: target, at most
80 MB. Prints the medians. Prove it at a small size (--tracks 8 --mb 0.2 --rss-tracks 50);
quote figures only from an idle machine.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import user_token  # noqa: E402 - the sibling bench's login helper

from sccli.sandbox.server import SandboxServer  # noqa: E402

JOBS_TARGET, NOTHING_NEW_TARGET, RSS_TARGET_MB = 0.35, 2.0, 80.0


class Bench:
    def __init__(self, url: str, tmp: Path):
        self.url = url
        self.tmp = tmp
        token_file = tmp / "token.json"
        token_file.write_text(json.dumps(user_token(url)))
        token_file.chmod(0o600)
        self.env = {
            **os.environ,
            "SC_API_URL": url,
            "SC_AUTH_URL": url,
            "SC_TOKEN_FILE": str(token_file),
            "SC_CONFIG_DIR": str(tmp / "cfg"),
        }
        sc = shutil.which("sc")
        self.cmd = [sc] if sc else [sys.executable, "-m", "sccli"]
        self.n = 0

    def run(self, *args: str) -> tuple[float, float]:
        """Seconds and peak RSS (MB) of one `sc` run, which must succeed."""
        start = time.perf_counter()
        p = subprocess.Popen(
            [*self.cmd, *args], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(p.pid, 0)
        took = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            sys.exit(f"sc {' '.join(args)} failed: {p.stderr.read().decode() if p.stderr else ''}")
        return took, usage.ru_maxrss / 1024

    def fresh(self) -> str:
        self.n += 1
        return str(self.tmp / f"music-{self.n}")

    def post(self, path: str, body: dict) -> dict:
        r = requests.post(self.url + path, json=body, timeout=600)
        r.raise_for_status()
        return r.json()


def measure(b: Bench, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"jobs1": [], "jobs4": [], "again": [], "list": []}
    for _ in range(runs):
        out["jobs1"].append(b.run("sync", "likes", b.fresh(), "--jobs", "1")[0])
        folder = b.fresh()
        out["jobs4"].append(b.run("sync", "likes", folder, "--jobs", "4")[0])
        out["again"].append(b.run("sync", "likes", folder)[0])
        out["list"].append(b.run("likes", "--all", "--json")[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=200)
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--bandwidth", type=int, default=4_000_000, help="bytes/s per connection")
    ap.add_argument("--rss-tracks", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=1, help="alternating runs (15 for README)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    server = SandboxServer(tmp / "sandbox").start()
    try:
        b = Bench(server.url, tmp)
        size = int(args.mb * 2**20)
        b.post("/_sandbox/library", {"count": args.tracks, "size": size})
        b.post("/_sandbox/config", {"download_bandwidth": args.bandwidth})
        times = measure(b, args.runs)
        b.post("/_sandbox/config", {"download_bandwidth": 0})
        b.post("/_sandbox/library", {"count": args.rss_tracks, "size": 4096})
        _, rss = b.run("sync", "likes", b.fresh(), "--jobs", "4")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(args, {k: statistics.median(v) for k, v in times.items()}, rss)


def report(args: argparse.Namespace, t: dict[str, float], rss: float) -> None:
    def verdict(ok: bool) -> str:
        return "ok" if ok else "over target"

    jobs, again = t["jobs4"] / t["jobs1"], t["again"] / t["list"]
    print(f"library: {args.tracks} liked tracks of {args.mb} MB at {args.bandwidth} B/s each")
    print(f"sync --jobs 1             {t['jobs1']:.2f} s   (median of {args.runs})")
    print(f"sync --jobs 4             {t['jobs4']:.2f} s")
    print(
        f"--jobs 4 / --jobs 1       {jobs:.2f}x  (target <= {JOBS_TARGET}; {verdict(jobs <= JOBS_TARGET)})"
    )
    print(f"sync with nothing new     {t['again']:.2f} s")
    print(f"sc likes --all (listing)  {t['list']:.2f} s")
    print(
        f"nothing new / listing     {again:.2f}x  (target <= {NOTHING_NEW_TARGET}; "
        f"{verdict(again <= NOTHING_NEW_TARGET)})"
    )
    total = args.tracks + args.rss_tracks
    print(
        f"peak RSS, sync of {total} tracks: {rss:.1f} MB  (target <= {RSS_TARGET_MB}; "
        f"{verdict(rss <= RSS_TARGET_MB)})"
    )


if __name__ == "__main__":
    main()
