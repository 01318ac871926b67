"""`sc release`: manifest checks, init, plan and push against an in-thread sandbox.

Core tests call sccli.core.release with a real Client; CLI tests run `sc` in-process as users
do (the kill and CI tests, in their own files, start real processes).
Writes are counted by the sandbox (/_sandbox/stats), never by the code under test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from audio import PNG, make_wav

from sccli.core.auth import Authenticator
from sccli.core.client import Client, RetryPolicy
from sccli.core.config import Settings
from sccli.core.errors import UsageError
from sccli.core.playlists import (
    create_playlist,
    create_playlist_if_absent,
    reorder_playlist,
    update_playlist,
)
from sccli.core.playlists import track_urns as playlist_track_urns
from sccli.core.release.manifest import ManifestError, load_manifest
from sccli.core.release.planner import make_plan
from sccli.core.release.push import AudioChanged, PushOptions, push_release
from sccli.core.release.scaffold import init_release
from sccli.core.release.state import STATE_NAME, ReleaseState
from sccli.core.tokens import open_store
from sccli.core.upload import check_audio, upload_track

TITLES = ["Harbour", "Night Ferry", "Gulls", "Breakwater", "Last Boat"]
NON_WRITES = {"POST /oauth/token", "POST /authorize"}


# -- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture
def client(sandbox, tmp_path) -> Client:
    return make_client(sandbox, tmp_path)


def make_client(sandbox, tmp_path) -> Client:
    """A Client logged in as sandbox-user, retrying fast."""
    sandbox.config(transcode_delay=0)
    token = sandbox.user_token()["access_token"]
    settings = Settings(
        api_url=sandbox.url,
        auth_url=sandbox.url,
        access_token=token,
        config_dir=tmp_path / "config",
        data_dir=tmp_path / "data",
    )
    c = Client(settings, retry=RetryPolicy(attempts=2, base=0.01, cap=0.02))
    c.tokens = Authenticator(settings, open_store(settings), c)
    return c


def writes(sandbox) -> dict[str, int]:
    """Every write the sandbox has answered, by route (token grants are not API writes)."""
    reqs = sandbox.stats()["requests"]
    return {
        k: v
        for k, v in reqs.items()
        if k.split()[0] in ("POST", "PUT", "DELETE") and k not in NON_WRITES
    }


def total_writes(sandbox) -> int:
    return sum(writes(sandbox).values())


def make_release(folder: Path, n: int = 3, *, isrc: bool = False, extra: str = "") -> Path:
    """n short WAV files of distinct durations, cover art, and a release.toml naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cover.png").write_bytes(PNG)
    lines = [
        "[release]",
        'title = "Night Ferry"',
        'type = "ep"',
        'release_date = "2026-12-01"',
        'artwork = "cover.png"',
        'description = "Recorded on the harbour."',
        'genre = "Ambient"',
        'tags = ["field recording", "harbour"]',
        'license = "cc-by-sa"',
        extra,
    ]
    for i in range(n):
        name = f"{i + 1:02d}-{TITLES[i].lower().replace(' ', '_')}.wav"
        make_wav(folder / name, seconds=1.0 + 1.5 * i, rate=8000)
        lines += ["", "[[track]]", f'file = "{name}"', f'title = "{TITLES[i]}"']
        if isrc:
            lines.append(f'isrc = "GBXXX26{i + 1:05d}"')
    path = folder / "release.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def push(client, manifest: Path, **opts):
    m = load_manifest(manifest)
    state = ReleaseState.load(manifest.parent / STATE_NAME)
    return push_release(client, m, state, PushOptions(**opts))


def plan(client, manifest: Path, **opts):
    m = load_manifest(manifest)
    return make_plan(client, m, ReleaseState.load(manifest.parent / STATE_NAME), **opts)


def my_sets(client, title: str) -> list[dict]:
    sets = client.paginate("/me/playlists", {"show_tracks": "false"})
    return [p for p in sets if p["title"] == title]


