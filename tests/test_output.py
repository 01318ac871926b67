"""--query, --fields errors, the raw api command, and the redaction of every secret in --debug."""

import json
import re


def test_query_applies_jmespath(sc):
    r = sc("tracks", "search", "buskers", "--limit", "4", "--query", "[].permalink_url")
    assert r.code == 0, r
    urls = r.json
    assert len(urls) == 4 and all(u.startswith("https://soundcloud.com/") for u in urls)
    one = sc("tracks", "get", "300010", "--query", "user.username")
    assert isinstance(one.json, str)


def test_bad_query_exits_2_with_the_parser_message(sc, sandbox):
    before = sandbox.stats()["requests_total"]
    r = sc("tracks", "search", "buskers", "--query", "[?title ==")
    assert r.code == 2 and "--query" in r.stderr
    assert sandbox.stats()["requests_total"] == before


def test_query_with_ndjson(sc):
    r = sc("tracks", "search", "buskers", "--limit", "3", "--ndjson", "--query", "[].urn")
    assert len(r.ndjson) == 3 and all(x.startswith("soundcloud:tracks:") for x in r.ndjson)


def test_json_is_the_api_objects_unchanged(sc, sandbox):
    mine = sc("tracks", "get", "300010", "--json").json
    raw = sandbox.get(
        "/tracks/soundcloud:tracks:300010",
        headers={"Authorization": "OAuth " + sandbox.app_token()},
    ).json()
    assert mine == raw


def test_api_command_methods_fields_and_paginate(user_sc):
    r = user_sc("api", "/me")
    assert r.code == 0 and r.json["username"] == "sandbox-user"
    r = user_sc("api", "/tracks", "-f", "q=buskers", "-f", "limit=3")
    assert r.code == 0 and len(r.json) == 3
    p = user_sc(
        "api",
        "POST",
        "/playlists",
        "-f",
        "playlist.title=From api",
        "-f",
        "playlist.sharing=private",
    )
    assert p.code == 0 and p.json["title"] == "From api"
    r = user_sc("api", "PUT", "/playlists/" + p.json["urn"], "-f", "playlist.title=Renamed")
    assert r.json["title"] == "Renamed"
    r = user_sc(
        "api", "/tracks", "-f", "q=buskers", "-f", "limit=100", "--paginate", "--query", "length(@)"
    )
    assert r.json >= 250
    assert user_sc("api", "BREW", "/me").code == 2
    assert user_sc("api", "/nope").code == 3


ALL_COMMANDS = [
    ("tracks", "search", "buskers", "--limit", "2"),
    ("tracks", "get", "300010"),
    ("tracks", "list", "--limit", "2"),
    ("tracks", "comments", "300009"),
    ("users", "search", "sandbox", "--limit", "2"),
    ("users", "get", "1002"),
    ("playlists", "search", "buskers", "--limit", "2"),
    ("playlists", "get", "900001"),
    ("playlists", "list"),
    ("playlists", "create", "Debug set", "--track", "300010"),
    ("comment", "300009", "nice", "--at", "0:05"),
    ("follow", "1002"),
    ("unfollow", "1002"),
    ("like", "300010"),
    ("unlike", "300010"),
    ("resolve", "https://soundcloud.com/sandbox-user"),
    ("stream-url", "300010", "--resolve"),
    ("api", "/me"),
    ("auth", "status"),
    ("auth", "refresh"),
    ("tracks", "get", "1"),  # an error path too
]


def test_debug_redacts_every_secret_across_commands(user_sc, sandbox, tmp_path):
    from audio import make_wav

    sandbox.config(token_lifetime=2)
    runs = [user_sc("--debug", *args) for args in ALL_COMMANDS]
    import time

    time.sleep(2.5)  # force a refresh inside a traced command
    runs.append(
        user_sc("--debug", "tracks", "upload", str(make_wav(tmp_path / "dbg.wav")), "--json")
    )
    runs.append(
        user_sc(
            "--debug",
            "auth",
            "login",
            "--client-credentials",
            env={"SC_TOKEN_FILE": str(tmp_path / "cc.json")},
        )
    )
    assert sandbox.stats()["tokens_issued"].get("refresh_token", 0) >= 1
    secrets = [s for s in sandbox.secrets() if len(s) >= 16] + ["sandbox-secret"]
    for r in runs:
        assert re.search(r"^> (GET|POST|PUT|DELETE) http", r.stderr, re.M), r
        assert re.search(r"^< \d{3} .*\(\d+ ms\)", r.stderr, re.M), r
        for s in secrets:
            assert s not in r.stderr and s not in r.stdout, f"{s[:8]}… leaked by {r.args}"
    traced = "\n".join(r.stderr for r in runs)
    assert "Authorization: OAuth ***" in traced
    assert "refresh_token=***" in traced or '"refresh_token": "***"' in traced
    assert "client_secret=***" in traced
    assert "Authorization: Basic ***" in traced


