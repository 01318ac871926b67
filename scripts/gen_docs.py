"""Regenerate completions/ and man/ from the app. Run after changing commands or options."""

from pathlib import Path

from sccli.cli.completion import SHELLS, script
from sccli.cli.docs import man_pages

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    **{
        ROOT / "completions" / name: shell
        for shell, name in zip(SHELLS, ("sc.bash", "_sc", "sc.fish"), strict=True)
    },
}


def generated() -> dict[Path, str]:
    out = {path: script(shell) for path, shell in TARGETS.items()}
    out.update({ROOT / "man" / name: text for name, text in man_pages().items()})
    return out


if __name__ == "__main__":
    for path, text in generated().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