def my_tracks(client, title: str) -> list[dict]:
    return [t for t in client.paginate("/me/tracks") if t["title"] == title]


def set_titles(client, urn: str) -> list[str]:
    return [t["title"] for t in client.paginate(f"/playlists/{urn}/tracks")]


def edit(manifest: Path, old: str, new: str) -> None:
    text = manifest.read_text()
    assert old in text
    manifest.write_text(text.replace(old, new))


@pytest.fixture
def spy(client, monkeypatch):
    """The writes the Client sends: (method, path, JSON body or None)."""
    sent: list[tuple[str, str, object]] = []
    real = Client.request

    def request(self, method, path_or_url, **kw):
        if method.upper() in ("POST", "PUT", "DELETE"):
            sent.append((method.upper(), path_or_url, kw.get("json")))
        return real(self, method, path_or_url, **kw)

    monkeypatch.setattr(Client, "request", request)
    return sent


# -- the manifest -----------------------------------------------------------------------------
def test_every_manifest_problem_is_reported_at_once_with_its_key(tmp_path):
    folder = tmp_path / "rel"
    manifest = make_release(folder, 3, extra='colour = "blue"')
    (folder / "notes.wav").write_text("this is text, not audio\n")
    edit(manifest, 'release_date = "2026-12-01"', 'release_date = "2026-13-45"')
    edit(manifest, 'license = "cc-by-sa"', 'license = "cc-everything"')
    edit(manifest, 'file = "02-night_ferry.wav"', 'file = "missing.wav"')
    edit(manifest, 'file = "03-gulls.wav"', 'file = "notes.wav"\ntempo = 120')
    with pytest.raises(ManifestError) as err:
        load_manifest(manifest)
    keys = sorted(p.split(":")[0] for p in err.value.problems)
    assert keys == [
        "release.colour",
        "release.license",
        "release.release_date",
        "track[2].file",
        "track[3].file",
        "track[3].tempo",
    ]
    assert err.value.exit_code == 2
    assert "not audio" in str(err.value) and "no such file" in str(err.value)


def test_manifest_defaults_inheritance_and_duplicates(tmp_path):
    manifest = make_release(tmp_path / "rel", 2, isrc=True)
    edit(manifest, 'title = "Harbour"', 'title = "Harbour"\ngenre = "Folk"')
    m = load_manifest(manifest)
    assert m.release.set_type == "ep" and m.release.sharing == "private"
    first, second = m.tracks
    assert first.fields["genre"] == "Folk" and second.fields["genre"] == "Ambient"
    assert second.fields["license"] == "cc-by-sa" and second.artwork.name == "cover.png"
    assert first.isrc == "GBXXX2600001" and "description" not in first.fields
    extra = '\n[[track]]\nfile = "01-harbour.wav"\ntitle = "HARBOUR"\n'
    manifest.write_text(manifest.read_text() + extra)
    with pytest.raises(ManifestError) as err:
        load_manifest(manifest)
    assert err.value.problems == [
        "track[3].file: same file as track[1]",
        "track[3].title: same title as track[1]",
    ]


# -- init -------------------------------------------------------------------------------------
def test_init_takes_tags_first_then_file_names(tmp_path):
    from mutagen.id3 import TIT2, TRCK, TSRC
    from mutagen.wave import WAVE

    folder = tmp_path / "night-ferry"
    folder.mkdir()
    make_wav(folder / "02-night_ferry.wav", 0.2)
    make_wav(folder / "01-harbour.wav", 0.2)
    tagged = make_wav(folder / "zz-take7.wav", 0.2)
    w = WAVE(tagged)
    w.add_tags()
    w.tags.add(TIT2(encoding=3, text="Gulls"))
    w.tags.add(TRCK(encoding=3, text="3/3"))
    w.tags.add(TSRC(encoding=3, text="GBXXX2600003"))
    w.save()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    (folder / "notes.txt").write_text("not audio")

    path, _ = init_release(folder)
    m = load_manifest(path)
    assert m.release.title == "Night Ferry" and m.release.artwork.name == "cover.jpg"
    assert [(t.rel, t.title, t.isrc) for t in m.tracks] == [
        ("01-harbour.wav", "Harbour", None),
        ("02-night_ferry.wav", "Night Ferry", None),
        ("zz-take7.wav", "Gulls", "GBXXX2600003"),
    ]
    with pytest.raises(UsageError, match="already exists"):
        init_release(folder)
    path.write_text("# mine\n")
    with pytest.raises(UsageError):
        init_release(folder)
    assert path.read_text() == "# mine\n"
    init_release(folder, force=True)
    assert "Harbour" in path.read_text()


