"""Writes whose answer was lost or refused: claim only what this attempt made, say so when it
cannot be told, and never call a finished DELETE missing (issue #9, items 1, 2, 3 and 8)."""

from __future__ import annotations

import hashlib

import pytest
import requests
from audio import PNG, make_wav

from sccli.core.errors import NetworkError

TRACK = "soundcloud:tracks:300009"  # a seed track that takes comments


def titled(user_sc, group: str, title: str) -> list[dict]:
    listed = user_sc(group, "list", "--all", "--json")
    assert listed.code == 0, listed
    return [x for x in listed.json if x["title"] == title]


def my_comments(user_sc, body: str) -> list[dict]:
    listed = user_sc("tracks", "comments", TRACK, "--all", "--json")
    assert listed.code == 0, listed
    return [c for c in listed.json if c["body"] == body]


# -- item 1: a failed write never claims an older object that merely looks the same ------------


def test_failed_upload_never_claims_the_older_track_of_that_title(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "a.wav")
    first = user_sc("tracks", "upload", str(audio), "--title", "T", "--json")
    assert first.code == 0, first
    sandbox.fault(path="/tracks", method="POST", status=500)
    again = user_sc("tracks", "upload", str(audio), "--title", "T", "--json")
    assert again.code == 1, again
    assert "not uploaded" in again.stderr
    assert again.stdout == "" and first.json["urn"] not in again.stderr
    assert len(titled(user_sc, "tracks", "T")) == 1


def test_failed_set_creation_never_claims_the_older_set_of_that_title(user_sc, sandbox):
    first = user_sc("playlists", "create", "Same name", "--json")
    assert first.code == 0, first
    sandbox.fault(path="/playlists", method="POST", status=500)
    again = user_sc("playlists", "create", "Same name", "--json")
    assert again.code == 1, again
    assert "not created" in again.stderr and again.stdout == ""
    assert len(titled(user_sc, "playlists", "Same name")) == 1


def test_failed_comment_never_claims_the_same_older_comment(user_sc, sandbox):
    first = user_sc("comment", TRACK, "same words", "--json")
    assert first.code == 0, first
    sandbox.fault(path=f"/tracks/{TRACK}/comments", method="POST", status=500)
    again = user_sc("comment", TRACK, "same words", "--json")
    assert again.code == 1, again
    assert "not posted" in again.stderr and again.stdout == ""
    assert len(my_comments(user_sc, "same words")) == 1


def test_lost_answer_still_finds_the_new_track_among_older_namesakes(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "b.wav")
    old = user_sc("tracks", "upload", str(audio), "--title", "Twice", "--json")
    sandbox.fault(path="/tracks", method="POST", status=504, after=True)
    new = user_sc("tracks", "upload", str(audio), "--title", "Twice", "--json")
    assert new.code == 0, new
    assert new.json["urn"] != old.json["urn"]
    assert {t["urn"] for t in titled(user_sc, "tracks", "Twice")} == {
        old.json["urn"],
        new.json["urn"],
    }


# -- item 2: when the check after a lost answer fails too, say that it cannot be told -----------


def break_gets_after_post(monkeypatch, path_part: str) -> None:
    """After the POST to `path_part` went out, every GET fails as if the network were gone."""
    from sccli.core.client import Client

    real = Client.send
    posted: list[str] = []

    def send(self, method, url, **kw):
        if posted and method == "GET":
            raise NetworkError("cannot connect to 127.0.0.1 (test: the network went away)")
        if method == "POST" and path_part in url:
            posted.append(url)
        return real(self, method, url, **kw)

    monkeypatch.setattr(Client, "send", send)


