"""Uploads end to end: validation, byte-identical arrival, --wait, and no duplicate after faults."""

import hashlib
import os

import pytest
import requests
from audio import PNG, make_audio, make_wav


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cdn_bytes(user_sc, urn: str) -> bytes:
    r = user_sc("stream-url", urn, "--format", "hls-mp3", "--resolve")
    assert r.code == 0, r
    url = r.stdout.strip()
    resp = requests.get(url, timeout=10)  # no Authorization: the CDN URL needs none
    assert resp.status_code == 200
    return resp.content


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
def test_upload_arrives_byte_identical(user_sc, sandbox, tmp_path, suffix):
    audio = make_audio(tmp_path / f"take one{suffix}")
    sandbox.config(transcode_delay=0)
    r = user_sc(
        "tracks", "upload", str(audio), "--tag", "live", "--tag", "field recording", "--json"
    )
    assert r.code == 0, r
    track = r.json
    assert track["title"] == "Take One"  # from the file name, as `release init` titles it
    assert track["sharing"] == "private"  # the safe default
    assert track["tag_list"] == 'live "field recording"'
    assert sha(cdn_bytes(user_sc, track["urn"])) == sha(audio.read_bytes())


def test_metadata_options_are_sent(user_sc, tmp_path):
    audio = make_wav(tmp_path / "a.wav")
    art = tmp_path / "cover.png"
    art.write_bytes(PNG)
    r = user_sc(
        "tracks",
        "upload",
        str(audio),
        "--title",
        "Pier",
        "--description",
        "d",
        "--genre",
        "Folk",
        "--sharing",
        "public",
        "--license",
        "cc-by-sa",
        "--release-date",
        "2026-01-02",
        "--no-downloadable",
        "--no-commentable",
        "--artwork",
        str(art),
        "--json",
    )
    assert r.code == 0, r
    t = r.json
    assert (t["title"], t["description"], t["genre"], t["sharing"], t["license"]) == (
        "Pier",
        "d",
        "Folk",
        "public",
        "cc-by-sa",
    )
    assert t["downloadable"] is False and t["commentable"] is False
    assert (t["release_year"], t["release_month"], t["release_day"]) == (2026, 1, 2)
    assert requests.get(t["artwork_url"], timeout=10).content == PNG


def test_text_posing_as_mp3_is_refused_before_sending(user_sc, sandbox, tmp_path):
    fake = tmp_path / "song.mp3"
    fake.write_text("this is not audio at all\n" * 10)
    before = sandbox.count("POST /tracks")
    r = user_sc("tracks", "upload", str(fake))
    assert r.code == 2, r
    assert "not audio" in r.stderr and "Traceback" not in r.stderr
    assert sandbox.count("POST /tracks") == before


@pytest.mark.parametrize("case", ["missing", "directory", "bad-artwork", "empty", "png-as-flac"])
def test_invalid_input_exits_2_with_nothing_sent(user_sc, sandbox, tmp_path, case):
    args = ["tracks", "upload"]
    if case == "missing":
        args.append(str(tmp_path / "nope.wav"))
    elif case == "directory":
        args.append(str(tmp_path))
    elif case == "png-as-flac":
        (tmp_path / "cover.flac").write_bytes(PNG)
        args.append(str(tmp_path / "cover.flac"))
    elif case == "bad-artwork":
        art = tmp_path / "art.jpg"
        art.write_text("not an image")
        args += [str(make_wav(tmp_path / "a.wav")), "--artwork", str(art)]
    else:
        (tmp_path / "e.wav").write_bytes(b"")
        args.append(str(tmp_path / "e.wav"))
    r = user_sc(*args)
    assert r.code == 2, r
    assert r.stderr.startswith("error: ")
    assert sandbox.count("POST /tracks") == 0


def test_wait_returns_once_finished(user_sc, sandbox, tmp_path):
    sandbox.config(transcode_delay=2)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "w.wav")), "--wait", "--json")
    assert r.code == 0, r
    assert r.json["state"] == "finished"
    assert sandbox.count("GET /tracks/<ref>") >= 2


def test_wait_reports_failed_processing(user_sc, sandbox, tmp_path):
    # Content that sniffs as MP3 but is mostly text: the server accepts it, then fails it.
    odd = tmp_path / "odd.mp3"
    odd.write_bytes(b"ID3" + b"hello world " * 20)
    sandbox.config(transcode_delay=0)
    r = user_sc("tracks", "upload", str(odd), "--wait")
    assert r.code == 1, r
    assert "failed" in r.stderr


