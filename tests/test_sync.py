"""sc sync (issue 17): a folder kept in step with a SOURCE, against the sandbox's library of
real MP3, FLAC, WAV and M4A files: the archive, --delete and --max-delete, tags and artwork
read back with mutagen, hostile titles, --dry-run, templates, m3u, and `tracks download`'s
--template, --skip-existing and --archive. The SIGKILL test is tests/test_sync_kill.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mutagen
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sccli.core.archive import Archive
from sccli.core.names import render, safe_component, track_values
from sccli.sandbox import audiofiles

DOWNLOADS = "GET /tracks/<ref>/download"
SET = "soundcloud:playlists:909001"  # sandbox-user's album of downloadable tracks
LIKED = {  # the seed's liked tracks that can be downloaded, and their formats
    "soundcloud:tracks:390001": "mp3",
    "soundcloud:tracks:390002": "flac",
    "soundcloud:tracks:390003": "wav",
    "soundcloud:tracks:390004": "m4a",
}
CLOSED = "soundcloud:tracks:390005"  # liked, in the set, not downloadable


def files(folder: Path) -> dict[str, Path]:
    """The music sync left in a folder, by relative path (no archive, no .part)."""
    return {
        p.relative_to(folder).as_posix(): p
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".sc-archive"
    }


def archive_lines(folder: Path) -> list[str]:
    """The archive's lines but its claims (`?URN<TAB>PATH`: a download begun)."""
    lines = (folder / ".sc-archive").read_text().splitlines()
    return [line for line in lines if not line.startswith("?")]


def library(sandbox, **spec) -> list[str]:
    r = sandbox.post("/_sandbox/library", json=spec)
    assert r.status_code == 200, r.text
    return r.json()["urns"]


def test_first_sync_downloads_what_can_be_and_a_second_sync_downloads_nothing(
    user_sc, sandbox, tmp_path
):
    music = tmp_path / "music"
    first = user_sc("sync", "likes", str(music))
    assert first.code == 0, first
    assert sorted(line.split()[0] for line in first.stdout.splitlines()) == ["+"] * 4 + ["~"]
    assert f"~ {CLOSED} Closed Window (not downloadable)" in first.stdout
    assert sorted(files(music)) == [
        "Canal Morning.wav",
        "Harbour Lights.mp3",
        "Night Tram.flac",
        "Paper Lantern.m4a",
    ]
    assert {line.split("\t")[0] for line in archive_lines(music)} == set(LIKED)
    fetched = sandbox.count(DOWNLOADS)
    assert fetched == 4

    second = user_sc("sync", "likes", str(music))
    assert second.code == 0, second
    assert sandbox.count(DOWNLOADS) == fetched  # not one download request
    assert sorted(line.split()[0] for line in second.stdout.splitlines()) == ["="] * 4 + ["~"]
    assert "0 added, 0 deleted, 4 unchanged, 1 skipped, 0 failed" in second.stderr


def test_a_moved_file_is_not_fetched_again_and_one_archive_serves_two_folders(
    user_sc, sandbox, tmp_path
):
    shared = tmp_path / "archive.txt"
    a, b = tmp_path / "a", tmp_path / "b"
    assert user_sc("sync", "likes", str(a), "--archive", str(shared)).code == 0
    (a / "Night Tram.flac").rename(tmp_path / "moved.flac")
    before = sandbox.count(DOWNLOADS)
    again = user_sc("sync", "likes", str(a), "--archive", str(shared))
    assert again.code == 0 and sandbox.count(DOWNLOADS) == before
    other = user_sc("sync", "set", SET, str(b), "--archive", str(shared))
    assert other.code == 0, other
    assert sandbox.count(DOWNLOADS) == before and not b.exists()


