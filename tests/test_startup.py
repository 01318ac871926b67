"""Start-up stays light: --version and --help import none of the heavy modules."""

import json
import subprocess
import sys

PROBE = """
import sys
sys.argv = ["sc"] + {args!r}
from sccli.cli.app import main
try:
    main()
except SystemExit:
    pass
mods = sorted(m for m in sys.modules if m.split(".")[0] in ("requests", "keyring", "werkzeug", "rich", "urllib3", "jmespath", "pydantic"))
sys.stderr.write("MODULES=" + __import__("json").dumps(mods) + "\\n")
"""


def loaded(*args: str) -> set:
    p = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True
    )
    line = [x for x in p.stderr.splitlines() if x.startswith("MODULES=")][0]
    return set(json.loads(line[8:]))


def test_version_imports_nothing_heavy():
    mods = loaded("--version")
    assert not {m.split(".")[0] for m in mods} & {
        "requests",
        "keyring",
        "werkzeug",
        "rich",
        "urllib3",
    }


def test_help_imports_no_http_keyring_server_or_rich():
    mods = loaded("--help")
    assert not {m.split(".")[0] for m in mods} & {
        "requests",
        "keyring",
        "werkzeug",
        "urllib3",
        "rich",
    }


def test_group_help_is_light_too():
    mods = loaded("tracks", "upload", "--help")
    assert not {m.split(".")[0] for m in mods} & {"requests", "keyring", "werkzeug"}


def test_running_a_command_does_not_build_pydantic_adapters():
    """Typer would coerce each parameter through pydantic; sc's plain ones are coerced plainly
    (sccli/cli/_coerce.py), which is most of the start-up budget of a real command."""
    mods = loaded("--profile", "x", "config", "path")
    assert "pydantic" not in {m.split(".")[0] for m in mods}