def my_titles(user_sc, title):
    return [t for t in user_sc("tracks", "list", "--all", "--json").json if t["title"] == title]


def test_drop_after_body_reports_uploaded_and_makes_one_track(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", drop=True, after=True)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "dropped.wav")), "--json")
    assert r.code == 0, r
    assert "uploaded" in r.stderr
    assert sandbox.count("POST /tracks") == 1
    assert len(my_titles(user_sc, "Dropped")) == 1


def test_drop_before_creation_reports_not_uploaded(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", drop=True)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "lost.wav")))
    assert r.code in (1, 6), r
    assert "not uploaded" in r.stderr or "cannot connect" in r.stderr
    assert sandbox.count("POST /tracks") == 1
    assert my_titles(user_sc, "Lost") == []


def test_504_with_the_track_created_is_success_without_a_second_upload(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", status=504, after=True)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "gateway.wav")), "--json")
    assert r.code == 0, r
    assert r.json["title"] == "Gateway"
    assert sandbox.count("POST /tracks") == 1
    assert len(my_titles(user_sc, "Gateway")) == 1


def test_503_without_creation_is_not_uploaded_exit_1(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", status=503, body="html")
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "busy.wav")))
    assert r.code == 1, r
    assert "not uploaded" in r.stderr
    assert sandbox.count("POST /tracks") == 1


def test_if_absent_twice_makes_one_track(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "release.wav")
    first = user_sc("tracks", "upload", str(audio), "--if-absent", "--json")
    second = user_sc("tracks", "upload", str(audio), "--if-absent", "--json")
    assert first.code == 0 and second.code == 0, (first, second)
    assert first.json["urn"] == second.json["urn"]
    assert sandbox.count("POST /tracks") == 1
    assert second.stderr.startswith("skipped: you already have")


def test_upload_to_a_playlist(user_sc, tmp_path):
    p = user_sc("playlists", "create", "Drafts", "--json").json
    r = user_sc(
        "tracks", "upload", str(make_wav(tmp_path / "s.wav")), "--playlist", p["urn"], "--json"
    )
    assert r.code == 0, r
    got = user_sc("playlists", "get", p["urn"], "--json").json
    assert [t["urn"] for t in got["tracks"]] == [r.json["urn"]]


def test_update_sends_only_given_fields(user_sc, sandbox, tmp_path):
    t = user_sc(
        "tracks", "upload", str(make_wav(tmp_path / "u.wav")), "--genre", "Jazz", "--json"
    ).json
    r = user_sc("tracks", "update", t["urn"], "--title", "Renamed", "--license", "cc-by", "--json")
    assert r.code == 0, r
    assert (r.json["title"], r.json["license"], r.json["genre"]) == ("Renamed", "cc-by", "Jazz")
    art = tmp_path / "c.png"
    art.write_bytes(PNG)
    r = user_sc("tracks", "update", t["urn"], "--artwork", str(art), "--json")
    assert r.code == 0 and requests.get(r.json["artwork_url"], timeout=10).content == PNG
    none = user_sc("tracks", "update", t["urn"])
    assert none.code == 2


def test_delete_needs_yes_off_a_terminal(user_sc, tmp_path):
    t = user_sc("tracks", "upload", str(make_wav(tmp_path / "d.wav")), "--json").json
    r = user_sc("tracks", "delete", t["urn"])
    assert r.code == 2 and "--yes" in r.stderr
    assert user_sc("tracks", "delete", t["urn"], "--yes").code == 0
    assert user_sc("tracks", "get", t["urn"]).code == 3


def test_app_token_cannot_write(sc, tmp_path):
    r = sc("tracks", "upload", str(make_wav(tmp_path / "a.wav")))
    assert r.code == 4, r
    assert "sc auth login" in r.stderr


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX machine")
def test_large_upload_keeps_memory_flat(user_sc, sandbox, tmp_path):
    """A 160 MB upload (above the 100 MB bound: reading it into memory would fail) keeps the client's peak RSS under 100 MB (bench/upload.py prints figures)."""
    import subprocess
    import sys

    big = tmp_path / "big.wav"
    make_wav(big, seconds=0.1)
    with open(big, "r+b") as f:
        f.truncate(160 * 1024 * 1024)  # a sparse file: a WAV header, then silence
    env = {"SC_TOKEN_FILE": str(user_sc.token_file)}
    r = user_sc("tracks", "upload", str(big), "--title", "big", "--json", env=env)
    assert r.code == 0, r
    # Measure the same upload's peak RSS in a child whose rusage we can read.
    script = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], capture_output=True);"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    from conftest import SC_CMD, sandbox_env

    e = sandbox_env(sandbox, tmp_path, user_sc.token_file)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            *SC_CMD,
            "tracks",
            "upload",
            str(big),
            "--title",
            "big2",
            "--json",
        ],
        env=e,
        capture_output=True,
        text=True,
    )
    code, peak_kb = out.stdout.split()
    assert code == "0", out.stderr
    assert int(peak_kb) < 100 * 1024, f"peak RSS {int(peak_kb) // 1024} MB"