def test_an_unlike_then_sync_delete_removes_exactly_that_file(user_sc, tmp_path):
    music = tmp_path / "music"
    assert user_sc("sync", "likes", str(music)).code == 0
    (music / "mine.txt").write_text("not sync's")
    assert user_sc("unlike", "soundcloud:tracks:390002").code == 0
    r = user_sc("sync", "likes", str(music), "--delete")
    assert r.code == 0, r
    assert f"- {music / 'Night Tram.flac'}" in r.stdout
    assert sorted(files(music)) == [
        "Canal Morning.wav",
        "Harbour Lights.mp3",
        "Paper Lantern.m4a",
        "mine.txt",
    ]
    assert archive_lines(music)[-1] == "-soundcloud:tracks:390002"
    assert "soundcloud:tracks:390002" not in Archive(music / ".sc-archive")
    # Liked again: fetched again.
    assert user_sc("like", "soundcloud:tracks:390002").code == 0
    back = user_sc("sync", "likes", str(music))
    assert back.code == 0 and (music / "Night Tram.flac").is_file()


def test_max_delete_0_refuses_with_exit_1_and_deletes_nothing(user_sc, tmp_path):
    music = tmp_path / "music"
    assert user_sc("sync", "likes", str(music)).code == 0
    assert user_sc("unlike", "soundcloud:tracks:390001").code == 0
    before = sorted(files(music))
    r = user_sc("sync", "likes", str(music), "--delete", "--max-delete", "0")
    assert r.code == 1, r
    assert "1 files would be deleted, more than --max-delete 0: nothing was deleted" in r.stderr
    assert sorted(files(music)) == before
    assert "soundcloud:tracks:390001" in Archive(music / ".sc-archive")
    forced = user_sc("sync", "likes", str(music), "--delete", "--max-delete", "0", "--force")
    assert forced.code == 0 and "Harbour Lights.mp3" not in files(music)


def test_a_removal_from_a_set_and_a_track_made_undownloadable(user_sc, sandbox, tmp_path):
    album = tmp_path / "album"
    assert user_sc("sync", "set", SET, str(album), "--delete").code == 0
    assert user_sc("playlists", "remove", SET, "soundcloud:tracks:390003").code == 0
    r = sandbox.post(
        "/_sandbox/track", json={"track": "soundcloud:tracks:390004", "downloadable": False}
    )
    assert r.status_code == 200
    again = user_sc("sync", "set", SET, str(album), "--delete", "--json")
    assert again.code == 0, again
    kinds = {c["urn"]: c["change"] for c in again.json["changes"]}
    assert kinds["soundcloud:tracks:390003"] == "deleted"
    assert kinds["soundcloud:tracks:390004"] == "unchanged"  # still in the set: kept
    assert again.json["deleted"] == 1 and again.json["added"] == 0
    assert "Canal Morning.wav" not in files(album) and "Paper Lantern.m4a" in files(album)


def test_dry_run_makes_no_write_to_dir_and_no_download_request(user_sc, sandbox, tmp_path):
    music = tmp_path / "music"
    r = user_sc("sync", "likes", str(music), "--dry-run", "--delete")
    assert r.code == 0, r
    assert not music.exists()
    assert sandbox.count(DOWNLOADS) == 0
    assert f"download {'soundcloud:tracks:390001'} Harbour Lights" in r.stdout
    assert f"skip: not downloadable {CLOSED} Closed Window" in r.stdout
    # Against a synced folder: nothing changes in it either.
    assert user_sc("sync", "likes", str(music)).code == 0
    assert user_sc("unlike", "soundcloud:tracks:390003").code == 0
    stamp = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in music.rglob("*")}
    plan = user_sc("sync", "likes", str(music), "--dry-run", "--delete", "--json")
    assert plan.code == 0, plan
    actions = {row["urn"]: row["action"] for row in plan.json["plan"]}
    assert actions["soundcloud:tracks:390003"] == "delete"
    assert actions["soundcloud:tracks:390001"] == "skip: in archive"
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in music.rglob("*")} == stamp
    assert sandbox.count(DOWNLOADS) == 4


def _tag(f, *keys):
    for key in keys:
        value = f.tags.get(key) if f.tags else None
        if value:
            first = value.text[0] if hasattr(value, "text") else value[0]
            return first.decode() if isinstance(first, bytes) else first
    return None


