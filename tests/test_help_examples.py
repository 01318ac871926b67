"""Every command's --help has a summary, a description or options, and examples that really run."""

import json
import re
import subprocess

import pytest
import typer
from audio import PNG, make_audio, make_wav
from conftest import SANDBOX_APP, SC_CMD, base_env

from sccli.cli.app import app
from sccli.cli.docs import walk

# Examples that wait for a person or run forever; each is exercised elsewhere (test_auth, test_sandbox).
INTERACTIVE = {
    "sc auth login",
    "sc auth login --no-browser --port 8765",
    "sc sandbox serve --port 8787 --data ./sandbox-state",
}
COMMANDS = [path for path, _ in walk(typer.main.get_command(app))]


def help_text(path: str, env) -> str:
    p = subprocess.run(
        SC_CMD + path.split()[1:] + ["--help"],
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    return p.stdout


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
def test_help_examples_run_against_the_sandbox(path, sandbox, home, tmp_path):
    env = base_env(home)
    text = help_text(path, env)
    examples = [e for e in re.findall(r"^\s+\$ (.+?)\s*$", text, re.M) if e not in INTERACTIVE]
    work = tmp_path / "work"
    work.mkdir()
    make_wav(work / "mix.wav")
    make_audio(work / "release.flac")
    (work / "cover.png").write_bytes(PNG)
    for example in examples:
        assert sandbox.post("/_sandbox/reset", json={}).status_code == 200
        sandbox.config(transcode_delay=0)
        token = home / "token.json"
        token.write_text(json.dumps(sandbox.user_token()))
        token.chmod(0o600)
        (home / "config").mkdir(exist_ok=True)
        (home / "config" / "config.ini").write_text("[default]\nsharing = public\n")
        e = {
            **env,
            "SC_API_URL": sandbox.url,
            "SC_AUTH_URL": sandbox.url,
            "SC_CLIENT_ID": SANDBOX_APP[0],
            "SC_CLIENT_SECRET": SANDBOX_APP[1],
            "SC_TOKEN_FILE": str(token),
            "TOKEN_JSON": json.dumps(sandbox.user_token()),
            "PATH": env["PATH"],
        }
        sc_dir = SC_CMD[0].rsplit("/", 1)[0] if "/" in SC_CMD[0] else ""
        if sc_dir:
            e["PATH"] = sc_dir + ":" + e["PATH"]
        p = subprocess.run(
            ["bash", "-c", example],
            cwd=work,
            env=e,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert p.returncode == 0, f"$ {example}\n{p.stderr}"
        if "auth token" not in example:  # the one command allowed to print a secret
            for secret in sandbox.secrets():
                assert secret not in p.stdout + p.stderr, f"$ {example} printed a secret"