# -- plan and push ----------------------------------------------------------------------------
def test_plan_push_push_second_push_makes_no_writes(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3)
    p = plan(client, manifest)
    assert [(a.target, a.action) for a in p.actions()] == [
        ("track[1]", "upload"),
        ("track[2]", "upload"),
        ("track[3]", "upload"),
        ("set", "create"),
    ]
    assert p.writes == 4 and total_writes(sandbox) == 0  # planning wrote nothing

    report = push(client, manifest, jobs=2)
    assert report.ok and report.writes == 4 and total_writes(sandbox) == 4
    (s,) = my_sets(client, "Night Ferry")
    assert set_titles(client, s["urn"]) == TITLES[:3]
    # An EP is sent as an album: the API's set_type is album or playlist (the sandbox, like
    # the spec, refuses anything else).
    assert s["playlist_type"] == "album" and s["sharing"] == "private"
    assert s["release_date"] == "2026-12-01" and s["artwork_url"]
    track = client.get(f"/tracks/{report.track_urns[1]}")
    assert (track["genre"], track["license"], track["sharing"]) == (
        "Ambient",
        "cc-by-sa",
        "private",
    )
    assert track["tag_list"] == '"field recording" harbour'

    before = total_writes(sandbox)
    again = push(client, manifest)
    assert again.writes == 0 and total_writes(sandbox) == before
    assert {a.action for a in plan(client, manifest).actions()} == {"ok"}


def test_without_the_state_file_a_second_push_still_makes_no_writes(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3)
    assert push(client, manifest).ok
    state = manifest.parent / STATE_NAME
    recorded = json.loads(state.read_text())
    state.unlink()
    before = total_writes(sandbox)
    report = push(client, manifest)
    assert report.writes == 0 and total_writes(sandbox) == before
    assert json.loads(state.read_text())["tracks"] == recorded["tracks"]  # found again


def test_a_changed_title_is_one_put_carrying_only_the_title(client, sandbox, tmp_path, spy):
    manifest = make_release(tmp_path / "rel", 3)
    push(client, manifest)
    edit(manifest, 'title = "Gulls"', 'title = "Seagulls"')
    [row] = [a for a in plan(client, manifest).actions() if a.action != "ok"]
    assert (row.target, row.action, row.fields) == ("track[3]", "update", ["title"])
    spy.clear()
    before = writes(sandbox)
    report = push(client, manifest)
    assert report.writes == 1
    after = writes(sandbox)
    assert {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)} == {
        "PUT /tracks/<ref>": 1
    }
    assert spy == [("PUT", f"/tracks/{row.urn}", {"track": {"title": "Seagulls"}})]


def test_a_reordered_manifest_is_one_set_put_in_the_manifest_order(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3)
    first = push(client, manifest)
    text = manifest.read_text()
    head, *tracks = text.split("[[track]]")
    manifest.write_text(head + "[[track]]".join(["", tracks[2], tracks[0], tracks[1]]))
    actions = [(a.target, a.action) for a in plan(client, manifest).actions() if a.action != "ok"]
    assert actions == [("set", "reorder")]
    before = writes(sandbox)
    assert push(client, manifest).writes == 1
    assert writes(sandbox)["PUT /playlists/<ref>"] == before.get("PUT /playlists/<ref>", 0) + 1
    assert set_titles(client, first.set_urn) == ["Gulls", "Harbour", "Night Ferry"]


