"""Issue 14, downloads (items 9-13): long names fit with `.part`, a 206 or a length that is
not the file is an error and no file, a planted `.part` is never written through, and one
run never overwrites a file it wrote itself."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from conftest import base_env, run_inprocess
from hostile_http import serving
from werkzeug.wrappers import Request, Response

BODY = bytes(range(256)) * 400  # 102,400 bytes


def track_server(serve_file: Callable[[Request, int], Response]):
    """An API whose tracks N are downloadable from /dl/N, answered by `serve_file`."""

    def answer(req: Request) -> Response:
        if req.path.startswith("/tracks/soundcloud:tracks:"):
            n = int(req.path.rsplit(":", 1)[1])
            track = {
                "urn": f"soundcloud:tracks:{n}",
                "id": n,
                "kind": "track",
                "title": f"t{n}",
                "download_url": f"{req.host_url}dl/{n}",
            }
            return Response(json.dumps(track), content_type="application/json")
        if req.path.startswith("/dl/"):
            return serve_file(req, int(req.path[4:]))
        return Response("{}", status=404, content_type="application/json")

    return serving(answer)


def audio(body: bytes = BODY, status: int = 200, name: str | None = "v.wav", **headers) -> Response:
    if name is not None:
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return Response(body, status=status, headers=headers, content_type="audio/wav")


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def download(home, url, *args, tty=None):
    env = {**base_env(home), "SC_API_URL": url, "SC_ACCESS_TOKEN": "x"}
    return run_inprocess(["tracks", "download", *args], env, None, tty)


def one_error(r) -> str:
    assert "Traceback" not in r.stderr and "run with --debug" not in r.stderr, r
    errors = [x for x in r.stderr.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1, r
    return errors[0]


# -- item 9: long names -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["a" * 251 + ".wav", "b" * 5000, "é" * 200 + ".wav", "x" * 300 + "😀" * 10 + ".flac"],
    ids=["255-bytes", "5000-chars", "200-e-acute", "emoji-at-the-cut"],
)
def test_i14_09_long_server_names(home, tmp_path, name):
    with track_server(lambda req, n: audio(name=name)) as url:
        r = download(home, url, "1", "2", "-o", f"{tmp_path}/out/")
    assert r.code == 0, r
    names = sorted(os.listdir(tmp_path / "out"))
    assert len(names) == 2, names  # the second got a distinct name, cut to fit too
    for got in names:
        assert len((got + ".part").encode()) <= 255, got
        assert (tmp_path / "out" / got).read_bytes() == BODY
    first = next(n for n in names if " (2)" not in n)
    assert name.startswith(first.rsplit(".", 1)[0] if "." in name else first)


# -- item 10: a 206 sc did not ask for ----------------------------------------------------------
@pytest.mark.parametrize(
    "content_range",
    ["bytes 50000-99999/100000", "bytes 0-49999/100000", "bytes */100000", None, "pages 1-2/3"],
)
def test_i14_10_an_unasked_206_is_an_error_and_no_file(home, tmp_path, content_range):
    headers = {"Content-Range": content_range} if content_range else {}
    with track_server(lambda req, n: audio(BODY[:50000], 206, **headers)) as url:
        r = download(home, url, "1", "-o", f"{tmp_path}/out/")
    assert r.code == 1, r
    assert "part of soundcloud:tracks:1" in one_error(r)
    assert os.listdir(tmp_path / "out") == []  # no file, no .part


def test_i14_10_the_range_asked_for_is_taken(home, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "v.wav.part").write_bytes(BODY[:1000])

    def serve(req, n):
        first = int(req.headers["Range"][6:-1]) if "Range" in req.headers else 0
        span = f"bytes {first}-{len(BODY) - 1}/{len(BODY)}"
        return audio(BODY[first:], 206 if first else 200, **{"Content-Range": span})

    with track_server(serve) as url:
        r = download(home, url, "1", "-o", f"{out}/")
    assert r.code == 0, r
    assert (out / "v.wav").read_bytes() == BODY and os.listdir(out) == ["v.wav"]


# -- item 11: a body that is not the declared length ------------------------------------------
def test_i14_11_a_body_longer_than_its_total_is_an_error(home, tmp_path):
    extra = BODY + b"\0" * 1000
    span = {"Content-Range": f"bytes 0-{len(BODY) - 1}/{len(BODY)}"}
    with track_server(lambda req, n: audio(extra, 206, **span)) as url:
        r = download(home, url, "1", "-o", f"{tmp_path}/out/")
    assert r.code == 1, r
    assert "more than the 102,400 it declared" in one_error(r)
    assert os.listdir(tmp_path / "out") == []  # not a prefix of the file: nothing kept


def test_i14_11_a_total_that_changes_between_answers_starts_over(home, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "v.wav.part").write_bytes(b"old version")
    served = []

    def serve(req, n):
        served.append(req.headers.get("Range"))
        if "Range" in req.headers:  # continues, but from a file of another size
            return audio(b"x" * 10, 206, **{"Content-Range": "bytes 11-20/21"})
        return audio(BODY)

    with track_server(serve) as url:
        r = download(home, url, "1", "-o", f"{out}/")
    assert r.code == 0, r
    assert (out / "v.wav").read_bytes() == BODY


# -- item 12: a planted .part -----------------------------------------------------------------
@pytest.mark.parametrize("target", ["dir", "file"])
def test_i14_12_a_planted_part_link_is_never_written_through(home, tmp_path, target):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_bytes(b"precious")
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "v.wav.part").symlink_to("../outside/victim.txt")
    where = f"{folder}/" if target == "dir" else str(folder / "v.wav")
    with track_server(lambda req, n: audio()) as url:
        r = download(home, url, "1", "-o", where)
    assert r.code == 2, r
    assert "v.wav.part is not a regular file" in one_error(r)
    assert victim.read_bytes() == b"precious"
    assert not os.path.lexists(folder / "v.wav")
    assert os.path.islink(folder / "v.wav.part")


def test_i14_12_a_fifo_part_is_refused_not_waited_on(home, tmp_path):
    folder = tmp_path / "dir"
    folder.mkdir()
    os.mkfifo(folder / "v.wav.part")
    with track_server(lambda req, n: audio()) as url:
        r = download(home, url, "1", "-o", f"{folder}/")
    assert r.code == 2, r
    assert "not a regular file" in one_error(r)


def test_i14_12_a_dangling_link_at_the_destination_counts_as_existing(home, tmp_path):
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "v.wav").symlink_to(tmp_path / "nowhere" / "x")
    with track_server(lambda req, n: audio()) as url:
        r = download(home, url, "1", "-o", f"{folder}/")
        assert r.code == 2 and "already exists" in one_error(r), r
        forced = download(home, url, "1", "-o", f"{folder}/", "--force")
    assert forced.code == 0, forced
    assert not os.path.islink(folder / "v.wav")  # the link was replaced, not followed
    assert not (tmp_path / "nowhere").exists()


# -- item 13: one name, two tracks, one run --------------------------------------------------
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_i14_13_two_tracks_with_one_name_keep_both(home, tmp_path, force):
    bodies = {1: BODY, 2: BODY[::-1], 3: BODY[:500]}
    out = tmp_path / "out"
    with track_server(lambda req, n: audio(bodies[n], name="same.wav")) as url:
        r = download(home, url, "1", "2", "3", "-o", f"{out}/", *force, tty="stdout")
    assert r.code == 0, r
    assert (out / "same.wav").read_bytes() == bodies[1]
    assert (out / "same (2).wav").read_bytes() == bodies[2]
    assert (out / "same (3).wav").read_bytes() == bodies[3]
    assert "same.wav was taken by another track of this run" in r.stderr


def test_i14_12_a_server_name_ending_in_part_is_never_a_partial(home, tmp_path):
    """A finished file named `v.wav.part` would be resumed as if it were v.wav's partial
    download by a later run: a server's name never ends in `.part`."""
    with track_server(lambda req, n: audio(name="v.wav.PART")) as url:
        r = download(home, url, "1", "-o", f"{tmp_path}/out/")
    assert r.code == 0, r
    assert os.listdir(tmp_path / "out") == ["v.wav-part"]


