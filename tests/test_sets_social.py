"""Sets, comments, likes, follows and stream URLs, end to end."""

import requests


def seed_tracks(sc, n):
    return [t["urn"] for t in sc("tracks", "search", "--limit", str(n), "--json").json]


def test_add_150_tracks_is_one_put_with_order_and_dedupe(user_sc, sandbox):
    urns = seed_tracks(user_sc, 150)
    p = user_sc("playlists", "create", "Big set", "--track", urns[0], "--json").json
    before = sandbox.count("PUT /playlists/<ref>")
    # urns[0] is already in the set and urns[5] is named twice: both are skipped.
    r = user_sc("playlists", "add", p["urn"], *urns, urns[5], "--json")
    assert r.code == 0, r
    assert sandbox.count("PUT /playlists/<ref>") == before + 1
    assert "skipped " + urns[0] in r.stderr
    got = user_sc("playlists", "get", p["urn"], "--json").json
    assert [t["urn"] for t in got["tracks"]] == urns
    assert got["track_count"] == 150


def test_create_add_at_remove_get_round_trip(user_sc):
    a, b, c, d = seed_tracks(user_sc, 4)
    p = user_sc(
        "playlists",
        "create",
        "Tour",
        "--type",
        "album",
        "--description",
        "live",
        "--track",
        a,
        "--track",
        b,
        "--json",
    )
    assert p.code == 0, p
    urn = p.json["urn"]
    assert p.json["playlist_type"] == "album" and p.json["sharing"] == "private"
    assert user_sc("playlists", "add", urn, c, "--at", "1").code == 0
    assert user_sc("playlists", "add", urn, d).code == 0
    assert [t["urn"] for t in user_sc("playlists", "get", urn, "--json").json["tracks"]] == [
        c,
        a,
        b,
        d,
    ]
    r = user_sc("playlists", "remove", urn, a)
    assert r.code == 0, r
    assert [t["urn"] for t in user_sc("playlists", "get", urn, "--json").json["tracks"]] == [
        c,
        b,
        d,
    ]
    missing = user_sc("playlists", "remove", urn, a)
    assert missing.code == 3 and "not in" in missing.stderr
    listed = user_sc("playlists", "list", "--json").json
    assert urn in [x["urn"] for x in listed]
    assert user_sc("playlists", "delete", urn).code == 2
    assert user_sc("playlists", "delete", urn, "--yes").code == 0
    assert user_sc("playlists", "get", urn).code == 3


def test_cannot_change_someone_elses_set(user_sc):
    r = user_sc("playlists", "add", "soundcloud:playlists:900002", "300100")
    assert r.code == 4, r


def test_comment_at_sends_milliseconds(user_sc, sandbox):
    track = "soundcloud:tracks:300009"  # commentable in the seed data
    r = user_sc("comment", track, "Lovely harmonies", "--at", "1:23", "--json")
    assert r.code == 0, r
    assert r.json["timestamp"] == 83000 and r.json["body"] == "Lovely harmonies"
    for at in ("83s", "83000ms"):
        assert user_sc("comment", track, "again", "--at", at, "--json").json["timestamp"] == 83000
    listed = user_sc("tracks", "comments", track, "--table")
    assert "1:23" in listed.stdout and "Lovely harmonies" in listed.stdout


def test_comment_past_the_end_is_a_usage_error(user_sc, sandbox):
    r = user_sc("comment", "soundcloud:tracks:300009", "late", "--at", "99:00")
    assert r.code == 2, r
    assert "past the end" in r.stderr
    assert sandbox.count("POST /tracks/<ref>/comments") == 0


def test_comment_on_a_track_with_comments_off(user_sc):
    r = user_sc("comment", "soundcloud:tracks:300007", "hello")  # commentable: false in the seed
    assert r.code == 1, r
    assert "comments" in r.stderr and "disabled" in r.stderr


def test_like_unlike_round_trip_and_idempotence(user_sc, sandbox):
    t = "soundcloud:tracks:300012"
    assert user_sc("like", t).code == 0
    again = user_sc("like", t)
    assert again.code == 0 and "liked" in again.stderr
    liked = sandbox_likes(user_sc)
    assert liked.count(t) == 1
    assert user_sc("unlike", t).code == 0
    assert user_sc("unlike", t).code == 0
    assert t not in sandbox_likes(user_sc)
    assert user_sc("like", "900001", "--playlist").code == 0
    assert user_sc("api", "/me/likes/playlists").json[0]["urn"] == "soundcloud:playlists:900001"


def sandbox_likes(user_sc):
    return [x["urn"] for x in user_sc("api", "/me/likes/tracks", "--paginate").json]