def test_progress_bar_only_when_stderr_is_a_terminal(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "bar.wav", seconds=5)
    shown = user_sc("tracks", "upload", str(audio), "--json", tty="stderr")
    assert shown.code == 0, shown
    assert "uploading bar.wav" in shown.stderr and "kB" in shown.stderr
    assert shown.json["title"] == "Bar"
    quiet = user_sc("tracks", "upload", str(audio), "--title", "bar2", "--json")
    assert "uploading" not in quiet.stderr and "kB" not in quiet.stderr


def test_429_on_upload_sends_again_from_the_start(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "limited.wav")
    sandbox.fault(path="/tracks", method="POST", status=429, reset_in=1)
    sandbox.config(transcode_delay=0)
    r = user_sc("tracks", "upload", str(audio), "--json")
    assert r.code == 0, r
    assert sandbox.count("POST /tracks") == 2
    assert sha(cdn_bytes(user_sc, r.json["urn"])) == sha(audio.read_bytes())


def test_429_far_off_on_upload_exits_5(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", status=429, reset_in=7200)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "later.wav")))
    assert r.code == 5, r
    assert sandbox.count("POST /tracks") == 1


def _parsed(body) -> tuple[dict, dict]:
    """The form fields and files of a multipart body, as werkzeug (the sandbox) reads them."""
    import io

    from werkzeug.formparser import parse_form_data

    data = b"".join(bytes(chunk) for chunk in body)
    assert len(data) == len(body)  # the Content-Length sent is the body's exact length
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": body.content_type,
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
    }
    _, form, files = parse_form_data(environ)
    return dict(form), {k: (f.filename, f.mimetype, f.read()) for k, f in files.items()}


def test_multipart_body_parses_back_in_blocks_with_progress(tmp_path):
    from sccli.core.multipart import FilePart, MultipartBody

    audio = tmp_path / 'tâke "one".wav'
    content = os.urandom(2_600_000)
    audio.write_bytes(content)
    seen = []
    with open(audio, "rb") as f:
        body = MultipartBody(
            [
                ("track[title]", "Tâke one"),
                ("track[asset_data]", FilePart(f, audio.name, "audio/wav")),
            ],
            progress=lambda done, total: seen.append((done, total)),
            block=4096,  # several blocks: the buffer is reused between them
        )
        form, files = _parsed(body)
    assert form == {"track[title]": "Tâke one"}
    assert files == {"track[asset_data]": ('tâke "one".wav', "audio/wav", content)}
    # A call a MB, not one per 32 KB block, and one at the end.
    assert len(seen) == 3 and seen == sorted(seen) and seen[-1] == (len(body), len(body))


def test_a_file_that_shrinks_while_uploading_is_an_error_not_a_short_body(tmp_path):
    from sccli.core.errors import UsageError
    from sccli.core.multipart import FilePart, MultipartBody

    audio = tmp_path / "a.wav"
    audio.write_bytes(bytes(100))
    with open(audio, "rb") as f:
        body = MultipartBody([("track[asset_data]", FilePart(f, "a.wav", "audio/wav"))])
        audio.write_bytes(bytes(10))  # cut down after its size was taken
        with pytest.raises(UsageError, match="got shorter while it was being uploaded"):
            b"".join(bytes(chunk) for chunk in body)


def test_a_file_skipped_by_if_absent_says_so_in_its_record(user_sc, tmp_path):
    """In a pipe, each file's NDJSON record: a skip (nothing written) is told apart from an
    upload by "skipped": true, so a script need not guess."""
    from audio import make_wav

    files = [str(make_wav(tmp_path / f"skip-{n}.wav", seconds=1 + n)) for n in range(2)]
    first = user_sc("tracks", "upload", *files, "--if-absent", "--sharing", "private")
    assert first.code == 0 and [x.get("skipped") for x in first.ndjson] == [None, None], first
    again = user_sc("tracks", "upload", *files, "--if-absent", "--sharing", "private")
    assert again.code == 0 and [x.get("skipped") for x in again.ndjson] == [True, True], again
    assert [x["urn"] for x in again.ndjson] == [x["urn"] for x in first.ndjson]
