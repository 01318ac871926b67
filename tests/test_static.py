"""Static checks that are part of the suite: ruff over everything, mypy over core/."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_and_format():
    for args in (("check", "."), ("format", "--check", ".")):
        p = run("ruff", *args)
        assert p.returncode == 0, p.stdout + p.stderr


def test_mypy_core():
    p = run("mypy", "sccli/core")
    assert p.returncode == 0, p.stdout + p.stderr
