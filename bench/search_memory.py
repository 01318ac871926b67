"""Peak memory of a streamed listing: `sc tracks search "" --all --ndjson` at two scales.

    python bench/search_memory.py [--small 1000] [--large 20000]

Starts two sandboxes on 127.0.0.1 seeded with that many tracks (`--seed-tracks`), runs the
same search over each in a fresh process, reads every line, and prints each run's peak RSS,
the lines read, and their ratio. The budget: the large run within 10% of the small one,
because pages are printed as they arrive and never gathered.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from sccli.sandbox.server import SandboxServer

# Runs sc in a child and reports the child's peak RSS (KiB on Linux) and the lines it printed.
MEASURE = """
import resource, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
lines = sum(1 for _ in p.stdout)
code = p.wait()
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, lines, code)
"""


def measure(n: int, tmp: Path) -> tuple[int, int]:
    server = SandboxServer(tmp / f"sandbox-{n}", seed_tracks=n).start()
    try:
        token = requests.post(
            server.url + "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox", "sandbox-secret"),
            timeout=30,
        ).json()["access_token"]
        env = {
            **os.environ,
            "SC_API_URL": server.url,
            "SC_ACCESS_TOKEN": token,
            "SC_CONFIG_DIR": str(tmp / "cfg"),
        }
        sc = [sys.executable, "-m", "sccli", "tracks", "search", "", "--all", "--ndjson"]
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *sc], env=env, capture_output=True, text=True
        )
        rss, lines, code = (int(x) for x in out.stdout.split())
        if code:
            sys.exit(f"sc failed at {n} tracks: {out.stderr[-500:]}")
        return rss, lines
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=20000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    small_rss, small_n = measure(args.small, tmp)
    large_rss, large_n = measure(args.large, tmp)
    print(f"{small_n:>7} results: peak RSS {small_rss / 1024:6.1f} MB")
    print(f"{large_n:>7} results: peak RSS {large_rss / 1024:6.1f} MB")
    print(f"ratio {large_rss / small_rss:.2f}x  (budget 1.10x)")


if __name__ == "__main__":
    main()