@pytest.mark.parametrize("owner", ["soundcloud:tracks:1", "soundcloud:tracks:2"])
def test_i14_11_a_part_left_by_another_track_is_not_continued(home, tmp_path, owner):
    """A `.part` is a valid prefix only of the track it was written for: one an earlier run
    left for another track of the same name starts over instead of being spliced."""
    out = tmp_path / "out"
    out.mkdir()
    part = out / "same.wav.part"
    part.write_bytes(BODY[::-1][:1000] if owner.endswith("1") else BODY[:1000])
    try:
        os.setxattr(part, "user.sccli.track", owner.encode())
    except OSError:
        pytest.skip("no extended attributes on this file system")
    ranges = []

    def serve(req, n):
        ranges.append(req.headers.get("Range"))
        first = int(req.headers["Range"][6:-1]) if "Range" in req.headers else 0
        span = {
            "Content-Range": f"bytes {first}-{len(BODY) - 1}/{len(BODY)}",
            "Accept-Ranges": "bytes",
        }
        return audio(BODY[first:], 206 if first else 200, name="same.wav", **span)

    with track_server(serve) as url:
        r = download(home, url, "2", "-o", f"{out}/")
    assert r.code == 0, r
    assert (out / "same.wav").read_bytes() == BODY
    assert ranges[-1] == (None if owner.endswith("1") else "bytes=1000-"), ranges
