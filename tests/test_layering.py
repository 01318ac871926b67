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
