"""A small GitHub Actions runner for tests: the `run:` steps of a workflow job, and of this
repository's composite action (action.yml) where a job `uses:` it, run by bash in order.

What GitHub does around them is done the way its documentation says: `${{ ... }}`
expressions (only the names a test gives) are substituted before the shell sees the script;
lines a step appends to $GITHUB_ENV become the environment of every later step; lines in
$GITHUB_OUTPUT become `steps.<id>.outputs.<name>`; after a failed step only `if: always()`
steps run. `uses:` steps of other actions (checkout, setup-python) are skipped.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"


def load_action() -> dict:
    return yaml.safe_load(ACTION.read_text())


def expr(text: str, values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        key = m.group(1).strip()
        assert key in values, f"${{{{ {key} }}}} is unknown to this test runner"
        return values[key]

    return re.sub(r"\$\{\{(.*?)\}\}", sub, text)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (GitHub also takes KEY<<DELIM blocks; our steps never write them)."""
    out = {}
    for line in path.read_text().splitlines():
        if line:
            key, _, value = line.partition("=")
            out[key] = value
    return out


@dataclass
class Runner:
    """One job's runner: its temp dir, the GITHUB_ENV and GITHUB_OUTPUT files, its results."""

    base_env: dict[str, str]
    cwd: Path
    temp: Path
    values: dict[str, str] = field(default_factory=dict)  # expressions: secrets.X, runner.temp
    results: list[subprocess.CompletedProcess] = field(default_factory=list)
    failed: bool = False

    def __post_init__(self) -> None:
        self.temp.mkdir(parents=True, exist_ok=True)
        self.github_env = self.temp / "github-env"
        self.github_env.write_text("")  # a new job: nothing exported yet
        self.values.setdefault("runner.temp", str(self.temp))
        self.values.setdefault("github.action_path", str(ROOT))

    def condition(self, step: dict, values: dict[str, str]) -> bool:
        """`if:` as our workflows write it: always(), and `inputs.X != ''` / `env.X != ''`
        joined by &&. Without always(), a step after a failure is skipped."""
        cond = str(step.get("if", "")).strip()
        parts = [p.strip() for p in cond.split("&&")] if cond else []
        if self.failed and "always()" not in parts:
            return False
        env = {**self.base_env, **read_env_file(self.github_env)}
        for part in parts:
            if part == "always()":
                continue
            m = re.fullmatch(r"(inputs|env)\.([\w-]+) != ''", part)
            assert m, f"condition {part!r} is unknown to this test runner"
            kind, name = m.groups()
            value = values.get(f"inputs.{name}", "") if kind == "inputs" else env.get(name, "")
            if value == "":
                return False
        return True

    def step(self, step: dict, values: dict[str, str]) -> subprocess.CompletedProcess | None:
        if "run" not in step or not self.condition(step, values):
            return None
        output = self.temp / f"github-output-{len(self.results)}"
        output.touch()
        env = {**self.base_env, **read_env_file(self.github_env)}
        env.update({"RUNNER_TEMP": str(self.temp), "CI": "true", "GITHUB_ACTIONS": "true"})
        env.update({"GITHUB_ENV": str(self.github_env), "GITHUB_OUTPUT": str(output)})
        env.update({k: expr(str(v), values) for k, v in (step.get("env") or {}).items()})
        shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
        p = subprocess.run(
            [*shell, expr(step["run"], values)],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.results.append(p)
        self.failed = self.failed or p.returncode != 0
        if "id" in step:
            for key, value in read_env_file(output).items():
                values[f"steps.{step['id']}.outputs.{key}"] = value
        return p

    def action(self, inputs: dict[str, str]) -> dict[str, str]:
        """This repository's composite action with these `with:` inputs; its outputs."""
        action = load_action()
        values = dict(self.values)
        for name, spec in action["inputs"].items():
            values[f"inputs.{name}"] = str(inputs.get(name, spec.get("default", "")))
        for step in action["runs"]["steps"]:
            self.step(step, values)
        return {
            name: expr(spec["value"], values) if not self.failed else ""
            for name, spec in action["outputs"].items()
        }

    def job(self, job: dict, action_ref: str) -> None:
        """A workflow job's steps; `uses: <action_ref>` runs this repository's action."""
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.split("@")[0] == action_ref and not self.failed:
                inputs = {k: expr(str(v), self.values) for k, v in (step.get("with") or {}).items()}
                outputs = self.action(inputs)
                for name, value in outputs.items():
                    self.values[f"steps.{step.get('id', '')}.outputs.{name}"] = value
            elif not uses:
                self.step(step, self.values)
