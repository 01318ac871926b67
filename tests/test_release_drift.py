"""`sc release plan --detailed-exitcode` and three-way drift: what the manifest changed, what
was changed by hand on SoundCloud (through the sandbox's own API), and conflicts."""

from __future__ import annotations

import pytest
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