def test_sandbox_mode_debug_hides_the_login_it_performs(home):
    import subprocess

    from conftest import SC_CMD, base_env

    from sccli.sandbox.store import Store

    p = subprocess.run(
        SC_CMD + ["--sandbox", "--debug", "like", "300010"],
        env=base_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert "POST http" in p.stderr and "/oauth/token" in p.stderr
    secrets = Store(home / "config" / "sandbox").issued_tokens()
    assert len(secrets) >= 3  # a code, an access token and a refresh token
    for s in secrets:
        assert s not in p.stderr and s not in p.stdout
    assert "code=***" in p.stderr and "code_verifier=***" in p.stderr


def test_sandbox_mode_leaves_real_credentials_alone(home, tmp_path):
    import subprocess

    from conftest import SC_CMD, base_env

    real = tmp_path / "real-token.json"
    real.write_text('{"access_token": "my-real-token-from-ci", "refresh_token": "rt"}')
    env = {**base_env(home), "SC_TOKEN_FILE": str(real), "SC_ACCESS_TOKEN": "another-real-token"}
    p = subprocess.run(
        SC_CMD + ["--sandbox", "like", "300010"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert real.read_text() == '{"access_token": "my-real-token-from-ci", "refresh_token": "rt"}'


def test_sandbox_mode_runs_the_quick_start(home):
    import subprocess

    from conftest import SC_CMD, base_env

    env = base_env(home)
    p = subprocess.run(
        SC_CMD + ["--sandbox", "tracks", "search", "buskers", "--license", "cc-by-sa", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    tracks = json.loads(p.stdout)
    assert len(tracks) == 50 and {t["license"] for t in tracks} == {"cc-by-sa"}
    # and writes work too: --sandbox logs its built-in user in without asking
    p = subprocess.run(
        SC_CMD + ["--sandbox", "like", "300010"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    p = subprocess.run(
        SC_CMD + ["--sandbox", "api", "/me/likes/tracks", "--paginate", "--query", "[].urn"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    liked = json.loads(p.stdout)  # newest first, before the seed's own likes
    assert liked[0] == "soundcloud:tracks:300010" and len(liked) == 11


def test_tsv_rows_are_raw_and_streamed(sc):
    r = sc("tracks", "search", "buskers", "--limit", "3", "--tsv")
    assert r.code == 0, r
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert len(rows) == 3 and all(len(row) == 6 for row in rows)
    as_json = sc("tracks", "search", "buskers", "--limit", "3", "--json").json
    assert [row[0] for row in rows] == [t["urn"] for t in as_json]
    assert [int(row[3]) for row in rows] == [t["duration"] for t in as_json]  # ms, not m:ss
    picked = sc("tracks", "search", "buskers", "--limit", "2", "--tsv", "--fields", "urn,license")
    assert all(len(line.split("\t")) == 2 for line in picked.stdout.splitlines())
    assert sc("tracks", "search", "x", "--tsv", "--json").code == 2


def test_usage_errors_are_one_line_and_a_hint(sc):
    for args, needle in (
        (("tracks", "upload"), "Missing argument 'FILE...'"),
        (("tracks", "search", "--limit", "x"), "--limit"),
        (("nope",), "No such command"),
        (("tracks", "search", "--license", "foo"), "'foo' is not one of"),
    ):
        r = sc(*args)
        assert r.code == 2, r
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("error: ") and needle in lines[0], r
        assert lines[1].startswith("hint: see `sc")
        assert "Value error" not in r.stderr


def test_a_group_alone_prints_its_help(sc):
    r = sc("tracks")
    assert r.code == 0 and "upload" in r.stdout and r.stderr == ""


def test_sandbox_mode_logs_in_again_after_its_state_is_reset(home):
    """A reset sandbox no longer knows the login sc kept for it: sc logs in anew, unasked."""
    from conftest import base_env, run_inprocess

    env = base_env(home)
    first = run_inprocess(["--sandbox", "me", "--json"], env, None)
    assert first.code == 0 and first.json["username"] == "sandbox-user", first
    state = home / "config" / "sandbox"
    assert list(state.glob("token-*.json")), "the login is kept beside the sandbox's state"
    (state / "sandbox.db").unlink()  # the sandbox starts afresh (a new schema, a lost file)
    again = run_inprocess(["--sandbox", "me", "--json"], env, None)
    assert again.code == 0 and again.json["username"] == "sandbox-user", again
