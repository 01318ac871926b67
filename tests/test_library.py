"""sc me, likes / reposts / followings / followers, feed / activities / history, the lists
around a track or user, and references piped from one command into another."""

import json
import shlex

from audio import make_wav


def other_user(sandbox, user="1002") -> str:
    """An access token for another seed user (sandbox-user follows them in these tests)."""
    r = sandbox.post("/_sandbox/token", json={"user": user})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def urns(result) -> list[str]:
    assert result.code == 0, result
    return [x["urn"] for x in result.json]


def test_me_is_a_user_record(user_sc):
    r = user_sc("me", "--json")
    assert r.code == 0, r
    assert r.json["kind"] == "user" and r.json["username"] == "sandbox-user"
    table = user_sc("me", "--table")
    assert "username" in table.stdout and "sandbox-user" in table.stdout
    assert "URN" not in table.stdout  # a record (key, value), not a one-row table


def test_me_needs_a_user_login(sc):
    r = sc("me")
    assert r.code == 4 and "sc auth login" in r.stderr, r


def test_repost_then_reposts_lists_it_and_unrepost_removes_it(user_sc):
    track, playlist = "soundcloud:tracks:300010", "soundcloud:playlists:900002"
    me = "soundcloud:users:1001"
    # Seed users repost too: who reposted what is compared with before, not with a fixed list.
    track_reposters = urns(user_sc("tracks", "reposters", track, "--json"))
    set_reposters = urns(user_sc("playlists", "reposters", playlist, "--json"))
    assert me not in track_reposters + set_reposters
    library = urns(user_sc("reposts", "--json"))  # her seeded library's reposts
    assert user_sc("repost", track).code == 0
    assert user_sc("repost", playlist).code == 0
    assert urns(user_sc("reposts", "--json")) == [track, *library]
    assert urns(user_sc("reposts", "--playlists", "--json")) == [playlist]
    # Anyone's reposts, by username, and who reposted the track and the set.
    assert urns(user_sc("reposts", "sandbox-user", "--json")) == [track, *library]
    after = urns(user_sc("tracks", "reposters", track, "--json"))
    assert sorted(after) == sorted([*track_reposters, me])
    after = urns(user_sc("playlists", "reposters", playlist, "--json"))
    assert sorted(after) == sorted([*set_reposters, me])
    assert user_sc("unrepost", track).code == 0
    assert urns(user_sc("reposts", "--json")) == library
    assert urns(user_sc("reposts", "--playlists", "--json")) == [playlist]
    assert sorted(urns(user_sc("tracks", "reposters", track, "--json"))) == sorted(track_reposters)


def test_follow_then_followings_and_followers_show_it(user_sc):
    # Seed users follow each other (and sandbox-user): compared with before the follow.
    followers = urns(user_sc("followers", "soundcloud:users:1002", "--all", "--json"))
    assert "soundcloud:users:1001" not in followers
    assert user_sc("follow", "soundcloud:users:1002", "soundcloud:users:1003").code == 0
    assert set(urns(user_sc("followings", "--json"))) == {
        "soundcloud:users:1002",
        "soundcloud:users:1003",
    }
    assert urns(user_sc("followings", "sandbox-user", "--limit", "1", "--json")) != []
    after = urns(user_sc("followers", "soundcloud:users:1002", "--all", "--json"))
    assert sorted(after) == sorted([*followers, "soundcloud:users:1001"])
    mine = urns(user_sc("followers", "--all", "--json"))  # no user: sandbox-user's own
    assert mine and mine == urns(user_sc("followers", "sandbox-user", "--all", "--json"))
    assert user_sc("unfollow", "soundcloud:users:1003").code == 0
    assert urns(user_sc("followings", "--json")) == ["soundcloud:users:1002"]


def test_likes_yours_and_anyones_and_a_tracks_likers(user_sc):
    library = set(urns(user_sc("likes", "--json")))  # her seeded library's likes
    assert user_sc("like", "soundcloud:tracks:300010", "soundcloud:tracks:300012").code == 0
    assert user_sc("like", "900003", "--playlist").code == 0
    assert set(urns(user_sc("likes", "--json"))) == {
        "soundcloud:tracks:300010",
        "soundcloud:tracks:300012",
        *library,
    }
    assert urns(user_sc("likes", "--playlists", "--json")) == ["soundcloud:playlists:900003"]
    assert len(urns(user_sc("likes", "soundcloud:users:1001", "--limit", "1", "--json"))) == 1
    assert urns(user_sc("tracks", "likers", "300010", "--json")) == ["soundcloud:users:1001"]
    assert urns(user_sc("likes", "soundcloud:users:1002", "--json")) == []


def test_a_followed_users_upload_and_repost_appear_in_the_feed(user_sc, sc, sandbox, tmp_path):
    token = other_user(sandbox)
    as_other = {"SC_ACCESS_TOKEN": token}
    wav = make_wav(tmp_path / "street.wav", seconds=0.1)
    up = sc("tracks", "upload", str(wav), "--sharing", "public", "--json", env=as_other)
    assert up.code == 0, up
    assert user_sc("feed", "--json").json == []  # not following anyone yet
    assert user_sc("follow", "soundcloud:users:1002").code == 0
    assert sc("repost", "soundcloud:tracks:300009", env=as_other).code == 0

    feed = user_sc("feed", "--limit", "2", "--json").json
    assert [(a["type"], a["origin"]["urn"]) for a in feed] == [
        ("track:repost", "soundcloud:tracks:300009"),
        ("track", up.json["urn"]),
    ]
    assert feed[0]["reposter"] == "soundcloud:users:1002"
    every = user_sc("feed", "--all", "--json").json
    assert {a["type"] for a in every} >= {"track", "playlist", "track:repost"}
    tracks_only = user_sc("feed", "--tracks", "--all", "--json").json
    assert tracks_only and all(a["type"].startswith("track") for a in tracks_only)
    table = user_sc("feed", "--limit", "2", "--table")
    assert "track:repost" in table.stdout and "Street" in table.stdout


