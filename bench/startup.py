"""Start-up cost of `sc`, as ratios against references measured in the same run.

    python bench/startup.py [--runs N]

Prints the median wall time of each command and the ratios the budgets speak of:
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


def median_time(cmd: list[str], runs: int, env: dict | None = None) -> float:
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, env=env)  # warm the page cache and the .pyc files
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, env=env)
        times.append(time.perf_counter() - t)
        if p.returncode:
            sys.exit(f"{cmd} failed: {p.stderr.decode()[-500:]}")
    return statistics.median(times)


def search_times(sc: str, runs: int, tmp: Path) -> tuple[float, float]:
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
        bare = median_time([sys.executable, str(script), server.url, token], runs, env)
        ours = median_time([sc, "tracks", "search", "buskers", "--json"], runs, env)
        return ours, bare
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    runs = ap.parse_args().runs
    sc = shutil.which("sc") or sys.exit("install sccli first (pip install .)")
    # An installed package has its bytecode compiled (pip does it); so must this one's.
    compileall.compile_dir(str(Path(sccli.__file__).parent), quiet=1)
    tmp = Path(tempfile.mkdtemp())
    bare = tmp / "bare.py"
    bare.write_text(BARE_TYPER)
    results = {
        "python -c pass": median_time([sys.executable, "-c", "pass"], runs),
        "sc --version": median_time([sc, "--version"], runs),
        "sc --help": median_time([sc, "--help"], runs),
        "bare typer --help": median_time([sys.executable, str(bare), "--help"], runs),
    }
    gh = shutil.which("gh")
    if gh:
        results["gh --version"] = median_time([gh, "--version"], runs)
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
        f"sc --help / bare typer --help : {results['sc --help'] / results['bare typer --help']:.2f}x  (budget 1.0x)"
    )
    print(
        f"sc tracks search / requests.get: {results['sc tracks search'] / results['bare requests.get']:.2f}x  (budget 1.3x)"
    )


if __name__ == "__main__":
    main()
