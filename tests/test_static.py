"""Static checks that are part of the suite: ruff over everything, mypy over the package
(--strict over core/), and the sandbox kept in small, simple pieces."""

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


def test_mypy_the_whole_package_and_strict_core():
    """One run: the package, and core/ with --strict's flags (pyproject's override)."""
    p = run("mypy", "sccli")
    assert p.returncode == 0, p.stdout + p.stderr


def test_sandbox_modules_and_functions_stay_small():
    import ast

    too_big = []
    for path in sorted((ROOT / "sccli" / "sandbox").rglob("*.py")):
        text = path.read_text()
        name = path.relative_to(ROOT)
        if len(text.splitlines()) >= 300:
            too_big.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    too_big.append(f"{name}: {node.name}() is {length} lines")
    assert not too_big, too_big


def test_sandbox_functions_stay_simple():
    p = run(
        "ruff",
        "check",
        "--select",
        "C901",
        "--config",
        "lint.mccabe.max-complexity=10",
        "sccli/sandbox",
    )
    assert p.returncode == 0, p.stdout + p.stderr
