"""Start-up cost of `sc`, as ratios against references measured in the same run.

    python bench/startup.py [--runs N]     (N >= 15 for a figure worth quoting)

Each comparison runs its two commands alternately, N times each, so a machine that gets
busier or quieter during the run weighs on both alike; it prints the medians and the ratios
the budgets speak of:
`sc --version` against `gh --version` (if gh is installed) and bare `python -c pass`,
`sc --help` against the --help of a bare two-command Typer app, and one page of
`sc tracks search buskers --json` against a bare `requests.get` script that fetches and
prints the same page from the same sandbox (budget 1.3x).
"""

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sccli

BARE_TYPER = '''
import typer
app = typer.Typer()
@app.command()
def one(): """One."""
@app.command()
def two(): """Two."""
app()
'''


BARE_REQUESTS = """
import sys, requests
r = requests.get(sys.argv[1] + "/tracks", params={"q": "buskers", "limit": 50,
    "linked_partitioning": "true"}, headers={"Authorization": "OAuth " + sys.argv[2]}, timeout=60)
sys.stdout.write(r.text)
"""


def _once(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env)
    took = time.perf_counter() - t
    if p.returncode:
        sys.exit(f"{cmd} failed: {p.stderr.decode()[-500:]}")
    return took


def alternating(cmds: dict[str, list[str]], runs: int, env: dict | None = None) -> dict:
    """The median wall time of each command, the commands run in turn `runs` times over."""
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    for cmd in cmds.values():
        _once(cmd, env)  # warm the page cache and the .pyc files
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(_once(cmd, env))
    return {name: statistics.median(t) for name, t in times.items()}


def search_times(sc: list[str], runs: int, tmp: Path) -> tuple[float, float]:
    """One page of search, sc against a bare requests script, on a sandbox in this process."""
    import requests

    from sccli.sandbox.server import SandboxServer

    server = SandboxServer(tmp / "sandbox").start()
    try:
        token = requests.post(
            server.url + "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox", "sandbox-secret"),
            timeout=10,
        ).json()["access_token"]
        env = {
            **os.environ,
            "SC_API_URL": server.url,
            "SC_ACCESS_TOKEN": token,
            "SC_CONFIG_DIR": str(tmp / "cfg"),
        }
        script = tmp / "bare_requests.py"
        script.write_text(BARE_REQUESTS)
        got = alternating(
            {
                "ours": [*sc, "tracks", "search", "buskers", "--json"],
                "bare": [sys.executable, str(script), server.url, token],
            },
            runs,
            env,
        )
        return got["ours"], got["bare"]
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    runs = ap.parse_args().runs
    found = shutil.which("sc")
    sc = [found] if found else [sys.executable, "-m", "sccli"]  # a clone: python -m sccli
    # An installed package has its bytecode compiled (pip does it); so must this one's.
    compileall.compile_dir(str(Path(sccli.__file__).parent), quiet=1)
    tmp = Path(tempfile.mkdtemp())
    bare = tmp / "bare.py"
    bare.write_text(BARE_TYPER)
    gh = shutil.which("gh")
    results = alternating(
        {
            "python -c pass": [sys.executable, "-c", "pass"],
            "sc --version": [*sc, "--version"],
            **({"gh --version": [gh, "--version"]} if gh else {}),
        },
        runs,
    )
    results |= alternating(
        {"sc --help": [*sc, "--help"], "bare typer --help": [sys.executable, str(bare), "--help"]},
        runs,
    )
    results["sc tracks search"], results["bare requests.get"] = search_times(sc, runs, tmp)
    for name, secs in results.items():
        print(f"{name:20s} {secs * 1000:8.1f} ms")
    print()
    print(
        f"sc --version / python -c pass : {results['sc --version'] / results['python -c pass']:.2f}x"
    )
    if gh:
        print(
            f"sc --version / gh --version   : {results['sc --version'] / results['gh --version']:.2f}x  (budget 1.5x)"
        )
    else:
        print("sc --version / gh --version   : gh not installed")
    print(
        f"sc --help / bare typer --help : {results['sc --help'] / results['bare typer --help']:.2f}x  (budget 0.6x)"
    )
    print(
        f"sc tracks search / requests.get: {results['sc tracks search'] / results['bare requests.get']:.2f}x  (budget 1.3x)"
    )


if __name__ == "__main__":
    main()
