"""completions/ and man/ are generated from the app, fresh, and lint-clean; completion works."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def test_completions_and_man_pages_are_fresh():
    from gen_docs import generated

    stale = [
        str(p.relative_to(ROOT))
        for p, text in generated().items()
        if not p.exists() or p.read_text() != text
    ]
    assert not stale, f"stale: {stale}; run python scripts/gen_docs.py"


def test_sc_completion_prints_the_checked_in_scripts(sc):
    for shell, name in (("bash", "sc.bash"), ("zsh", "_sc"), ("fish", "sc.fish")):
        r = sc("completion", shell)
        assert r.code == 0 and r.stdout == (ROOT / "completions" / name).read_text()


def test_man_pages_have_no_groff_warnings():
    if not shutil.which("groff"):
        if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
            pytest.fail("groff is required here (.ci/run installs it)")
        pytest.skip("groff is not installed")
    pages = sorted((ROOT / "man").glob("*.1"))
    assert len(pages) >= 7  # sc.1 and one page per command group
    for page in pages:
        p = subprocess.run(
            ["groff", "-man", "-ww", "-z", str(page)], capture_output=True, text=True
        )
        assert p.returncode == 0 and p.stderr == "", f"{page.name}: {p.stderr}"


def test_man_pages_document_every_command_and_option():
    from sccli.cli.app import command
    from sccli.cli.docs import walk

    man = ROOT / "man"
    main = (man / "sc.1").read_text()
    for needle in ("SC_TOKEN_FILE", ".SH EXIT STATUS", ".SH FILES", ".SH EXAMPLES", "sc\\-tracks"):
        assert needle in main, needle
    everything = "".join(p.read_text() for p in man.glob("*.1"))
    for path, cmd in walk(command()):
        assert ".SS " + path.replace("-", "\\-") in everything, path
        for param in cmd.params:
            if getattr(param, "hidden", False):
                continue
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt.replace("-", "\\-") in everything, f"{path} {opt}"


def complete(sc, line: str) -> list[str]:
    words = line.split(" ")
    r = sc(
        env={
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            "_SC_COMPLETE": "complete_bash",
        },
        subprocess=True,  # the shell's protocol: environment variables read by click itself
    )
    assert r.code == 0, r
    return r.stdout.split()


@pytest.mark.parametrize(
    "line,expected",
    [
        ("sc tr", {"tracks"}),
        ("sc tracks ", {"search", "upload", "update", "get", "list", "delete", "comments"}),
        ("sc tracks search --li", {"--license", "--limit"}),
        (
            "sc tracks search --license cc-by-n",
            {"cc-by-nc", "cc-by-nd", "cc-by-nc-nd", "cc-by-nc-sa"},
        ),
        ("sc tracks upload --sharing ", {"public", "private"}),
        ("sc stream-url 1 --format ", {"hls-aac", "hls-mp3", "preview"}),
        ("sc playlists create x --type ", {"album", "playlist"}),
        ("sc completion ", {"bash", "zsh", "fish"}),
    ],
)
def test_bash_completion_candidates(sc, line, expected):
    got = set(complete(sc, line))
    assert expected <= got, got


def test_profile_names_complete(sc, home):
    assert sc("--profile", "work", "config", "set", "sharing", "public").code == 0
    assert sc("--profile", "band", "config", "set", "sharing", "private").code == 0
    assert {"work", "band"} <= set(complete(sc, "sc --profile "))
