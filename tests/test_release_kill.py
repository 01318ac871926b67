"""A push killed (SIGKILL) at random moments is finished by the next push: one set, every track
once, the manifest's order, nothing left over. A subprocess test: the process boundary is the
point. A handful of kills keeps it to a few seconds."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time

from audio import PNG, make_wav
from conftest import SC_CMD, sandbox_env

TITLES = ["Harbour", "Night Ferry", "Gulls", "Breakwater", "Last Boat"]
KILLS = 5


def _release(folder):
    folder.mkdir()
    (folder / "cover.png").write_bytes(PNG)
    lines = ["[release]", 'title = "Night Ferry"', 'type = "ep"', 'artwork = "cover.png"']
    for i, title in enumerate(TITLES):
        name = f"{i + 1:02d}.wav"
        make_wav(folder / name, seconds=1.0 + 0.7 * i, rate=8000)
        lines += ["", "[[track]]", f'file = "{name}"', f'title = "{title}"']
    manifest = folder / "release.toml"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest


def test_killed_pushes_are_finished_by_the_next(sandbox, home, tmp_path):
    sandbox.config(transcode_delay=0)
    # Slow writes, so kills land during uploads, the set write and the publishing.
    for path, method, delay in (
        ("/tracks", "POST", 0.25),
        ("/tracks/*", "PUT", 0.1),
        ("/playlists", "POST", 0.2),
        ("/playlists/*", "PUT", 0.2),
    ):
        sandbox.fault(path=path, method=method, delay=delay, times=-1)
    token = home / "token.json"
    token.write_text(json.dumps(sandbox.user_token()))
    token.chmod(0o600)
    env = sandbox_env(sandbox, home, token, app=False)
    manifest = _release(tmp_path / "rel")
    cmd = [*SC_CMD, "release", "push", str(manifest), "--jobs", "2", "--publish"]
    seed = random.randrange(1 << 30)
    rnd = random.Random(seed)
    for n in range(KILLS):
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 1.8))
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        if n == 2:
            (manifest.parent / "release.lock.json").unlink(missing_ok=True)  # a fresh checkout

    final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert final.returncode == 0, f"seed {seed}: {final.stderr}"
    headers = {"Authorization": f"OAuth {json.loads(token.read_text())['access_token']}"}
    sets = sandbox.get("/me/playlists", headers=headers, params={"limit": 200}).json()
    ours = [s for s in sets if s["title"] == "Night Ferry"]
    assert len(ours) == 1, f"seed {seed}: {len(ours)} sets"
    tracks = sandbox.get("/me/tracks", headers=headers, params={"limit": 200}).json()
    mine = sorted(t["title"] for t in tracks if t["title"] in TITLES)
    assert mine == sorted(TITLES), f"seed {seed}: duplicates or gaps: {mine}"
    in_set = ours[0]["tracks"]
    assert [t["title"] for t in in_set] == TITLES, f"seed {seed}"
    assert ours[0]["sharing"] == "public" and all(t["sharing"] == "public" for t in in_set)

    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and json.loads(again.stdout)["writes"] == 0, again.stderr