def test_identity_by_isrc_survives_a_new_title_without_state(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2, isrc=True)
    push(client, manifest)
    (manifest.parent / STATE_NAME).unlink()
    edit(manifest, 'title = "Harbour"', 'title = "The Harbour"')
    rows = [(a.target, a.action, a.fields) for a in plan(client, manifest).actions()]
    assert rows[0] == ("track[1]", "update", ["title"])
    assert push(client, manifest).writes == 1
    assert len(my_tracks(client, "Harbour")) == 0 and len(my_tracks(client, "The Harbour")) == 1


def test_an_upload_whose_state_was_never_written_is_found_by_title_and_duration(
    client, sandbox, tmp_path
):
    """A push killed after an upload, before the state or the set were written."""
    manifest = make_release(tmp_path / "rel", 3)
    m = load_manifest(manifest)
    stray = m.tracks[1]
    upload_track(client, check_audio(stray.file), {"title": stray.title, "sharing": "private"})
    # A same-titled track of another length is not it.
    other = make_wav(tmp_path / "other.wav", seconds=9, rate=8000)
    upload_track(client, check_audio(other), {"title": stray.title, "sharing": "private"})
    actions = [a.action for a in plan(client, manifest).actions()]
    assert actions == ["upload", "update", "upload", "create"]  # update: genre, tags...
    report = push(client, manifest)
    assert report.ok
    assert len(my_tracks(client, "Night Ferry")) == 2  # the stray adopted, nothing duplicated
    assert set_titles(client, report.set_urn) == TITLES[:3]


def test_a_lost_answer_to_the_set_post_does_not_make_a_second_set(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2)
    sandbox.fault(path="/playlists", method="POST", status=504, after=True)
    report = push(client, manifest)
    assert report.ok
    assert len(my_sets(client, "Night Ferry")) == 1
    assert push(client, manifest).writes == 0


def test_publish_waits_for_everything_and_a_failed_upload_leaves_all_private(
    client, sandbox, tmp_path
):
    manifest = make_release(tmp_path / "rel", 3)
    sandbox.fault(path="/tracks", method="POST", status=422, times=1)
    report = push(client, manifest, jobs=2, wait=True, publish=True)
    assert not report.ok
    statuses = {(a.target, a.action): a.status for a in report.actions}
    assert list(statuses.values()).count("failed") == 1
    assert statuses[("set", "create")] == "skipped"
    assert all(s == "skipped" for (t, a), s in statuses.items() if a == "publish")
    mine = [t for t in client.paginate("/me/tracks") if t["title"] in TITLES]
    assert len(mine) == 2 and all(t["sharing"] == "private" for t in mine)
    assert my_sets(client, "Night Ferry") == []

    report = push(client, manifest, jobs=2, wait=True, publish=True)
    assert report.ok
    [s] = my_sets(client, "Night Ferry")
    assert s["sharing"] == "public"
    tracks = list(client.paginate(f"/playlists/{s['urn']}/tracks"))
    assert [t["title"] for t in tracks] == TITLES[:3]
    assert all(t["sharing"] == "public" and t["state"] == "finished" for t in tracks)
    # Published, the release stays public: a push without --publish changes nothing.
    assert push(client, manifest).writes == 0
    assert push(client, manifest, publish=True).writes == 0


