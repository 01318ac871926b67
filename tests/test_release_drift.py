"""`sc release plan --detailed-exitcode` and three-way drift: what the manifest changed, what
was changed by hand on SoundCloud (through the sandbox's own API), and conflicts."""

from __future__ import annotations

import pytest
import requests
from test_release import edit, make_client, make_release, push


@pytest.fixture
def client(sandbox, tmp_path):
    return make_client(sandbox, tmp_path)


def test_i18_02_plan_detailed_exitcode(client, user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2)
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 2, r  # everything to upload
    assert r.json["writes"] == 3  # --json gives the steps as without the flag
    assert user_sc("release", "plan", str(manifest)).code == 0
    push(client, manifest)
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 0, r
    edit(manifest, 'title = "Harbour"', 'title = "Harbour (remaster)"')
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 2 and r.json["writes"] == 1, r
    # Errors are 1, even those that are otherwise 2 (an invalid manifest) or 6 (network).
    edit(manifest, 'license = "cc-by-sa"', 'license = "cc-everything"')
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 1 and "release.license" in r.stderr, r
    assert user_sc("release", "plan", str(manifest)).code == 2
    edit(manifest, 'license = "cc-everything"', 'license = "cc-by-sa"')
    r = user_sc(
        "release",
        "plan",
        str(manifest),
        "--detailed-exitcode",
        env={"SC_API_URL": "http://127.0.0.1:9"},
    )
    assert r.code == 1, r


def hand_edit(sandbox, token: str, urn: str, **fields) -> None:
    """A change made on SoundCloud itself (the web app), through the sandbox's own API."""
    kind = "playlist" if ":playlists:" in urn else "track"
    r = requests.put(
        f"{sandbox.url}/{kind}s/{urn}",
        json={kind: fields},
        headers={"Authorization": f"OAuth {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def title_of(client, urn: str) -> str:
    return client.get(f"/tracks/{urn}")["title"]


def test_i18_03_three_way_drift(client, user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2)
    first = push(client, manifest)
    harbour = first.track_urns[0]
    token = sandbox.user_token()["access_token"]
    hand_edit(sandbox, token, harbour, title="Harbour (web fix)")
    hand_edit(sandbox, token, first.set_urn, description="Edited in the web app.")

    # Changed on SoundCloud only: drift, with both values; plan exits 2 with the flag.
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 2, r
    drift = [a for a in r.json["actions"] if a["action"] == "drift"]
    assert [(a["target"], a["fields"], a["manifest"], a["soundcloud"]) for a in drift] == [
        ("track[1]", ["title"], "Harbour", "Harbour (web fix)"),
        ("set", ["description"], "Recorded on the harbour.", "Edited in the web app."),
    ]
    assert "drift: track[1] title: SoundCloud 'Harbour (web fix)', manifest 'Harbour'" in r.stderr
    assert r.json["writes"] == 0
    # Push leaves it alone, warns, and exits 0; a manifest change elsewhere is pushed as ever.
    edit(manifest, 'file = "02-night_ferry.wav"', 'file = "02-night_ferry.wav"\ngenre = "Drone"')
    r = user_sc("release", "push", str(manifest))
    assert r.code == 0, r
    assert "left alone: track[1] title" in r.stderr and r.json["writes"] == 1
    assert title_of(client, harbour) == "Harbour (web fix)"
    assert client.get(f"/tracks/{first.track_urns[1]}")["genre"] == "Drone"

    # Changed on both sides: a conflict shows three values; push refuses that field (exit 1).
    edit(manifest, 'title = "Harbour"', 'title = "Harbour (final)"')
    r = user_sc("release", "plan", str(manifest), "--detailed-exitcode")
    assert r.code == 2, r
    [conflict] = [a for a in r.json["actions"] if a["action"] == "conflict"]
    assert (conflict["manifest"], conflict["soundcloud"], conflict["last_pushed"]) == (
        "Harbour (final)",
        "Harbour (web fix)",
        "Harbour",
    )
    r = user_sc("release", "push", str(manifest), "--publish")
    assert r.code == 1 and "conflict" in r.stderr, r
    assert title_of(client, harbour) == "Harbour (web fix)"
    assert client.get(f"/tracks/{harbour}")["sharing"] == "private"  # not published

    # --overwrite-remote: the manifest's values go, and then everything agrees.
    r = user_sc("release", "push", str(manifest), "--overwrite-remote")
    assert r.code == 0, r
    assert title_of(client, harbour) == "Harbour (final)"
    assert client.get(f"/playlists/{first.set_urn}")["description"] == "Recorded on the harbour."
    assert user_sc("release", "plan", str(manifest), "--detailed-exitcode").code == 0

    # Without the state file there is no last push to compare with: the manifest wins.
    hand_edit(sandbox, token, first.track_urns[1], genre="Techno")
    rows = user_sc("release", "plan", str(manifest)).json["actions"]
    assert ("track[2]", "drift") in [(a["target"], a["action"]) for a in rows]
    (manifest.parent / "release.lock.json").unlink()
    r = user_sc("release", "plan", str(manifest))
    rows = [(a["target"], a["action"], a["fields"]) for a in r.json["actions"]]
    assert rows == [
        ("track[1]", "ok", []),
        ("track[2]", "update", ["genre"]),
        ("set", "ok", []),
    ], r
