"""Start-up stays light: --version and --help import none of the heavy modules."""

import json
import os
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


GC_PROBE = """
import gc, sys
sys.argv = ["sc"] + {args!r}
import sccli.cli.tracks as tracks
seen = []
real = tracks.run_search
tracks.run_search = lambda sc, o: seen.append(gc.isenabled())  # what the command runs with
from sccli.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("GC=%s %s\\n" % (seen, gc.isenabled()))
"""


def test_the_collector_is_off_for_start_up_only(tmp_path):
    """cli.main turns the garbage collector off while it imports (start-up makes objects
    that live as long as the process); a command runs with it on, so a long sync or upload
    collects its cycles. The process boundary is the point: the tests' in-process main()
    never turns it off."""
    env = {**os.environ, "SC_CONFIG_DIR": str(tmp_path), "SC_ACCESS_TOKEN": "x"}
    probe = GC_PROBE.format(args=["tracks", "search", "buskers"])
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    line = [x for x in p.stderr.splitlines() if x.startswith("GC=")]
    assert line == ["GC=[True] True"], p.stderr[-2000:]


def test_a_lazy_group_builds_the_verbs_typer_would():
    """app._lazy_group builds each verb on first look-up with Typer's own helpers (internal
    ones: this compares the result with typer.main.get_group, verb by verb, for every group)."""
    import importlib

    import typer

    from sccli.cli.app import _lazy_group
    from sccli.cli.registry import COMMANDS

    def shape(cmd) -> tuple:
        params = tuple(
            (p.name, tuple(p.opts), p.required, p.multiple, p.default, p.metavar)
            for p in cmd.params
        )
        subs = getattr(cmd, "commands", None)
        return (cmd.name, cmd.help, params, tuple(subs) if subs is not None else None)

    checked = 0
    for entry in COMMANDS:
        app = importlib.import_module(f"sccli.cli.{entry.module}").app
        lazy, eager = _lazy_group(app), typer.main.get_group(app)
        assert list(lazy.commands) == list(eager.commands), entry.name
        for name in eager.commands:
            assert shape(lazy.commands[name]) == shape(eager.commands[name]), name
            checked += 1
    assert checked > 60


def test_a_closed_or_full_stdout_is_one_line_not_a_traceback(tmp_path):
    """`sc ... >&-` and `sc ... > /dev/full`: one `error:` line on stderr and exit 1. The
    process boundary is the point (the file descriptor is what is closed or full)."""
    env = {**os.environ, "SC_CONFIG_DIR": str(tmp_path)}
    for args in (["--version"], ["--help"], ["config", "path"]):
        closed = subprocess.run(
            [sys.executable, "-m", "sccli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=env, preexec_fn=lambda: os.close(1),
        )  # fmt: skip
        assert closed.returncode == 1, (args, closed.stderr)
        assert closed.stderr == "error: cannot write the output: standard output is closed\n"
        if os.path.exists("/dev/full"):
            with open("/dev/full", "w") as full:
                r = subprocess.run(
                    [sys.executable, "-m", "sccli", *args], stdout=full, stderr=subprocess.PIPE,
                    text=True, env=env,
                )  # fmt: skip
            assert r.returncode == 1 and "Traceback" not in r.stderr, (args, r.stderr)
            assert "No space left on device" in r.stderr.splitlines()[0], (args, r.stderr)
