"""sc tracks download: byte-identical originals, resumed with Range after a cut, safe names,
no overwriting without --force, not-downloadable is exit 3, --all-mine and stdin."""

import hashlib
import json

import pytest
import requests
from audio import make_wav

from sccli.core.download import disposition_name, file_name, safe_filename


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def uploaded(user_sc, tmp_path):
    """A WAV uploaded by sandbox-user (uploads are downloadable unless told otherwise)."""
    wav = make_wav(tmp_path / "take one.wav", seconds=1.0)  # ~44 kB
    up = user_sc("tracks", "upload", str(wav), "--json")
    assert up.code == 0, up
    return up.json["urn"], wav


def test_download_is_byte_identical_and_named_by_the_server(user_sc, uploaded, tmp_path):
    urn, wav = uploaded
    out = tmp_path / "out"
    r = user_sc("tracks", "download", urn, "-o", f"{out}/")
    assert r.code == 0, r
    got = out / "take one.wav"  # Content-Disposition: the uploaded file's name
    assert sha(got) == sha(wav)
    assert sorted(p.name for p in out.iterdir()) == ["take one.wav"]  # no .part left
    assert f"downloaded {urn} to {got}" in r.stderr


def test_a_cut_download_resumes_with_a_range_request(user_sc, uploaded, sandbox, tmp_path):
    urn, wav = uploaded
    sandbox.fault(path="/tracks/*/download", cut_at=0.5)
    dest = tmp_path / "copy.wav"
    r = user_sc("--debug", "tracks", "download", urn, "-o", str(dest))
    assert r.code == 0, r
    assert sha(dest) == sha(wav)
    half = wav.stat().st_size // 2
    assert f"> Range: bytes={half}-" in r.stderr
    assert "< 206 PARTIAL CONTENT" in r.stderr.upper()
    assert "resumed 1x" in r.stderr
    assert sandbox.count("GET /tracks/<ref>/download") == 2  # the authenticated hop, twice


def test_a_part_file_left_by_an_earlier_run_is_resumed(user_sc, uploaded, tmp_path):
    urn, wav = uploaded
    data = wav.read_bytes()
    dest = tmp_path / "backup" / "take.wav"
    dest.parent.mkdir()
    (tmp_path / "backup" / "take.wav.part").write_bytes(data[:1000])
    r = user_sc("--debug", "tracks", "download", urn, "-o", str(dest))
    assert r.code == 0, r
    assert "> Range: bytes=1000-" in r.stderr
    assert sha(dest) == sha(wav)
    assert not (tmp_path / "backup" / "take.wav.part").exists()


def test_a_stale_part_the_server_cannot_continue_starts_over(user_sc, uploaded, tmp_path):
    urn, wav = uploaded
    dest = tmp_path / "take.wav"
    (tmp_path / "take.wav.part").write_bytes(b"x" * (wav.stat().st_size + 10))  # too long: 416
    r = user_sc("tracks", "download", urn, "-o", str(dest))
    assert r.code == 0, r
    assert sha(dest) == sha(wav)


def test_not_downloadable_is_exit_3(user_sc, tmp_path):
    out = tmp_path / "out"
    r = user_sc("tracks", "download", "soundcloud:tracks:300001", "-o", f"{out}/")
    assert r.code == 3, r
    assert r.stderr.startswith("error: soundcloud:tracks:300001 is not downloadable\n")
    assert not out.exists()


def test_an_existing_file_is_kept_without_force(user_sc, uploaded, tmp_path):
    urn, wav = uploaded
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "mine.wav"
    dest.write_bytes(b"precious")
    r = user_sc("tracks", "download", urn, "-o", str(dest))
    assert r.code == 2 and "already exists" in r.stderr and "--force" in r.stderr, r
    assert dest.read_bytes() == b"precious"
    same_dir = user_sc("tracks", "download", urn, "-o", str(out))  # named by the server
    assert same_dir.code == 0, same_dir
    again = user_sc("tracks", "download", urn, "-o", str(out))
    assert again.code == 2 and "take one.wav already exists" in again.stderr, again
    forced = user_sc("tracks", "download", urn, "-o", str(dest), "--force")
    assert forced.code == 0, forced
    assert sha(dest) == sha(wav)


def test_a_hostile_server_file_name_stays_in_the_folder(user_sc, sandbox, tmp_path):
    access = json.loads(user_sc.token_file.read_text())["access_token"]
    wav = make_wav(tmp_path / "a.wav", seconds=0.1)
    name = "../../.evil\x1b]0;pwned\x07\u202e.wav"
    with open(wav, "rb") as f:
        up = requests.post(
            sandbox.url + "/tracks",
            headers={"Authorization": f"OAuth {access}"},
            data={"track[title]": "Hostile"},
            files={"track[asset_data]": (name, f)},
            timeout=10,
        )
    assert up.status_code == 201, up.text
    out = tmp_path / "out"
    r = user_sc("tracks", "download", up.json()["urn"], "-o", f"{out}/")
    assert r.code == 0, r
    assert [p.name for p in out.iterdir()] == ["evil]0;pwned.wav"]
    assert not (tmp_path / ".evil").exists()