def test_changed_audio_stops_the_push_unless_replace_audio(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 3)
    first = push(client, manifest)
    old = first.track_urns[1]
    make_wav(manifest.parent / "02-night_ferry.wav", seconds=4.2, rate=8000, freq=330)
    rows = plan(client, manifest).actions()
    assert [(a.target, a.action, a.fields) for a in rows if a.action != "ok"] == [
        ("track[2]", "audio changed", ["audio"])
    ]
    before = total_writes(sandbox)
    with pytest.raises(AudioChanged) as err:
        push(client, manifest)
    assert err.value.exit_code == 1 and "track[2]" in err.value.message
    assert total_writes(sandbox) == before

    report = push(client, manifest, replace_audio=True)
    assert report.ok and report.writes == 3  # the upload, the set, the deletion
    new = report.track_urns[1]
    assert new != old
    assert playlist_track_urns(client, first.set_urn) == [
        first.track_urns[0],
        new,
        first.track_urns[2],
    ]
    assert client.request("GET", f"/tracks/{old}", ok=(404,)).status_code == 404
    log = [r["route"] for r in sandbox.get("/_sandbox/requests").json()["requests"]]
    writes_seen = [r for r in log if r.split()[0] in ("POST", "PUT", "DELETE")]
    assert writes_seen[-3:] == ["POST /tracks", "PUT /playlists/<ref>", "DELETE /tracks/<ref>"]
    assert push(client, manifest).writes == 0


def test_replace_resumes_after_the_swap_with_the_deletion_only(client, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2)
    first = push(client, manifest)
    make_wav(manifest.parent / "01-harbour.wav", seconds=3.3, rate=8000, freq=300)
    sandbox.fault(path=f"/tracks/{first.track_urns[0]}", method="DELETE", status=403, times=1)
    report = push(client, manifest, replace_audio=True)
    assert not report.ok  # killed or failed between the swap and the deletion
    rows = [(a.target, a.action) for a in plan(client, manifest).actions() if a.action != "ok"]
    assert rows == [("track[1]", "delete")]
    again = push(client, manifest)
    assert again.ok and again.writes == 1
    assert len(my_tracks(client, "Harbour")) == 1


# -- building blocks --------------------------------------------------------------------------
def test_reorder_update_and_create_if_absent(client, sandbox, tmp_path):
    files = [make_wav(tmp_path / f"{n}.wav", 0.3, rate=8000) for n in ("a", "b", "c")]
    meta = {"sharing": "private"}
    urns = [
        upload_track(client, check_audio(f), {**meta, "title": f.stem}).track["urn"] for f in files
    ]

    p, made = create_playlist_if_absent(client, "Tour", set_type="ep", tracks=urns)
    assert made and p["playlist_type"] == "album"
    for kind in ("ep", "album", "single"):  # all albums to the API: the same set
        again, made = create_playlist_if_absent(client, "Tour", set_type=kind)
        assert not made and again["urn"] == p["urn"]
    _, made = create_playlist_if_absent(client, "Tour", set_type="playlist")
    assert made  # another type is another set

    before = total_writes(sandbox)
    reorder_playlist(client, p["urn"], urns[::-1])
    assert playlist_track_urns(client, p["urn"]) == urns[::-1]
    assert total_writes(sandbox) == before + 1
    for bad in (urns[:2], urns + urns[:1], [*urns[:2], "soundcloud:tracks:300001"]):
        with pytest.raises(UsageError) as err:
            reorder_playlist(client, p["urn"], bad)
        assert err.value.exit_code == 2
    assert total_writes(sandbox) == before + 1

    art = tmp_path / "cover.png"
    art.write_bytes(PNG)
    from sccli.core.upload import check_artwork

    updated = update_playlist(
        client,
        p["urn"],
        {"title": "Tour 2027", "release_date": "2027-01-02"},
        artwork=check_artwork(art),
    )
    assert updated["title"] == "Tour 2027" and updated["release_date"] == "2027-01-02"
    assert playlist_track_urns(client, p["urn"]) == urns[::-1]  # the list is kept
    assert client.request("GET", updated["artwork_url"]).content == PNG
    with pytest.raises(UsageError):
        update_playlist(client, p["urn"], {"title": None})


def test_create_playlist_still_takes_tracks_as_json(client):
    p = create_playlist(client, "Plain", set_type="playlist", tracks=["soundcloud:tracks:300001"])
    assert playlist_track_urns(client, p["urn"]) == ["soundcloud:tracks:300001"]


