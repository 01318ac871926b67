"""Upload memory and throughput: `sc tracks upload` against `curl -F`, same file, same sandbox.

    python bench/upload.py [--mb 2048] [--runs 15]

Starts a sandbox on 127.0.0.1 in this process, makes a sparse WAV of the given size (default
2 GB, past the 1 GB the API has confirmed, so sc's note shows too), reads it once so that
neither side pays for filling the page cache, then uploads it with sc and with curl in turn,
--runs times each, and a 1 KB WAV likewise. Prints the median wall times (each command
whole, start-up included), the ratio of the throughputs (the budget's figure), sc's peak RSS
(the largest over its runs), and, from the 1 KB runs, each command's fixed cost and the
ratio of the throughputs past it. The sandbox counts the body and keeps only its first MB,
so neither upload is measured against the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from sccli.sandbox.server import SandboxServer

THROUGHPUT_BUDGET = 0.9  # sc's throughput at least this share of curl's
RSS_BUDGET_MB = 60


def user_token(url: str) -> dict:
    import base64
    import hashlib
    import secrets

    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect = "http://127.0.0.1:9/callback"
    r = requests.post(
        url + "/authorize",
        allow_redirects=False,
        data={
            "client_id": "sandbox",
            "redirect_uri": redirect,
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "b",
            "decision": "allow",
        },
    )
    code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
    return requests.post(
        url + "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": "sandbox",
            "client_secret": "sandbox-secret",
            "code_verifier": verifier,
        },
    ).json()


def sc_command() -> list[str]:
    """The `sc` installed beside this Python, else `python -m sccli`."""
    beside = Path(sys.executable).with_name("sc")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "sccli"]


def sc_env(server: SandboxServer, tmp: Path, tok: dict) -> dict[str, str]:
    """The environment that points sc at `server`, logged in with `tok`; .pyc files written
    (the warm-up run writes them), as an installed sc has them."""
    token_file = tmp / "token.json"
    token_file.write_text(json.dumps(tok))
    token_file.chmod(0o600)
    return {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "SC_API_URL": server.url,
        "SC_AUTH_URL": server.url,
        "SC_TOKEN_FILE": str(token_file),
        "SC_CLIENT_ID": "sandbox",
        "SC_CLIENT_SECRET": "sandbox-secret",
        "SC_CONFIG_DIR": str(tmp / "cfg"),
    }


# Starts a command and reports its wall time, peak RSS and exit code. A child's ru_maxrss
# counts the memory of the process it was forked from, up to its exec: forked from this
# process, which hosts the sandbox, every command would seem at least this process's size.
# Forked from this small launcher instead, the figure is the command's own.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run `cmd` to the end: its wall time (s) and its own peak RSS (MB); exits on failure."""
    p = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *cmd], env=env, capture_output=True, text=True
    )
    took, peak_kb, code = p.stdout.split() if p.returncode == 0 else ("0", "0", "-1")
    if code != "0":
        sys.exit(f"{cmd[0]} failed ({code}): {p.stderr[-800:]}")
    return float(took), int(peak_kb) / 1024


def alternate(
    runs: int, commands: dict[str, Callable[[int], list[str]]], env: dict[str, str]
) -> dict[str, tuple[list[float], float]]:
    """Each command run in turn, `runs` times over (a busier or quieter moment weighs on all
    alike), after one unmeasured run each; per command its wall times and peak RSS (MB).
    A command is made anew for each run from the run's number (-1: the warm-up)."""
    for make in commands.values():
        run(make(-1), env)
    out: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name in commands}
    for i in range(runs):
        for name, make in commands.items():
            took, rss = run(make(i), env)
            times, peak = out[name]
            times.append(took)
            out[name] = (times, max(peak, rss))
    return out


def report(mb: int, runs: int, results: dict[str, tuple[list[float], float]]) -> None:
    """The medians, throughputs, their ratio and sc's peak RSS, each against its budget; with
    runs of a tiny file ("sc tiny", "curl tiny"), also each command's fixed cost (start-up
    and the requests around the transfer) and the ratio of the throughputs past it."""
    med = {name: statistics.median(times) for name, (times, _) in results.items()}
    sc_peak = max(peak for name, (_, peak) in results.items() if name.startswith("sc"))
    print(f"file size            {mb} MB, {runs} alternating runs each (medians)")
    print(f"sc peak RSS          {sc_peak:.1f} MB  (budget: {RSS_BUDGET_MB} MB, flat in file size)")
    print(f"sc throughput        {mb / med['sc']:.0f} MB/s  ({med['sc']:.2f} s)")
    if "curl" not in med:
        print("curl                 not found: no comparison")
        return
    print(f"curl throughput      {mb / med['curl']:.0f} MB/s  ({med['curl']:.2f} s)")
    ratio = med["curl"] / med["sc"]
    print(f"sc / curl throughput {ratio:.2f}x  (budget: at least {THROUGHPUT_BUDGET}x)")
    if "sc tiny" in med and "curl tiny" in med:
        print(f"fixed cost (tiny)    sc {med['sc tiny']:.2f} s, curl {med['curl tiny']:.2f} s")
        sc_moving = med["sc"] - med["sc tiny"]
        curl_moving = med["curl"] - med["curl tiny"]
        print(
            f"past the fixed cost  sc {mb / sc_moving:.0f} MB/s, curl {mb / curl_moving:.0f} MB/s"
            f" ({curl_moving / sc_moving:.2f}x)"
        )


def sparse_wav(path: Path, mb: int) -> None:
    """A WAV header, then silence up to `mb` MB that takes no disk (`mb` 0: 1 KB); read
    once, so that the page cache holds it for every run alike."""
    with open(path, "wb") as f:
        f.write(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(28))
        f.truncate(mb * 2**20 or 1024)
    with open(path, "rb") as f:
        while f.read(2**20):
            pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=2048, help="file size in MB (default 2048)")
    ap.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    server = SandboxServer(tmp / "sandbox").start()
    try:
        requests.post(server.url + "/_sandbox/config", json={"keep_upload_bytes": 2**20})
        tok = user_token(server.url)
        env = sc_env(server, tmp, tok)
        audio = tmp / "bench.wav"
        sparse_wav(audio, args.mb)
        tiny = tmp / "tiny.wav"
        sparse_wav(tiny, 0)

        def sc(path: Path) -> Callable[[int], list[str]]:
            return lambda i: [*sc_command(), "tracks", "upload", str(path), "--title", f"sc{i}"]

        def curl(path: Path) -> Callable[[int], list[str]]:
            return lambda i: [
                curl_exe, "-sf", "-o", "/dev/null",
                "-H", f"Authorization: OAuth {tok['access_token']}",
                "-F", f"track[title]=curl{i}", "-F", f"track[asset_data]=@{path}",
                server.url + "/tracks",
            ]  # fmt: skip

        commands = {"sc": sc(audio)}
        curl_exe = shutil.which("curl")
        if curl_exe:
            commands |= {"curl": curl(audio), "sc tiny": sc(tiny), "curl tiny": curl(tiny)}
        results = alternate(args.runs, commands, env)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(args.mb, args.runs, results)


if __name__ == "__main__":
    main()
