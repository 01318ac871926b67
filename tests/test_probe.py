"""Findings of a hostile-input sweep (brief probe.md), each against the in-thread sandbox."""

from __future__ import annotations

import json
import signal
import subprocess
import time

from conftest import SC_CMD, default_sigint, sandbox_env
from test_release import make_client, make_release, my_sets, push


def _sharing(client, urns) -> list[str]:
    return [client.get(f"/tracks/{u}")["sharing"] for u in urns]


def test_probe_01_ctrl_c_during_publish_undoes(sandbox, home, tmp_path):
    """SIGINT (a CI job's cancel) while the second track's PUT is in flight: the write is let
    finish (else it lands unseen later), then all this run made public is private again, named,
    exit 130. A subprocess: the signal and the process boundary are the point."""
    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 3)
    report = push(client, manifest)
    one, two, _ = report.track_urns
    sandbox.fault(path=f"/tracks/{two}", method="PUT", delay=3, times=1)
    token = home / "token.json"
    token.write_text(json.dumps(sandbox.user_token()))
    token.chmod(0o600)
    env = sandbox_env(sandbox, home, token, app=False)
    cmd = [*SC_CMD, "release", "publish", str(manifest)]
    p = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 30
    while _sharing(client, [one]) != ["public"]:  # the first is out: the second is in flight
        assert time.monotonic() < deadline and p.poll() is None, p.communicate()
        time.sleep(0.1)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    time.sleep(3)  # a write cut off would land about now
    assert p.returncode == 130, err
    assert "interrupted" in err and "made private again: track[2], track[1]" in err, err
    assert "Traceback" not in err
    assert set(_sharing(client, report.track_urns)) == {"private"}
    assert my_sets(client, "Night Ferry")[0]["sharing"] == "private"


def _writes(sandbox) -> int:
    reqs = sandbox.stats()["requests"]
    return sum(n for route, n in reqs.items() if route.split(" ")[0] in ("PUT", "POST", "DELETE"))


def test_probe_02_publish_refuses_a_release_that_changed(user_sc, sandbox, tmp_path):
    """Audio or fields changed after the push: publish refuses, exit 1, before any write."""
    from audio import make_wav

    client = make_client(sandbox, tmp_path)
    manifest = make_release(tmp_path / "rel", 2)
    report = push(client, manifest)
    wav = sorted(manifest.parent.glob("02-*.wav"))[0]
    make_wav(wav, seconds=5.0, rate=8000)  # a new mix, same name
    before = _writes(sandbox)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "audio changed since the last push: track[2]" in r.stderr, r
    assert _writes(sandbox) == before
    assert set(_sharing(client, report.track_urns)) == {"private"}

    push(client, manifest, replace_audio=True)
    text = manifest.read_text().replace('title = "Harbour"', 'title = "Harbour (edit)"')
    manifest.write_text(text)
    before = _writes(sandbox)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 1 and "does not match the manifest: track[1] update" in r.stderr, r
    assert _writes(sandbox) == before
    push(client, manifest)
    r = user_sc("release", "publish", str(manifest))
    assert r.code == 0, r
