"""Start-up cost of `sc`, as ratios against references measured in the same run.

    python bench/startup.py [--runs N]

Prints the median wall time of each command and the ratios the budget speaks of:
`sc --version` against `gh --version` (if gh is installed) and bare `python -c pass`,
and `sc --help` against the --help of a bare two-command Typer app.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_TYPER = '''
import typer
app = typer.Typer()
@app.command()
def one(): """One."""
@app.command()
def two(): """Two."""
app()
'''


def median_time(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True)  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    runs = ap.parse_args().runs
    sc = shutil.which("sc") or sys.exit("install sccli first (pip install .)")
    bare = Path(tempfile.mkdtemp()) / "bare.py"
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


if __name__ == "__main__":
    main()
