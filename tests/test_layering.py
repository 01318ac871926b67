"""The seams hold: core/ knows no terminal, cli/ no HTTP library, sandbox/ neither nor sc itself."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "sccli"
RULES = {
    "core": {"typer", "rich", "click", "sccli.cli", "sccli.render", "sccli.sandbox"},
    "cli": {"requests", "urllib3", "requests_toolbelt"},
    "sandbox": {"requests", "typer", "rich", "click", "sccli.core", "sccli.cli", "sccli.render"},
}


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("part", sorted(RULES))
def test_layer_imports(part):
    bad = []
    for path in sorted((PKG / part).rglob("*.py")):
        for name in imports(path):
            if any(name == f or name.startswith(f + ".") for f in RULES[part]):
                bad.append(f"{path.relative_to(PKG)} imports {name}")
    assert not bad, bad


def _is_typer_command(fn: ast.FunctionDef) -> bool:
    """A Typer command's signature is its option list: long by nature, logic-free."""
    body = [n for n in fn.body if not isinstance(n, ast.Expr)]  # the docstring
    return (
        any(
            isinstance(a.annotation, ast.Attribute)
            and getattr(a.annotation, "attr", "") == "Context"
            for a in fn.args.args
        )
        and len(body) <= 12
    )


def test_no_function_over_60_lines():
    """Short functions, each with one job (Typer signatures excepted: they list options)."""
    long = []
    for path in sorted(PKG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    start = (node.body[1] if len(node.body) > 1 else first).lineno
                else:
                    start = node.lineno
                lines = (node.end_lineno or node.lineno) - start + 1
                if lines > 60 and not _is_typer_command(node):
                    long.append(f"{path.relative_to(PKG)}:{node.lineno} {node.name} ({lines})")
    assert not long, long