# -- the command line -------------------------------------------------------------------------
def test_cli_init_plan_push_push(user_sc, sandbox, tmp_path):
    sandbox.config(transcode_delay=0)
    folder = tmp_path / "rel"
    folder.mkdir()
    for i, name in enumerate(("01-harbour", "02-night_ferry")):
        make_wav(folder / f"{name}.wav", 0.5 + i, rate=8000)
    r = user_sc("release", "init", str(folder), "--title", "Night Ferry")
    assert r.code == 0, r
    manifest = str(folder / "release.toml")
    r = user_sc("release", "init", str(folder))
    assert r.code == 2 and "--force" in r.stderr

    r = user_sc("release", "plan", manifest)
    assert r.code == 0, r
    assert r.json["writes"] == 3
    assert [(a["target"], a["action"]) for a in r.json["actions"]] == [
        ("track[1]", "upload"),
        ("track[2]", "upload"),
        ("set", "create"),
    ]
    r = user_sc("release", "push", manifest, "--jobs", "2", "--wait")
    assert r.code == 0, r
    assert r.json["writes"] == 3 and r.json["ok"] is True
    r = user_sc("release", "push", manifest)
    assert r.code == 0 and r.json["writes"] == 0
    r = user_sc("release", "plan", manifest, "--table")
    assert r.code == 0 and "Plan: nothing to do; 0 writes" in r.stderr
    assert r.stdout.count(" ok ") == 3
    r = user_sc("release", "plan", manifest, "--tsv", "--fields", "target,action")
    assert r.stdout.splitlines() == ["track[1]\tok", "track[2]\tok", "set\tok"], r
    r = user_sc("release", "plan", manifest, "--query", "writes")
    assert r.stdout.strip() == "0", r


def test_cli_manifest_errors_exit_2_before_any_request(user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2, extra="colour = 1")
    edit(manifest, 'file = "02-night_ferry.wav"', 'file = "gone.wav"')
    before = sandbox.stats()["requests_total"]
    for verb in ("plan", "push"):
        r = user_sc("release", verb, str(manifest))
        assert r.code == 2, r
        assert "release.colour" in r.stderr and "track[2].file" in r.stderr
    r = user_sc("release", "push", str(make_release(tmp_path / "ok", 1)), "--query", "[[")
    assert r.code == 2 and "--query" in r.stderr, r
    assert sandbox.stats()["requests_total"] == before


def test_cli_push_exits_1_when_a_step_fails(user_sc, sandbox, tmp_path):
    manifest = make_release(tmp_path / "rel", 2)
    sandbox.fault(path="/tracks", method="POST", status=422, times=1)
    r = user_sc("release", "push", str(manifest), "--publish")
    assert r.code == 1, r
    assert "not complete" in r.stderr and r.json["ok"] is False


def test_cli_reorder_must_be_a_permutation(user_sc, sandbox):
    r = user_sc("playlists", "reorder", "soundcloud:playlists:900001", "300002", "300001")
    assert r.code == 2 and "missing" in r.stderr, r
    r = user_sc(
        "playlists", "reorder", "900001", *(str(300001 + i) for i in reversed(range(6))), "--json"
    )
    assert r.code == 0, r
    assert [t["urn"] for t in r.json["tracks"]][0] == "soundcloud:tracks:300006"


def test_cli_upload_several_files(user_sc, sandbox, tmp_path):
    a = make_wav(tmp_path / "one.wav", 0.3, rate=8000)
    b = make_wav(tmp_path / "two.wav", 0.3, rate=8000)
    bad = tmp_path / "three.wav"
    shutil.copy(a, bad)
    r = user_sc("tracks", "upload", str(a), str(b), "--title", "x")
    assert r.code == 2 and "--title" in r.stderr
    sandbox.fault(path="/tracks", method="POST", status=422, times=1)
    r = user_sc("tracks", "upload", str(a), str(b), str(bad), "--jobs", "1", "--ndjson")
    assert r.code == 1, r
    rows = r.ndjson
    assert [row["ref"] for row in rows] == [str(a), str(b), str(bad)]
    assert [row["ok"] for row in rows] == [False, True, True]
    assert "error" in rows[0] and rows[1]["urn"].startswith("soundcloud:tracks:")