def test_follow_unfollow_round_trip(user_sc, sandbox):
    u = "https://soundcloud.com/" + user_sc("users", "get", "1002", "--json").json["permalink"]
    r = user_sc("follow", u)
    assert r.code == 0 and "now following" in r.stderr, r
    assert "already following" in user_sc("follow", "soundcloud:users:1002").stderr
    followings = [x["urn"] for x in user_sc("api", "/me/followings", "--paginate").json]
    assert followings == ["soundcloud:users:1002"]
    assert "unfollowed" in user_sc("unfollow", "1002").stderr
    assert "was not following" in user_sc("unfollow", "1002").stderr
    assert user_sc("api", "/me/followings", "--paginate").json == []


def test_follow_limit_is_reported(user_sc, sandbox):
    sandbox.config(follow_limit=1)
    assert user_sc("follow", "1002").code == 0
    r = user_sc("follow", "1003")
    assert r.code == 1 and "maximum number of followings" in r.stderr


def test_stream_url_default_json_and_resolve(user_sc, sandbox):
    plain = user_sc("stream-url", "300010")
    assert plain.code == 0 and plain.stdout.strip().endswith("/streams/hls_aac_160")
    mp3 = user_sc("stream-url", "300010", "--format", "hls-mp3")
    assert mp3.stdout.strip().endswith("hls_mp3_128")
    everything = user_sc("stream-url", "300010", "--json")
    assert set(everything.json) >= {"hls_aac_160_url", "hls_mp3_128_url", "preview_mp3_128_url"}
    # The API URL needs a token; the resolved CDN URL does not.
    assert requests.get(plain.stdout.strip(), timeout=10, allow_redirects=False).status_code == 401
    cdn = user_sc("stream-url", "300010", "--resolve").stdout.strip()
    resp = requests.get(cdn, timeout=10)
    assert resp.status_code == 200 and resp.content[:4] == b"RIFF"


def test_stream_url_for_a_blocked_track_is_not_found(user_sc):
    blocked = user_sc("tracks", "search", "--access", "blocked", "--limit", "1", "--json").json[0]
    r = user_sc("stream-url", blocked["urn"])
    assert r.code == 3 and "is blocked" in r.stderr


def test_writes_with_an_app_token_exit_4(sc):
    for args in (
        ("like", "300010"),
        ("follow", "1002"),
        ("comment", "300009", "hi"),
        ("playlists", "create", "x"),
    ):
        r = sc(*args)
        assert r.code == 4, r
        assert "sc auth login" in r.stderr


def test_not_found_is_3_everywhere(user_sc):
    for args in (
        ("like", "1"),
        ("follow", "1"),
        ("comment", "1", "x"),
        ("playlists", "get", "1"),
        ("stream-url", "1"),
        ("tracks", "comments", "1"),
    ):
        r = user_sc(*args)
        assert r.code == 3, r


def test_tracks_list_mine_and_someone_elses(user_sc):
    mine = user_sc("tracks", "list", "--json").json
    assert mine and {t["user"]["username"] for t in mine} == {"sandbox-user"}
    theirs = user_sc("tracks", "list", "1002", "--limit", "5", "--json").json
    assert len(theirs) == 5 and {t["user_urn"] for t in theirs} == {"soundcloud:users:1002"}


def test_create_set_after_a_504_finds_the_set_instead_of_repeating(user_sc, sandbox):
    sandbox.fault(path="/playlists", method="POST", status=504, after=True)
    r = user_sc("playlists", "create", "Lost answer", "--json")
    assert r.code == 0, r
    assert r.json["title"] == "Lost answer"
    assert sandbox.count("POST /playlists") == 1
    sets = [
        p
        for p in user_sc("playlists", "list", "--all", "--json").json
        if p["title"] == "Lost answer"
    ]
    assert len(sets) == 1


def test_comment_after_a_dropped_answer_is_not_posted_twice(user_sc, sandbox):
    sandbox.fault(
        path="/tracks/soundcloud:tracks:300009/comments", method="POST", drop=True, after=True
    )
    r = user_sc("comment", "soundcloud:tracks:300009", "only once", "--at", "0:10", "--json")
    assert r.code == 0, r
    assert r.json["body"] == "only once"
    listed = user_sc("tracks", "comments", "300009", "--all", "--json").json
    assert [c["body"] for c in listed].count("only once") == 1


def test_comment_lost_before_it_arrived_says_not_posted(user_sc, sandbox):
    sandbox.fault(path="/tracks/soundcloud:tracks:300009/comments", method="POST", status=503)
    r = user_sc("comment", "soundcloud:tracks:300009", "busy")
    assert r.code == 1, r
    assert "not posted" in r.stderr and "safe to run it again" in r.stderr
