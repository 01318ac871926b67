"""`sc config`, and precedence: flag, then environment, then config, then default."""

import stat
from pathlib import Path


def test_set_get_list_unset_path(sc, home):
    assert sc("config", "set", "sharing", "public").code == 0
    assert sc("config", "get", "sharing").stdout.strip() == "public"
    listed = {e["key"]: e for e in sc("config", "list", "--json").json}
    assert listed["sharing"] == {
        "key": "sharing",
        "value": "public",
        "default": "private",
        "origin": "config (profile default)",
    }
    path = sc("config", "path").stdout.strip()
    assert path == str(home / "config" / "config.ini")
    assert "sharing = public" in Path(path).read_text()
    assert sc("config", "unset", "sharing").code == 0
    assert sc("config", "get", "sharing").stdout == "private\n"  # the default


def test_unknown_key_and_bad_value_exit_2_listing_the_valid_ones(sc):
    r = sc("config", "set", "colour", "red")
    assert r.code == 2 and "api-url" in r.stderr and "redirect-port" in r.stderr
    r = sc("config", "set", "sharing", "everyone")
    assert r.code == 2 and "public" in r.stderr and "private" in r.stderr
    r = sc("config", "set", "redirect-port", "99999")
    assert r.code == 2
    r = sc("config", "set", "api-url", "ftp://x")
    assert r.code == 2


def test_profiles_have_their_own_settings(sc):
    assert sc("--profile", "work", "config", "set", "output", "ndjson").code == 0
    assert sc("config", "get", "output").stdout == "auto\n"
    assert sc("config", "get", "output", env={"SC_PROFILE": "work"}).stdout.strip() == "ndjson"


def test_api_url_precedence_flag_env_config_default(sc, sandbox):
    dead = "http://127.0.0.1:9"
    # config points at a dead port: the environment (the sandbox, set by the fixture) wins
    assert sc("config", "set", "api-url", dead).code == 0
    assert sc("tracks", "get", "300010", "--json").code == 0
    # with no environment, config applies
    r = sc("tracks", "get", "300010", env={"SC_API_URL": None})
    assert r.code == 6 and "127.0.0.1:9" in r.stderr
    # the flag beats the environment
    r = sc("--api-url", dead, "tracks", "get", "300010")
    assert r.code == 6
    r = sc("--api-url", sandbox.url, "tracks", "get", "300010", "--json", env={"SC_API_URL": dead})
    assert r.code == 0, r
    # without any, the default: the real API, which we never contact in tests
    assert sc("config", "unset", "api-url").code == 0


def test_output_setting_and_flag(sc):
    assert sc("config", "set", "output", "ndjson").code == 0
    r = sc("tracks", "search", "buskers", "--limit", "3")
    assert len(r.ndjson) == 3
    r = sc("tracks", "search", "buskers", "--limit", "3", "--json")
    assert isinstance(r.json, list)


def test_sharing_default_from_config(user_sc, tmp_path):
    from audio import make_wav

    assert user_sc("config", "set", "sharing", "public").code == 0
    r = user_sc("tracks", "upload", str(make_wav(tmp_path / "s.wav")), "--json")
    assert r.json["sharing"] == "public"
    r = user_sc(
        "tracks", "upload", str(make_wav(tmp_path / "p.wav")), "--sharing", "private", "--json"
    )
    assert r.json["sharing"] == "private"


def test_config_file_is_written_atomically_and_readable(sc, home):
    assert sc("config", "set", "client-id", "abc").code == 0
    f = home / "config" / "config.ini"
    assert stat.S_IMODE(f.stat().st_mode) == 0o644
    assert not list(f.parent.glob(".config.ini.*"))
