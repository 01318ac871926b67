"""The wheel installs into a fresh venv and works from there, sandbox included; pipx installs
it too. The wheel is built once per run, from a clean clone, and shared by both tests."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from sccli import __version__

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """One wheel per run, built from a clean clone of the checkout (what git holds, nothing
    else), shared by both tests and by the xdist workers: building is most of their time."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with FileLock(str(shared / "wheel.lock")):
        dist = shared / "wheel-dist"
        found = sorted(dist.glob("sccli-*.whl"))
        if found:
            return found[0]
        source = shared / "wheel-clone"
        p = subprocess.run(["git", "clone", "-q", str(ROOT), str(source)], capture_output=True)
        if p.returncode != 0:  # not a git checkout: the tree as it is
            source = ROOT
        p = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
            capture_output=True,
            text=True,
        )
        assert p.returncode == 0, p.stderr[-2000:]
        return next(dist.glob("sccli-*.whl"))


@pytest.mark.timeout(900)
def test_wheel_installs_into_a_fresh_venv(tmp_path, built_wheel):
    wheel = built_wheel
    env_dir = tmp_path / "venv"
    # A truly fresh venv: the wheel's declared dependencies must be enough. This pip installs
    # into it (--python), uncompiled: the same install, without the seconds neither changes.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    p = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-compile"]
        + ["--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert (env_dir / "share" / "man" / "man1" / "sc-tracks.1").exists(), (
        "man pages install with the package"
    )
    sc = env_dir / "bin" / "sc"
    env = {
        "PATH": f"{env_dir / 'bin'}:/usr/bin:/bin",
        "SC_CONFIG_DIR": str(tmp_path / "cfg"),
        "HOME": str(tmp_path),
    }
    v = subprocess.run(
        [str(sc), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert v.returncode == 0 and v.stdout.strip() == f"sc {__version__}"
    where = subprocess.run(
        [str(py), "-c", "import sccli; print(sccli.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert str(env_dir) in where.stdout, "sccli must come from the wheel"
    s = subprocess.run(
        [str(sc), "--sandbox", "tracks", "search", "buskers", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert s.returncode == 0, s.stderr
    assert len(json.loads(s.stdout)) == 50


@pytest.mark.timeout(900)
def test_pipx_installs_the_wheel_of_a_clean_clone(tmp_path, built_wheel):
    env = {
        "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(tmp_path / "bin"),
        "PIPX_MAN_DIR": str(tmp_path / "man"),
        "SC_CONFIG_DIR": str(tmp_path / "cfg"),
    }
    # The dependencies themselves are the wheel test's business: here they may come from this
    # interpreter (--system-site-packages), so the test is about pipx installing sc. Where
    # this interpreter has sccli itself installed (CI's `pip install .`), pip would take it
    # for the wheel: --force-reinstall --no-deps puts the wheel's own sc in pipx's venv.
    pip_args = "--pip-args=--force-reinstall --no-deps"
    p = subprocess.run(
        [sys.executable, "-m", "pipx", "install", "--system-site-packages", pip_args]
        + [str(built_wheel)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    sc = tmp_path / "bin" / "sc"
    v = subprocess.run(
        [str(sc), "--version"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert v.stdout.strip() == f"sc {__version__}"
    s = subprocess.run(
        [str(sc), "--sandbox", "tracks", "search", "buskers", "--limit", "3", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert s.returncode == 0 and len(json.loads(s.stdout)) == 3, s.stderr


def test_version_is_single_sourced():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text and 'path = "sccli/__init__.py"' in text
    from importlib.metadata import version

    assert version("sccli") == __version__