def test_tags_read_back_with_mutagen_for_mp3_flac_m4a_and_wav_with_artwork(user_sc, tmp_path):
    album = tmp_path / "album"
    r = user_sc("sync", "set", SET, str(album), "-t", "{track_number:02d} {title}.{ext}")
    assert r.code == 0, r
    got = files(album)
    assert sorted(got) == [
        "01 Harbour Lights.mp3",
        "02 Night Tram.flac",
        "03 Canal Morning.wav",
        "04 Paper Lantern.m4a",
    ]
    expect = {
        "01 Harbour Lights.mp3": ("Harbour Lights", "The Harbour Band", 1, "GBSBX2400001"),
        "02 Night Tram.flac": ("Night Tram", None, 2, "GBSBX2400002"),
        "03 Canal Morning.wav": ("Canal Morning", None, 3, None),
        "04 Paper Lantern.m4a": ("Paper Lantern", None, 4, None),
    }
    for name, (title, artist, number, isrc) in expect.items():
        f = mutagen.File(got[name])
        assert _tag(f, "TIT2", "title", "\xa9nam") == title, name
        assert _tag(f, "TALB", "album", "\xa9alb") == "Sandbox Downloads", name
        who = _tag(f, "TPE1", "artist", "\xa9ART")
        assert who == artist if artist else who and who != "sandbox-user", name
        urn = _tag(
            f, "TXXX:SOUNDCLOUD_URN", "soundcloud_urn", "----:com.apple.iTunes:SOUNDCLOUD_URN"
        )
        assert urn == f"soundcloud:tracks:3900{number:02d}", name
        track_no = (
            f.tags["trkn"][0][0]
            if "trkn" in f.tags
            else int(str(_tag(f, "TRCK", "tracknumber")).split("/")[0])
        )
        assert track_no == number, name
        url = _tag(
            f, "TXXX:SOUNDCLOUD_URL", "soundcloud_url", "----:com.apple.iTunes:SOUNDCLOUD_URL"
        )
        assert url and url.startswith("https://soundcloud.com/"), name
        date = _tag(f, "TDRC", "date", "\xa9day")
        assert str(date) == ("2024-05-01" if number == 1 else str(date)) and str(date)[:4] == "2024"
        assert _tag(f, "TSRC", "isrc") == isrc or isrc is None, name
        art = _artwork(f)
        assert art == audiofiles.JPEG, name


def _artwork(f) -> bytes | None:
    if hasattr(f, "pictures"):  # FLAC
        return f.pictures[0].data if f.pictures else None
    if "covr" in f.tags:
        return bytes(f.tags["covr"][0])
    apic = f.tags.getall("APIC")
    return apic[0].data if apic else None


def test_a_format_mutagen_cannot_tag_is_downloaded_untagged_with_one_warning(
    user_sc, sandbox, tmp_path
):
    (urn,) = library(sandbox, titles=["Raw Stream"], format="aac", size=4000)
    music = tmp_path / "music"
    r = user_sc("sync", "likes", str(music))
    assert r.code == 0, r
    assert (music / "Raw Stream.aac").read_bytes() == sandbox.get(
        f"/_sandbox/original/{urn.rsplit(':', 1)[1]}"
    ).content
    assert r.stderr.count("warning: ") == 1 and "Raw Stream.aac is not tagged" in r.stderr


HOSTILE = ["../x", "CON", "t" * 300, "🎵 song 🎶", "bell\x07\x1b[31m red\r\nline", "Song", "song"]