@pytest.mark.parametrize("what", ["upload", "set", "comment"])
def test_lost_answer_with_a_failed_check_cannot_tell_and_says_how_to_check(
    user_sc, sandbox, tmp_path, monkeypatch, what
):
    args = {
        "upload": ["tracks", "upload", str(make_wav(tmp_path / "c.wav")), "--title", "Unsure"],
        "set": ["playlists", "create", "Unsure"],
        "comment": ["comment", TRACK, "unsure"],
    }[what]
    path = {"upload": "/tracks", "set": "/playlists", "comment": "/comments"}[what]
    check = {
        "upload": "sc tracks list",
        "set": "sc playlists list",
        "comment": "sc tracks comments",
    }
    sandbox.fault(path=f"*{path}", method="POST", drop=True, after=True)
    break_gets_after_post(monkeypatch, path)
    r = user_sc(*args)
    assert r.code == 1, r
    assert "cannot tell" in r.stderr and check[what] in r.stderr
    assert "safe to run" not in r.stderr and "nothing was created" not in r.stderr
    # The check waits between tries through the injected sleep, never for real.
    assert [s for s in r.slept if s >= 1.0][:2] == [1.0, 3.0], r.slept


def test_rerun_after_cannot_tell_and_a_look_leaves_one_comment(user_sc, sandbox, monkeypatch):
    sandbox.fault(path=f"/tracks/{TRACK}/comments", method="POST", drop=True, after=True)
    break_gets_after_post(monkeypatch, "/comments")
    r = user_sc("comment", TRACK, "exactly once")
    assert r.code == 1 and "cannot tell" in r.stderr, r
    monkeypatch.undo()
    # The person does what the hint says, sees it, and does not post again.
    assert len(my_comments(user_sc, "exactly once")) == 1


# -- item 3: a DELETE resent after a lost answer that finds nothing has done its work ------------


@pytest.mark.parametrize("fault", ["drop", "502"])
def test_delete_whose_answer_was_lost_exits_0(user_sc, sandbox, tmp_path, fault):
    t = user_sc("tracks", "upload", str(make_wav(tmp_path / "d.wav")), "--json").json
    how = {"drop": True} if fault == "drop" else {"status": 502}
    sandbox.fault(path="/tracks/*", method="DELETE", after=True, **how)
    r = user_sc("tracks", "delete", t["urn"], "--yes")
    assert r.code == 0, r
    assert f"deleted {t['urn']}" in r.stderr
    assert sandbox.count("DELETE /tracks/<ref>") == 2
    assert user_sc("tracks", "get", t["urn"]).code == 3


def test_delete_of_a_missing_track_is_still_not_found(user_sc):
    r = user_sc("tracks", "delete", "soundcloud:tracks:999999999", "--yes")
    assert r.code == 3, r


# -- item 8: a refused token on a streamed body refreshes once and sends the file again ---------


def test_upload_with_a_refused_token_refreshes_and_sends_the_whole_file(user_sc, sandbox, tmp_path):
    audio = make_wav(tmp_path / "refused.wav", seconds=2)
    sandbox.config(transcode_delay=0)
    sandbox.fault(path="/tracks", method="POST", status=401)
    r = user_sc("tracks", "upload", str(audio), "--json")
    assert r.code == 0, r
    assert sandbox.count("POST /tracks") == 2
    assert sandbox.stats()["tokens_issued"].get("refresh_token") == 1
    url = user_sc("stream-url", r.json["urn"], "--format", "hls-mp3", "--resolve").stdout.strip()
    got = requests.get(url, timeout=10).content
    assert hashlib.sha256(got).digest() == hashlib.sha256(audio.read_bytes()).digest()
    assert len(titled(user_sc, "tracks", "Refused")) == 1


def test_artwork_update_with_a_refused_token_refreshes_and_sends_again(user_sc, sandbox, tmp_path):
    t = user_sc("tracks", "upload", str(make_wav(tmp_path / "e.wav")), "--json").json
    art = tmp_path / "c.png"
    art.write_bytes(PNG)
    sandbox.fault(path="/tracks/*", method="PUT", status=401)
    r = user_sc("tracks", "update", t["urn"], "--artwork", str(art), "--json")
    assert r.code == 0, r
    assert requests.get(r.json["artwork_url"], timeout=10).content == PNG


def test_upload_refused_twice_exits_4_after_one_refresh(user_sc, sandbox, tmp_path):
    sandbox.fault(path="/tracks", method="POST", status=401, times=2)
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "f.wav")))
    assert r.code == 4, r
    assert sandbox.count("POST /tracks") == 2
    assert sandbox.stats()["tokens_issued"].get("refresh_token") == 1