def test_more_jobs_than_the_default_pool_keep_their_connections(client):
    client.allow_parallel(16)
    assert client.session.get_adapter(client.settings.api_url)._pool_maxsize == 16


def test_cli_playlists_update_and_create_if_absent(user_sc, sandbox):
    r = user_sc("playlists", "create", "Tour", "--type", "ep")
    assert r.code == 2 and total_writes(sandbox) == 0, r  # DESIGN: album or playlist
    r = user_sc("playlists", "create", "Tour", "--type", "album", "--if-absent", "--json")
    assert r.code == 0 and r.json["playlist_type"] == "album", r
    urn = r.json["urn"]
    r = user_sc("playlists", "create", "Tour", "--type", "album", "--if-absent", "--json")
    assert r.code == 0 and r.json["urn"] == urn and "not created" in r.stderr
    before = total_writes(sandbox)
    r = user_sc(
        "playlists", "update", urn, "--title", "Tour 2027", "--release-date", "2027-01-02", "--json"
    )
    assert r.code == 0 and (r.json["title"], r.json["release_date"]) == ("Tour 2027", "2027-01-02")
    assert total_writes(sandbox) == before + 1
    r = user_sc("playlists", "update", urn, "--release-date", "2027-13-01")
    assert r.code == 2 and total_writes(sandbox) == before + 1


def test_cli_upload_several_into_a_set_on_a_terminal(user_sc, sandbox, tmp_path):
    files = [make_wav(tmp_path / f"{n}.wav", 0.3 + 0.2 * i, rate=8000) for i, n in enumerate("ab")]
    before = writes(sandbox).get("PUT /playlists/<ref>", 0)
    r = user_sc("tracks", "upload", *map(str, files), "--playlist", "900001", tty=True)
    assert r.code == 0, r
    lines = r.stderr.splitlines()
    for name in ("a.wav", "b.wav"):
        assert any(x.startswith(f"{name}: uploaded soundcloud:tracks:") for x in lines), r
    assert "added 2 track(s) to soundcloud:playlists:900001" in lines
    assert writes(sandbox)["PUT /playlists/<ref>"] == before + 1  # both in one write
    r = user_sc("playlists", "get", "900001", "--json")
    assert [t["title"] for t in r.json["tracks"]][-2:] == ["A", "B"]


def test_a_write_a_killed_push_left_in_flight_is_looked_for_again_before_it_is_repeated(
    client, sandbox, tmp_path
):
    """A push killed while its upload was on the way leaves a mark in the state; the server
    may create the track after the next push has looked. That push looks again (after 1 s,
    then 3 s, as after a lost answer) before it uploads again, and adopts what landed."""
    manifest = make_release(tmp_path / "rel", 2)
    m = load_manifest(manifest)
    late = m.tracks[1]
    state = ReleaseState.load(manifest.parent / STATE_NAME)
    state.begin(late.rel)  # as the killed push did, just before its POST
    waits: list[float] = []

    def landing(seconds: float) -> None:  # meanwhile, the killed push's upload lands
        waits.append(seconds)
        if len(waits) == 1:
            upload_track(
                client, check_audio(late.file), {"title": late.title, "sharing": "private"}
            )

    logged: list[str] = []
    report = push_release(client, m, state, PushOptions(), log=logged.append, sleep=landing)
    assert report.ok and waits == [1.0], (waits, logged)
    assert "looking again in 1 s" in logged[0] and late.key in logged[0]
    assert len(my_tracks(client, late.title)) == 1  # adopted, not uploaded twice
    assert ReleaseState.load(manifest.parent / STATE_NAME).sending == {}  # the mark is gone
    # Nothing in flight: no waiting at all.
    waits.clear()
    assert push(client, manifest).ok and waits == []