def test_all_mine_backs_up_and_skips_complete_files(user_sc, uploaded, tmp_path):
    urn, wav = uploaded
    backup = tmp_path / "backup"
    first = user_sc("tracks", "download", "--all-mine", str(backup))
    assert first.code == 0, first
    done = {r["urn"] for r in first.ndjson if r["ok"]}
    assert done == {urn, "soundcloud:tracks:300002"}  # the seed's one downloadable track of hers
    assert "skipped soundcloud:tracks:300001: downloads are off" in first.stderr
    assert sha(backup / "take one.wav") == sha(wav)
    stamp = (backup / "take one.wav").stat().st_mtime_ns
    second = user_sc("tracks", "download", "--all-mine", str(backup), tty="stdout")
    assert second.code == 0, second
    assert f"skipped {urn}: {backup / 'take one.wav'} is already complete" in second.stderr
    assert (backup / "take one.wav").stat().st_mtime_ns == stamp
    assert user_sc("tracks", "download", "--all-mine", str(backup), "300002").code == 2


def test_likes_piped_into_download(user_sc, tmp_path):
    seeded = user_sc("likes", "--ndjson").stdout  # her library: not what this test is about
    assert user_sc("unlike", "-", input=seeded).code == 0
    assert user_sc("like", "300010", "300012", "300001").code == 0
    likes = user_sc("likes", "--ndjson")
    r = user_sc("tracks", "download", "-", "-o", str(tmp_path / "liked"), input=likes.stdout)
    assert r.code == 1, r  # 300001 is not downloadable: reported, the others done
    assert {x["urn"]: x["ok"] for x in r.ndjson if "urn" in x} == {
        "soundcloud:tracks:300010": True,
        "soundcloud:tracks:300012": True,
    }
    assert [x for x in r.ndjson if not x["ok"]][0]["ref"] == "soundcloud:tracks:300001"
    assert len(list((tmp_path / "liked").iterdir())) == 2


def test_progress_only_on_a_terminal(user_sc, uploaded, tmp_path):
    urn, _ = uploaded
    quiet = user_sc("tracks", "download", urn, "-o", str(tmp_path / "a.wav"))
    assert quiet.stderr.count("\n") == 1 and "\x1b" not in quiet.stderr
    shown = user_sc("tracks", "download", urn, "-o", str(tmp_path / "b.wav"), tty="stderr")
    assert shown.code == 0 and "downloading b.wav" in shown.stderr


def test_a_download_needs_a_track_and_several_need_a_folder(user_sc, tmp_path):
    r = user_sc("tracks", "download")
    assert r.code == 2 and "--all-mine" in r.stderr
    (tmp_path / "f.wav").write_bytes(b"x")
    several = user_sc("tracks", "download", "300010", "300012", "-o", str(tmp_path / "f.wav"))
    assert several.code == 2 and "need a folder" in several.stderr, several
    nested = tmp_path / "new" / "dir" / "one.wav"
    assert user_sc("tracks", "download", "300010", "-o", str(nested)).code == 0
    assert nested.stat().st_size > 44


@pytest.mark.parametrize(
    "given,safe",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        (".bashrc", "bashrc"),
        ("...", ""),
        ("a\x00b\x1b[31mc.wav", "ab[31mc.wav"),
        ("  song\u202e.wav  ", "song.wav"),
        ("x" * 300 + ".flac", "x" * 245 + ".flac"),  # room for .part
    ],
)
def test_safe_filename(given, safe):
    assert safe_filename(given) == safe


def test_names_from_content_disposition_else_title_and_type():
    assert disposition_name('attachment; filename="a b.wav"') == "a b.wav"
    assert disposition_name("attachment; filename*=UTF-8''caf%C3%A9%2F.wav") == "café/.wav"
    assert disposition_name("attachment") is None
    track = {"id": 7, "title": "AC/DC: live", "original_format": "flac"}
    assert file_name(track, {"Content-Type": "audio/wav"}) == "AC-DC: live.wav"
    assert file_name(track, {"Content-Type": "application/octet-stream"}) == "AC-DC: live.flac"
    hostile = {"Content-Disposition": 'attachment; filename="../.."', "Content-Type": "audio/mpeg"}
    assert file_name({"id": 7, "title": ""}, hostile) == "track-7.mp3"
