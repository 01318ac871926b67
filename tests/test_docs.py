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


def test_man_page_has_no_groff_warnings():
    if not shutil.which("groff"):
        if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
            pytest.fail("groff is required here (.ci/run installs it)")
        pytest.skip("groff is not installed")
    p = subprocess.run(
        ["groff", "-man", "-ww", "-z", str(ROOT / "man" / "sc.1")], capture_output=True, text=True
    )
    assert p.returncode == 0 and p.stderr == "", p.stderr


def test_man_page_documents_every_command_option_and_exit_code():
    text = (ROOT / "man" / "sc.1").read_text()
    for needle in (
        "sc tracks upload",
        "\\-\\-if\\-absent",
        "sc playlists add",
        "SC_TOKEN_FILE",
        ".SH EXIT STATUS",
        ".SH FILES",
        ".SH EXAMPLES",
        "\\-\\-license",
    ):
        assert needle in text, needle


def complete(sc, line: str) -> list[str]:
    words = line.split(" ")
    r = sc(
        env={"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1), "_SC_COMPLETE": "complete_bash"}
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