def test_hostile_titles_never_write_outside_dir_and_never_overwrite(user_sc, sandbox, tmp_path):
    urns = library(sandbox, titles=HOSTILE, size=2000)
    music = tmp_path / "deep" / "music"
    music.parent.mkdir()
    (tmp_path / "deep" / "x.mp3").write_bytes(b"outside")
    for template in (None, "{title}/{title}.{ext}"):
        folder = music if template is None else tmp_path / "templated"
        args = ["sync", "likes", str(folder)] + (["-t", template] if template else [])
        r = user_sc(*args)
        assert r.code == 0, [line for line in r.stdout.splitlines() if line.startswith("!")]
        found = files(folder)
        assert len(found) == 4 + len(HOSTILE)  # every track its own file
        for rel, path in found.items():
            assert path.resolve().is_relative_to(folder.resolve())
            for part in Path(rel).parts:
                assert len(part.encode()) <= 255 and part not in (".", "..")
                assert part.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
                assert not any(ord(c) < 32 for c in part) and not part.endswith((" ", "."))
        names = {p.name.casefold() for p in found.values()}
        assert len(names) == len(found)  # case-insensitive file systems keep them all
    assert (tmp_path / "deep" / "x.mp3").read_bytes() == b"outside"
    shown = user_sc("sync", "likes", str(music), "--dry-run", tty="stdout")
    assert shown.code == 0 and "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "\\x1b" in shown.stdout  # the title's escape, shown escaped on a terminal
    assert len({line.split("\t")[0] for line in archive_lines(music)}) == len(urns) + 4


def test_a_file_already_there_is_never_overwritten(user_sc, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    (music / "Night Tram.flac").write_bytes(b"someone else's")
    r = user_sc("sync", "likes", str(music))
    assert r.code == 0, r
    assert (music / "Night Tram.flac").read_bytes() == b"someone else's"
    assert (music / "Night Tram-390002.flac").is_file()


def test_template_and_m3u_for_a_set(user_sc, tmp_path):
    album = tmp_path / "album"
    template = "{user.username}/{set.title}/{track_number:02d} {title}.{ext}"
    r = user_sc("sync", "set", SET, str(album), "--template", template, "--m3u")
    assert r.code == 0, r
    m3u = (album / "Sandbox Downloads.m3u8").read_text(encoding="utf-8").splitlines()
    assert m3u[0] == "#EXTM3U"
    paths = m3u[2::2]
    assert [p.split("/")[-1] for p in paths] == [
        "01 Harbour Lights.mp3",
        "02 Night Tram.flac",
        "03 Canal Morning.wav",
        "04 Paper Lantern.m4a",
    ]
    assert all((album / p).is_file() for p in paths)
    assert m3u[1] == "#EXTINF:1,The Harbour Band - Harbour Lights"
    # Reordered: the playlist follows on the next sync (nothing is downloaded again).
    order = ["390004", "390003", "390002", "390001", "390005"]
    assert user_sc("playlists", "reorder", SET, *order).code == 0
    assert user_sc("sync", "set", SET, str(album), "--template", template, "--m3u").code == 0
    again = (album / "Sandbox Downloads.m3u8").read_text().splitlines()
    assert [p.split("/")[-1] for p in again[2::2]][0] == "04 Paper Lantern.m4a"


def test_every_source(user_sc, sandbox, tmp_path):
    reposts = user_sc("sync", "reposts", str(tmp_path / "r"), "--json")
    assert reposts.code == 0, reposts
    assert {c["title"]: c["change"] for c in reposts.json["changes"]} == {
        "Salt Pier": "added",
        "Copper Bridge": "skipped",
    }
    mine = user_sc("sync", "mine", str(tmp_path / "m"), "--json")
    assert mine.code == 0 and mine.json["added"] == 1  # her one downloadable upload
    theirs = user_sc("sync", "user", "soundcloud:users:1003", str(tmp_path / "u"), "--json")
    assert theirs.code == 0 and "Night Tram" in [c["title"] for c in theirs.json["changes"]]
    piped = user_sc(
        "sync", "-", str(tmp_path / "p"), input="soundcloud:tracks:390001\nnot a track\n"
    )
    assert piped.code == 1, piped
    assert (tmp_path / "p" / "Harbour Lights.mp3").is_file()
    assert "! not a track" in piped.stdout and "error: 1 of 2 failed" in piped.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["sync"],
        ["sync", "favourites", "DIR"],
        ["sync", "set", "DIR"],
        ["sync", "likes", "A", "B"],
        ["sync", "likes", "DIR", "--template", "{title"],
        ["sync", "likes", "DIR", "--template", "/abs/{title}.{ext}"],
        ["sync", "likes", "DIR", "--max-delete", "-1"],
    ],
)
def test_bad_usage_is_one_line_and_exit_2(user_sc, tmp_path, args):
    args = [str(tmp_path / a) if a in ("DIR", "A", "B") else a for a in args]
    r = user_sc(*args)
    assert r.code == 2, r
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr


