"""Publishing a release: all or nothing (push --publish and `release publish`), against an
in-thread sandbox whose faults make one track's PUT fail."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_release import TITLES, make_client, make_release, my_sets, push

from sccli.core.release.publish import Target, publish_all


@pytest.fixture
def client(sandbox, tmp_path):
    return make_client(sandbox, tmp_path)


def sharing_of(client, titles=TITLES[:3]) -> dict[str, str]:
    mine = {t["title"]: t["sharing"] for t in client.paginate("/me/tracks")}
    return {title: mine[title] for title in titles}


def test_i14_01_publish_all_or_nothing(client, user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3)
    first = push(client, manifest)
    assert first.ok
    second = first.track_urns[1]
    sandbox.fault(path=f"/tracks/{second}", method="PUT", status=422, times=-1)
    r = user_sc("release", "push", str(manifest), "--publish")
    assert r.code == 1, r
    assert "publishing track[2] failed" in r.stderr and "made private again: track[1]" in r.stderr
    assert set(sharing_of(client).values()) == {"private"}
    [s] = my_sets(client, "Night Ferry")
    assert s["sharing"] == "private"
    statuses = {(a["target"], a["action"]): a["status"] for a in r.json["actions"]}
    assert statuses[("track[1]", "publish")] == "undone"
    assert statuses[("track[2]", "publish")] == "failed"
    assert statuses[("track[3]", "publish")] == "skipped"

    # A lost answer: the PUT took effect, then 504 each time. Publishing it is looked at, found
    # public, and undone with the others (its own undo is checked the same way).
    requests.delete(sandbox.url + "/_sandbox/faults", timeout=10)
    sandbox.fault(path=f"/tracks/{second}", method="PUT", status=504, after=True, times=-1)
    r = user_sc("release", "push", str(manifest), "--publish")
    assert r.code == 1, r
    assert set(sharing_of(client).values()) == {"private"}, r.stderr

    requests.delete(sandbox.url + "/_sandbox/faults", timeout=10)
    r = user_sc("release", "push", str(manifest), "--publish")
    assert r.code == 0, r
    assert set(sharing_of(client).values()) == {"public"}


def test_i14_01_what_cannot_be_undone_is_named(client, sandbox, tmp_path):
    """The first track is published, then both its undo and the set's publish fail: the
    outcome says which object is still public, and why."""
    manifest = make_release(tmp_path / "rel", 2)
    report = push(client, manifest)
    one, two = report.track_urns
    targets = [Target("track[1]", one), Target("track[2]", two), Target("set", report.set_urn)]

    def log(line: str) -> None:
        if line.startswith("published track[2]"):  # now break the undo of track[1] and the set
            sandbox.fault(path=f"/tracks/{one}", method="PUT", status=403, times=-1)
            sandbox.fault(path=f"/playlists/{report.set_urn}", method="PUT", status=422)

    out = publish_all(client, targets, log=log)
    assert not out.ok and out.failed.label == "set"
    assert [t.label for t in out.undone] == ["track[2]"]
    assert [t.label for t, _ in out.not_undone] == ["track[1]"]
    assert "STILL PUBLIC" in out.message() and one in out.message()
    assert sharing_of(client, TITLES[:2]) == {"Harbour": "public", "Night Ferry": "private"}


AT = "2026-12-24T09:00:00+01:00"
BEFORE = datetime(2026, 12, 24, 7, 59, 30, tzinfo=timezone.utc).timestamp()  # 08:59:30 +01:00
AFTER = datetime(2026, 12, 24, 8, 0, 5, tzinfo=timezone.utc).timestamp()


def test_i18_04_publish_at_is_checked_at_load(user_sc, sandbox, tmp_path):
    before = sandbox.stats()["requests_total"]
    for bad in ("2026-12-24T09:00:00", "2026-12-24", '"tomorrow"', '"2026-12-24 09:00"'):
        manifest = make_release(tmp_path / bad.strip('"'), 1, extra=f"publish_at = {bad}")
        for verb in ("plan", "push", "publish"):
            r = user_sc("release", verb, str(manifest))
            assert r.code == 2 and "release.publish_at" in r.stderr, r
            assert "Traceback" not in r.stderr
    manifest = make_release(tmp_path / "public", 1, extra=f'publish_at = {AT}\nsharing = "public"')
    r = user_sc("release", "plan", str(manifest))
    assert r.code == 2 and 'release.publish_at: needs sharing = "private"' in r.stderr, r
    assert sandbox.stats()["requests_total"] == before


def test_i18_04_release_publish_when_due(client, user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3, extra=f"publish_at = {AT}")
    r = user_sc("release", "publish", str(manifest), clock=lambda: AFTER)
    assert r.code == 1 and "not on SoundCloud yet" in r.stderr, r  # nothing pushed yet
    r = user_sc("release", "push", str(manifest))
    assert r.code == 0, r
    state = json.loads((manifest.parent / "release.lock.json").read_text())
    assert state["publish_at"] == AT
    assert set(sharing_of(client).values()) == {"private"}

    before = sandbox.stats()["requests_total"]
    r = user_sc("release", "publish", str(manifest), clock=lambda: BEFORE)
    assert r.code == 0, r
    assert f"not due until {AT} (in 1 min)" in r.stderr and r.json["status"] == "not due"
    r = user_sc("release", "publish", str(manifest), "--detailed-exitcode", clock=lambda: BEFORE)
    assert r.code == 2, r
    assert sandbox.stats()["requests_total"] == before  # not due: no request at all

    r = user_sc("release", "publish", str(manifest), "--detailed-exitcode", clock=lambda: AFTER)
    assert r.code == 0, r
    assert r.stderr.strip().endswith("published") and r.json["writes"] == 4
    assert set(sharing_of(client).values()) == {"public"}
    [s] = my_sets(client, "Night Ferry")
    assert s["sharing"] == "public"
    r = user_sc("release", "publish", str(manifest), clock=lambda: AFTER)
    assert r.code == 0 and r.json["writes"] == 0 and "published already" in r.stderr, r


def test_i18_04_release_publish_is_all_or_nothing(client, user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3, extra=f"publish_at = {AT}")
    first = push(client, manifest)
    sandbox.fault(path=f"/tracks/{first.track_urns[1]}", method="PUT", status=422, times=-1)
    r = user_sc("release", "publish", str(manifest), clock=lambda: AFTER)
    assert r.code == 1 and "made private again: track[1]" in r.stderr, r
    assert r.json["status"] == "failed" and r.json["undone"] == [first.track_urns[0]]
    assert set(sharing_of(client).values()) == {"private"}
    assert my_sets(client, "Night Ferry")[0]["sharing"] == "private"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(
        st.text(max_size=40).map(lambda t: json.dumps(t)),  # any TOML string
        st.datetimes(timezones=st.none() | st.timezones()).map(
            lambda d: d.isoformat().replace("+00:00", "Z")
        ),
        st.dates().map(str),
        st.integers().map(str),
    )
)
def test_i18_04_any_publish_at_is_a_time_with_offset_or_a_keyed_error(tmp_path, value):
    from sccli.core.release.manifest import ManifestError, load_manifest

    manifest = tmp_path / "rel" / "release.toml"
    original = tmp_path / "rel" / "original.toml"
    if not original.exists():  # one folder for every example (the fixture is not per example)
        make_release(tmp_path / "rel", 1).rename(original)
    text = original.read_text().split("\n[[track]]")
    manifest.write_text(f"{text[0]}\npublish_at = {value}\n\n[[track]]{text[1]}")
    try:
        m = load_manifest(manifest)
    except ManifestError as e:
        assert e.exit_code == 2
        assert any(p.startswith(("release.publish_at:", "not valid TOML")) for p in e.problems)
        return
    at = m.release.publish_at
    assert at is not None and at.utcoffset() is not None and at.year >= 1000