def test_the_feed_pipes_its_tracks_into_like(user_sc):
    library = set(urns(user_sc("likes", "--json")))  # her seeded library's likes
    assert user_sc("follow", "soundcloud:users:1002").code == 0
    feed = user_sc("feed", "--tracks", "--limit", "3", "--ndjson")
    liked = user_sc("like", "-", input=feed.stdout)
    assert liked.code == 0, liked
    fed = {a["origin"]["urn"] for a in feed.ndjson}
    assert set(urns(user_sc("likes", "--json"))) == fed | library


def test_activities_own_and_tracks(user_sc):
    own = user_sc("activities", "--own", "--all", "--json").json
    # Hers: what she posted, and what she reposted (her seeded library's reposts).
    assert own and all(
        a["origin"]["user"]["username"] == "sandbox-user"
        or a.get("reposter") == "soundcloud:users:1001"
        for a in own
    )
    assert {a["type"] for a in own} == {"track", "playlist", "track:repost"}
    assert user_sc("activities", "--tracks", "--json").code == 0
    both = user_sc("activities", "--own", "--tracks")
    assert both.code == 2 and "--own" in both.stderr


def test_history_lists_what_was_played_last(user_sc):
    assert user_sc("history", "--json").json == []
    for track in ("300012", "300010"):
        assert user_sc("stream-url", track, "--resolve").code == 0  # a play
    assert urns(user_sc("history", "--json")) == [
        "soundcloud:tracks:300010",
        "soundcloud:tracks:300012",
    ]
    assert urns(user_sc("history", "--limit", "1", "--json")) == ["soundcloud:tracks:300010"]


def test_related_tracks_and_users_and_a_users_links(user_sc):
    track = user_sc("tracks", "get", "300010", "--json").json
    related = user_sc("tracks", "related", "300010", "--limit", "3", "--json").json
    assert len(related) == 3 and track["urn"] not in [t["urn"] for t in related]
    tags = set(shlex.split(track["tag_list"]))
    # The sandbox relates tracks by shared tags, then by genre.
    assert all(
        tags & set(shlex.split(t["tag_list"])) or t["genre"] == track["genre"] for t in related
    )
    users = urns(user_sc("users", "related", "northern-canal-1", "--json"))
    assert users and "soundcloud:users:1002" not in users
    links = user_sc("users", "links", "sandbox-user", "--table")
    assert links.code == 0, links
    assert links.stdout.split()[:4] == ["SERVICE", "TITLE", "URL", "USERNAME"]
    assert "https://example.com/sandbox-user" in links.stdout
    raw = user_sc("users", "links", "sandbox-user", "--fields", "url", "-r")
    assert "https://example.com/sandbox-user" in raw.stdout.splitlines()


def test_search_piped_into_like_likes_exactly_those_tracks(user_sc):
    library = urns(user_sc("likes", "--all", "--json"))  # her seeded library's likes
    found = user_sc("tracks", "search", "buskers", "--license", "cc-by-sa", "--ndjson", "-L", "7")
    assert found.code == 0 and len(found.ndjson) == 7
    liked = user_sc("like", "-", input=found.stdout)
    assert liked.code == 0, liked
    assert [r["ok"] for r in liked.ndjson] == [True] * 7
    assert sorted(urns(user_sc("likes", "--all", "--json"))) == sorted(
        [*(t["urn"] for t in found.ndjson), *library]
    )


def test_one_bad_reference_among_five_gives_four_likes_one_error_exit_1(user_sc):
    library = urns(user_sc("likes", "--all", "--json"))  # her seeded library's likes
    good = ["soundcloud:tracks:300010", "300011", "soundcloud:tracks:300012", "300013"]
    stdin = "\n".join(good[:2] + ["soundcloud:tracks:999999999"] + good[2:]) + "\n"
    r = user_sc("like", "-", input=stdin)
    assert r.code == 1, r
    assert [x["ok"] for x in r.ndjson] == [True, True, False, True, True]
    assert r.ndjson[2]["ref"] == "soundcloud:tracks:999999999" and "error" in r.ndjson[2]
    assert r.stderr.strip() == "error: 1 of 5 failed"
    assert len(urns(user_sc("likes", "--all", "--json"))) == 4 + len(library)


def test_raw_urns_pipe_back_in(user_sc):
    library = urns(user_sc("reposts", "--json"))  # her seeded library's reposts
    assert user_sc("repost", "300010", "300011").code == 0
    raw = user_sc("reposts", "--fields", "urn", "-r")
    assert sorted(raw.stdout.split()) == sorted(
        ["soundcloud:tracks:300010", "soundcloud:tracks:300011", *library]
    )
    assert user_sc("unrepost", "-", input=raw.stdout).code == 0
    assert urns(user_sc("reposts", "--json")) == []


def test_json_list_output_pipes_in_too(user_sc):
    assert user_sc("follow", "1002", "1003").code == 0
    listed = user_sc("followings", "--json")
    r = user_sc("unfollow", "-", input=listed.stdout)
    assert r.code == 0, r
    assert {json.loads(line)["urn"] for line in r.stdout.splitlines()} == {
        "soundcloud:users:1002",
        "soundcloud:users:1003",
    }
    assert urns(user_sc("followings", "--json")) == []