def test_an_unknown_template_field_is_exit_2_before_any_download(user_sc, sandbox, tmp_path):
    r = user_sc("sync", "likes", str(tmp_path / "m"), "-t", "{titel}.{ext}")
    assert r.code == 2, r
    assert "unknown field {titel}" in r.stderr
    assert sandbox.count(DOWNLOADS) <= 1 and not list((tmp_path / "m").rglob("*.mp3"))


def test_failures_are_listed_and_exit_1(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks/soundcloud:tracks:390002/download", status=500, times=20)
    r = user_sc("sync", "likes", str(tmp_path / "m"), "--jobs", "1")
    assert r.code == 1, r
    assert "! soundcloud:tracks:390002 Night Tram" in r.stdout
    assert "error: 1 of 5 failed" in r.stderr
    assert "soundcloud:tracks:390002" not in Archive(tmp_path / "m" / ".sc-archive")
    requests.delete(sandbox.url + "/_sandbox/faults", timeout=10)
    again = user_sc("sync", "likes", str(tmp_path / "m"))
    assert again.code == 0, again
    assert (tmp_path / "m" / "Night Tram.flac").is_file()


# -- units ------------------------------------------------------------------------------------------
def test_safe_component_cuts_at_255_bytes_on_a_character_boundary():
    name = safe_component("é" * 200 + ".flac")
    assert name.endswith(".flac") and len(name.encode()) <= 255
    name.encode().decode()  # whole characters only
    assert safe_component("CON") == "_CON" and safe_component("nul.txt") == "_nul.txt"
    assert safe_component("name. . ") == "name" and safe_component("") == "_"
    assert safe_component("a/b\\c:d") == "a_b_c_d"


def test_a_template_field_cannot_add_a_folder():
    path = render(
        "{user.username}/{title}.{ext}",
        track_values({"title": "../../etc/passwd", "user": {"username": ".."}}, "mp3"),
    )
    assert ".." not in path.parts and len(path.parts) == 2


def test_the_archive_tolerates_duplicates_and_a_torn_last_line(tmp_path):
    path = tmp_path / ".sc-archive"
    path.write_bytes(
        b"soundcloud:tracks:1\ta.mp3\nsoundcloud:tracks:1\ta.mp3\n"
        b"soundcloud:tracks:2\n-soundcloud:tracks:2\nsoundcloud:tracks:12"
    )
    a = Archive(path)
    assert "soundcloud:tracks:1" in a and len(a) == 1
    assert "soundcloud:tracks:12" not in a  # cut short: not trusted
    a.added("soundcloud:tracks:3", tmp_path / "c.mp3")
    assert path.read_bytes().endswith(b"tracks:12\x00\nsoundcloud:tracks:3\tc.mp3\n")
    assert set(Archive(path).entries) == {"soundcloud:tracks:1", "soundcloud:tracks:3"}
    assert os.stat(path).st_size > 0 and json.dumps(sorted(a.entries))


# -- sc tracks download: --template, --skip-existing, --archive, --tag ------------------------------
def test_tracks_download_skip_existing_is_exit_0_and_fetches_no_body_twice(user_sc, tmp_path):
    out = tmp_path / "out"
    first = user_sc("tracks", "download", "390001", "390002", "-o", f"{out}/")
    assert first.code == 0, first
    again = user_sc("tracks", "download", "390001", "390002", "-o", f"{out}/")
    assert again.code == 1  # without it: exit 2 per file ("already exists")
    skipped = user_sc("tracks", "download", "390001", "390002", "-o", f"{out}/", "--skip-existing")
    assert skipped.code == 0, skipped
    assert [r["ok"] for r in skipped.ndjson] == [True, True]
    one = user_sc(
        "tracks", "download", "390001", "-o", str(out / "Harbour Lights.mp3"), "--skip-existing"
    )
    assert one.code == 0 and "is already complete" in one.stderr
    (out / "Night Tram.flac").write_bytes(b"different")
    refused = user_sc("tracks", "download", "390002", "-o", f"{out}/", "--skip-existing")
    assert refused.code == 2 and (out / "Night Tram.flac").read_bytes() == b"different"


def test_tracks_download_archive_and_template_and_tag(user_sc, sandbox, tmp_path):
    out, archive = tmp_path / "out", tmp_path / "seen.txt"
    args = ["-o", f"{out}/", "--archive", str(archive), "-t", "{user.username}/{title}.{ext}"]
    first = user_sc("tracks", "download", "390001", "390003", *args, "--tag")
    assert first.code == 0, first
    got = files(out)
    assert sorted(p.split("/")[-1] for p in got) == ["Canal Morning.wav", "Harbour Lights.mp3"]
    assert all("/" in p for p in got)  # in the uploader's folder
    tagged = mutagen.File(next(p for n, p in got.items() if n.endswith(".mp3")))
    assert _tag(tagged, "TXXX:SOUNDCLOUD_URN") == "soundcloud:tracks:390001"
    before = sandbox.count(DOWNLOADS)
    again = user_sc("tracks", "download", "390001", "390003", *args)
    assert again.code == 0 and sandbox.count(DOWNLOADS) == before
    assert [r["ok"] for r in again.ndjson] == [True, True]
    assert len(Archive(archive)) == 2
    single = user_sc(
        "tracks", "download", "390002", "-o", str(tmp_path / "x.flac"), "-t", "{title}"
    )
    assert single.code == 2 and "folder" in single.stderr


def test_an_archive_line_cannot_point_a_deletion_outside_the_folder(user_sc, tmp_path):
    music = tmp_path / "music"
    assert user_sc("sync", "likes", str(music)).code == 0
    victim = tmp_path / "victim.mp3"
    victim.write_bytes(b"keep me")
    with open(music / ".sc-archive", "a") as f:
        f.write("soundcloud:tracks:1\t../victim.mp3\n")
    (music / "link").symlink_to(tmp_path)
    with open(music / ".sc-archive", "a") as f:
        f.write("soundcloud:tracks:2\tlink/victim.mp3\n")
    r = user_sc("sync", "likes", str(music), "--delete", "--force")
    assert r.code == 0, r
    assert victim.read_bytes() == b"keep me"


def test_a_download_cut_off_part_way_is_resumed_within_the_sync(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks/soundcloud:tracks:390002/download", cut_at=0.5)
    r = user_sc("--debug", "sync", "likes", str(tmp_path / "m"), "--jobs", "1")
    assert r.code == 0, r.stderr[-2000:]
    assert "> Range: bytes=" in r.stderr
    f = mutagen.File(tmp_path / "m" / "Night Tram.flac")
    assert f.info.length > 0 and f.tags["soundcloud_urn"] == ["soundcloud:tracks:390002"]


def test_a_part_file_is_resumed_only_by_the_track_it_belongs_to(user_sc, sandbox, tmp_path):
    """Two tracks called "Intro": a killed run left the one listed second half-written under
    the plain name; the next run must not let the first one continue those bytes."""
    older, newer = library(sandbox, titles=["Intro", "Intro"], size=20000)
    original = {
        u: sandbox.get(f"/_sandbox/original/{u.rsplit(':', 1)[1]}").content for u in (older, newer)
    }
    music = tmp_path / "music"
    music.mkdir()
    (music / "Intro.mp3.part").write_bytes(original[older][:7000])
    (music / ".sc-archive").write_text(f"?{older}\tIntro.mp3\n")
    r = user_sc("sync", "likes", str(music), "--jobs", "1")  # likes: newest first
    assert r.code == 0, r
    for path in (
        music / "Intro.mp3",
        music / f"Intro-{older.rsplit(':', 1)[1]}.mp3",
        music / f"Intro-{newer.rsplit(':', 1)[1]}.mp3",
    ):
        if not path.exists():
            continue
        urn = _tag(mutagen.File(path), "TXXX:SOUNDCLOUD_URN")
        data = path.read_bytes()
        size = sum((data[6 + i] & 0x7F) << (7 * (3 - i)) for i in range(4))
        assert data[10 + size :] == original[urn], path
    assert (music / "Intro.mp3").is_file() and not list(music.glob("*.part"))


@settings(max_examples=int(os.environ.get("SC_FUZZ_EXAMPLES", "200")), deadline=None)
@given(st.text(max_size=400))
def test_any_title_makes_one_safe_component(title):
    name = safe_component(title + ".mp3", limit=250)
    assert len(name.encode()) <= 250 and name.endswith(".mp3")
    assert not set(name) & set('/\\\\<>:"|?*')
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name)
    assert name not in (".", "..") and not name.startswith(".") and not name.endswith((" ", "."))
    assert name.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT1")
    path = render("{title}/{title}.{ext}", track_values({"title": title}, "mp3"))
    assert 1 <= len(path.parts) <= 2 and ".." not in path.parts and path.name.endswith(".mp3")


@pytest.mark.parametrize("ext", ["ogg", "aiff"])
def test_ogg_and_aiff_take_tags_and_artwork_too(tmp_path, ext):
    from audio import make_audio

    from sccli.core.tagging import Tags, read_urn, write_tags

    path = make_audio(tmp_path / f"take.{ext}", seconds=0.3)
    part = path.rename(tmp_path / f"take.{ext}.part")  # tagged as sync tags: the .part
    tags = Tags(
        title="Réveil", artist="Ada", album="Set", track_number=2, urn="soundcloud:tracks:7"
    )
    tags.artwork = audiofiles.JPEG
    write_tags(part, tags, f".{ext}")
    write_tags(part, tags, f".{ext}")  # twice: still one of each
    final = part.rename(path)
    f = mutagen.File(final)
    assert _tag(f, "TIT2", "title") == "Réveil" and _tag(f, "TALB", "album") == "Set"
    assert read_urn(final) == "soundcloud:tracks:7"
    if ext == "ogg":
        import base64

        from mutagen.flac import Picture

        (block,) = f.tags["METADATA_BLOCK_PICTURE"]
        assert Picture(base64.b64decode(block)).data == audiofiles.JPEG
        assert f.tags["title"] == ["Réveil"]
    else:
        assert [p.data for p in f.tags.getall("APIC")] == [audiofiles.JPEG]
        assert len(f.tags.getall("TIT2")) == 1


def test_artwork_is_asked_for_at_the_largest_size_the_api_names():
    from sccli.core.tagging import artwork_url, tags_for

    big = "https://i1.sndcdn.com/artworks-000123-abc-t500x500.jpg"
    assert artwork_url({"artwork_url": big.replace("t500x500", "large")}) == big
    assert artwork_url({"artwork_url": None}) is None
    t = tags_for({"created_at": "2023/02/03 04:05:06 +0000", "user": {"username": "ada"}})
    assert (t.date, t.artist, t.album, t.track_number) == ("2023-02-03", "ada", "", None)


def test_an_archive_that_is_a_folder_is_named_in_the_error(user_sc, tmp_path):
    music = tmp_path / "music"
    (music / ".sc-archive").mkdir(parents=True)
    r = user_sc("sync", "likes", str(music))
    assert r.code == 2 and f"the archive {music / '.sc-archive'} is a folder" in r.stderr, r
    assert "None" not in r.stderr


def test_a_folder_that_cannot_be_written_is_one_error_before_any_download(user_sc, tmp_path):
    """Not the same failure once per track: sync finds out before it downloads anything."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    r = user_sc("sync", "likes", str(blocker / "lib"), "--archive", str(tmp_path / "arch"))
    assert r.code == 1 and f"cannot write to {blocker / 'lib'}" in r.stderr, r
    assert r.stderr.count("error:") == 1 and "+ " not in r.stdout, r


def test_sandbox_tracks_without_artwork_have_none_and_sync_says_nothing_of_it(user_sc, tmp_path):
    """As the live API: artwork_url is null for a track without artwork of its own (a made-up
    CDN address made every `sc --sandbox sync` warn once per track that it could not fetch)."""
    r = user_sc("sync", "likes", str(tmp_path / "lib"))
    assert r.code == 0 and "no artwork in" not in r.stderr, r
