"""README's "Releasing from CI" recipes, run as written against the sandbox.

The GitHub Actions workflow's `run:` steps and the GitLab job's script are taken from README
and run by bash, in order, with the CI's own variables set; `pipx`, `pip`, `gh` and `curl` are
stand-ins that record what would be installed or saved. The restored token has expired, so sc
must refresh it, and the step that saves it must save the rotated one.
"""

from __future__ import annotations

import json
import re
import stat
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from audio import make_wav
from conftest import SANDBOX_APP, SC_CMD, sandbox_env

README = Path(__file__).resolve().parents[1] / "README.md"
TITLES = ["Harbour", "Night Ferry", "Gulls"]


def ci_blocks() -> list[dict]:
    text = README.read_text()
    section = text.split("\n## Releasing from CI\n", 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]


STANDINS = {
    "pipx": 'case "$1" in install) exit 0;; *) exit 1;; esac',
    "pip": 'case "$1" in install) exit 0;; *) exit 1;; esac',
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


def github_expr(text: str, values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        key = m.group(1).strip()
        assert key in values, f"README's workflow uses ${{{{ {key} }}}}, unknown to this test"
        return values[key]

    return re.sub(r"\$\{\{(.*?)\}\}", sub, text)


def run_github_workflow(ci, secrets: dict[str, str]) -> list[subprocess.CompletedProcess]:
    """Every `run:` step in order; after a failure only `if: always()` steps run, as on GitHub."""
    (workflow,) = [b for b in ci_blocks() if "jobs" in b]
    (job,) = workflow["jobs"].values()
    runner_temp = ci["tmp"] / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    values = {f"secrets.{k}": v for k, v in secrets.items()}
    values["runner.temp"] = str(runner_temp)
    results, failed = [], False
    for step in job["steps"]:
        if "run" not in step or (failed and step.get("if") != "always()"):
            continue
        env = {**ci["env"], "RUNNER_TEMP": str(runner_temp), "CI": "true"}
        env.update({k: github_expr(str(v), values) for k, v in (step.get("env") or {}).items()})
        p = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                github_expr(step["run"], values),
            ],
            cwd=ci["checkout"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        results.append(p)
        failed = failed or p.returncode != 0
    return results


def test_github_workflow_pushes_publishes_and_saves_the_rotated_token(ci, sandbox):
    original = expired_token(sandbox)
    secrets = {
        "SC_CLIENT_ID": SANDBOX_APP[0],
        "SC_CLIENT_SECRET": SANDBOX_APP[1],
        "SC_TOKEN_JSON": original,
        "SECRETS_WRITE_TOKEN": "ghp-stand-in",
    }
    steps = run_github_workflow(ci, secrets)
    assert [p.returncode for p in steps] == [0] * 4, [p.stderr for p in steps]
    report = json.loads(steps[2].stdout)
    assert report["ok"] and report["writes"] == 3 + 1 + 3 + 1  # uploads, set, publishing

    saved = json.loads((ci["out"] / "github-SC_TOKEN_JSON").read_text())
    assert saved["refresh_token"] != json.loads(original)["refresh_token"]  # rotated, kept

    # The next run, from a fresh checkout and with the saved token, changes nothing.
    (ci["checkout"] / "release.lock.json").unlink()
    steps = run_github_workflow(ci, {**secrets, "SC_TOKEN_JSON": json.dumps(saved)})
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
