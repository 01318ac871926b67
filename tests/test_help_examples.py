"""Every command's --help has a summary, a description or options, and examples that really run."""

import json
import re
import shlex
import subprocess

import pytest
from audio import PNG, make_audio, make_wav
from conftest import SANDBOX_APP, SC_CMD, base_env, run_inprocess, sandbox_env

from sccli.cli.app import command
from sccli.cli.docs import walk

# Examples that wait for a person or run forever; each is exercised elsewhere (test_auth, test_sandbox).
INTERACTIVE = {
    "sc auth login",
    "sc auth login --no-browser --port 8765",
    "sc sandbox serve --port 8787 --data ./sandbox-state",
}
COMMANDS = [path for path, _ in walk(command())]


def help_text(path: str, env) -> str:
    r = run_inprocess(path.split()[1:] + ["--help"], {**env, "COLUMNS": "200"}, None)
    assert r.code == 0, r
    return r.stdout


def sc_pipeline(example: str) -> list[list[str]] | None:
    """The stages of an example made only of `sc ...` commands joined by pipes, else None
    (anything else the shell must run: variables, process substitution, other programs)."""
    if any(c in example for c in "$<>;&`"):
        return None
    stages = [shlex.split(part) for part in example.split("|")]
    return [s[1:] for s in stages] if all(s and s[0] == "sc" for s in stages) else None


def run_example(example: str, env: dict, cwd) -> tuple[int, str]:
    """In-process when it is sc alone (stdout of one stage is the next one's stdin)."""
    stages = sc_pipeline(example)
    if stages is None:
        p = subprocess.run(
            ["bash", "-c", example],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        return p.returncode, p.stdout + p.stderr
    text, out = None, ""
    for args in stages:
        r = run_inprocess(args, env, text)
        text, out = r.stdout, out + r.stdout + r.stderr
        if r.code:
            return r.code, out
    return 0, out


@pytest.mark.parametrize("path", COMMANDS)
def test_help_has_summary_and_examples(path, home):
    text = help_text(path, base_env(home))
    paragraphs = [" ".join(p.split()) for p in text.split("Usage:", 1)[1].split("\n\n")[1:]]
    summary, description = paragraphs[0], paragraphs[1]
    assert summary.endswith(".") and len(summary) < 100, summary
    assert description, "a description or the examples follow the summary"
    examples = re.findall(r"^\s+\$ (.+?)\s*$", text, re.M)
    assert examples, f"{path} --help has no examples"
    verb = path.split()[-1]
    assert all(verb in e.split() for e in examples), examples


@pytest.mark.parametrize("path", COMMANDS)
def test_help_examples_run_against_the_sandbox(path, sandbox, home, tmp_path, monkeypatch):
    env = base_env(home)
    text = help_text(path, env)
    examples = [e for e in re.findall(r"^\s+\$ (.+?)\s*$", text, re.M) if e not in INTERACTIVE]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    make_wav(work / "mix.wav")
    make_audio(work / "release.flac")
    (work / "cover.png").write_bytes(PNG)
    app = {"client_id": SANDBOX_APP[0], "client_secret": SANDBOX_APP[1], "name": "sc"}
    (work / "app.json").write_text(json.dumps(app))  # as sc-api-auth prints it
    for i, example in enumerate(examples):
        if i:  # each example on the seed state; the fixture's sandbox is fresh for the first
            assert sandbox.post("/_sandbox/reset", json={}).status_code == 200
        sandbox.config(transcode_delay=0)
        token = home / "token.json"
        token.write_text(json.dumps(sandbox.user_token()))
        token.chmod(0o600)
        (home / "config").mkdir(exist_ok=True)
        (home / "config" / "config.ini").write_text("[default]\nsharing = public\n")
        e = {
            **env,
            **sandbox_env(sandbox, home, token),
            "TOKEN_JSON": json.dumps(sandbox.user_token()),
            "PATH": env["PATH"],
        }
        sc_dir = SC_CMD[0].rsplit("/", 1)[0] if "/" in SC_CMD[0] else ""
        if sc_dir:
            e["PATH"] = sc_dir + ":" + e["PATH"]
        code, out = run_example(example, e, work)
        assert code == 0, f"$ {example}\n{out}"
        if "auth token" not in example:  # the one command allowed to print a secret
            for secret in sandbox.secrets():
                assert secret not in out, f"$ {example} printed a secret"
