"""`sc stats` at scale: a snapshot against listing the same tracks, and `show` over a year.

    python bench/stats.py [--tracks 2000] [--days 365] [--runs 15]

1. A sandbox on 127.0.0.1 whose user owns --tracks tracks. `sc tracks list --all --json`
   and `sc stats snapshot --force` (the same pages, plus one transaction of --tracks rows)
   run alternately, --runs times each, each in a fresh process; the medians and their
   ratio are printed. Budget: the snapshot at most 1.2x the listing.
2. A stats database holding --days daily snapshots of --tracks tracks, written directly;
   `sc stats show --json` and `sc stats show --table` over it, --runs times each, each in a
   fresh process (start-up included). Budget: at most 1 s.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import user_token  # noqa: E402 - the sibling bench's login helper

from sccli.core.stats.store import Observed, StatsDB, TrackInfo  # noqa: E402
from sccli.sandbox.seed import SANDBOX_USER_ID  # noqa: E402
from sccli.sandbox.server import SandboxServer  # noqa: E402
from sccli.sandbox.store import Store  # noqa: E402

SNAPSHOT_BUDGET = 1.2
SHOW_BUDGET = 1.0


def sc_cmd() -> list[str]:
    sc = shutil.which("sc")
    return [sc] if sc else [sys.executable, "-m", "sccli"]


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[-4:])} failed: {p.stderr[-500:]}")
    return took


def own_sandbox(folder: Path, tracks: int) -> SandboxServer:
    """A sandbox seeded with `tracks` tracks, all of them sandbox-user's."""
    store = Store(folder, seed_tracks=tracks)
    store.db.x("UPDATE tracks SET user_id=?", SANDBOX_USER_ID)
    store.db.close()
    return SandboxServer(folder, seed_tracks=tracks).start()


def bench_snapshot(tracks: int, runs: int, tmp: Path) -> tuple[float, float]:
    server = own_sandbox(tmp / "sandbox", tracks)
    try:
        token = tmp / "token.json"
        token.write_text(json.dumps(user_token(server.url)))
        token.chmod(0o600)
        env = {
            **os.environ,
            "SC_API_URL": server.url,
            "SC_AUTH_URL": server.url,
            "SC_TOKEN_FILE": str(token),
            "SC_CONFIG_DIR": str(tmp / "cfg"),
        }
        listing = [*sc_cmd(), "tracks", "list", "--all", "--json"]
        snapshot = [*sc_cmd(), "stats", "snapshot", "--force", "--db", str(tmp / "snap.db")]
        times: dict[str, list[float]] = {"list": [], "snapshot": []}
        for _ in range(runs):  # alternating, so a slow moment hurts both alike
            times["list"].append(timed(listing, env))
            times["snapshot"].append(timed(snapshot, env))
    finally:
        server.stop()
    return statistics.median(times["list"]), statistics.median(times["snapshot"])


def year_of_snapshots(db_path: Path, tracks: int, days: int) -> None:
    """`days` daily snapshots of `tracks` tracks, the last one now; counts that grow."""
    rnd = random.Random(7)
    infos = [
        TrackInfo(f"soundcloud:tracks:{900000 + i}", f"Track {i}", "", "soundcloud:users:1")
        for i in range(tracks)
    ]
    plays = [rnd.randint(0, 100000) for _ in infos]
    now = time.time()
    with StatsDB(db_path) as db:
        for day in range(days, 0, -1):
            plays = [p + rnd.randint(0, 300) for p in plays]
            seen = [
                Observed(t, (p, p // 40, p // 300, p // 1000, 0))
                for t, p in zip(infos, plays, strict=True)
            ]
            db.record("soundcloud:users:1", now - (day - 1) * 86400.0, seen)


def bench_show(tracks: int, days: int, runs: int, tmp: Path) -> dict[str, float]:
    db = tmp / "year.db"
    year_of_snapshots(db, tracks, days)
    env = {**os.environ, "SC_CONFIG_DIR": str(tmp / "cfg-show")}
    out = {}
    for mode in ("--json", "--table"):
        cmd = [*sc_cmd(), "stats", "show", "--db", str(db), mode]
        out[mode] = statistics.median(timed(cmd, env) for _ in range(runs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=2000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        listing, snapshot = bench_snapshot(args.tracks, args.runs, tmp)
        show = bench_show(args.tracks, args.days, args.runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = snapshot / listing
    print(f"tracks                      {args.tracks} (median of {args.runs} runs each)")
    print(f"sc tracks list --all        {listing:.2f} s")
    print(f"sc stats snapshot           {snapshot:.2f} s")
    verdict = "ok" if ratio <= SNAPSHOT_BUDGET else "over budget"
    print(f"snapshot / list             {ratio:.2f}x  (budget {SNAPSHOT_BUDGET}x; {verdict})")
    for mode, took in show.items():
        verdict = "ok" if took <= SHOW_BUDGET else "over budget"
        print(
            f"stats show {mode:<8} over {args.days} daily snapshots: {took:.2f} s"
            f"  (budget {SHOW_BUDGET} s; {verdict})"
        )


if __name__ == "__main__":
    main()
