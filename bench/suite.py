"""The whole test suite's wall time, as CI runs it (system tests required).

    python bench/suite.py

Runs README's test command (`python -m pytest -q`, two workers on two cores) with
SC_REQUIRE_SYSTEM_TESTS=1, and prints the number of tests, the wall time, the CPU time of the
run and the cores it had. The budget: 90 s on a 2-core machine.
"""

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    env = {**os.environ, "SC_REQUIRE_SYSTEM_TESTS": "1"}
    start = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = (p.stdout.strip().splitlines() or ["?"])[-1]
    passed = re.search(r"(\d+) passed", summary)
    for line in p.stdout.splitlines():
        if line.startswith("FAILED "):  # a failed run's figure is no figure: say which
            print(line)
    print(summary)
    print(
        f"{passed.group(1) if passed else '?'} tests in {wall:.1f} s wall, "
        f"{usage.ru_utime + usage.ru_stime:.1f} s CPU, on {os.cpu_count()} cores "
        f"(budget 90 s on 2 cores)"
    )
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
