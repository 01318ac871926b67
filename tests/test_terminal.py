"""Issue 16: the first minute at a real terminal. Each test runs `sc` as a person meets it:
on a pseudo-terminal (a subprocess whose stdout is a pty of a given size), or in-process on
an injected Environment whose streams say they are terminals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len


def _table(text: str) -> tuple[list[str], list[str]]:
    """A table's header names and its rows (below the rule)."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    return lines[rule - 1].split(), [line for line in lines[rule + 1 :] if line.strip()]


@pytest.mark.parametrize("cols", [60, 80, 120, 200])
def test_i16_01_tables_take_the_terminals_own_width(sc, cols):
    # An interactive shell does not export COLUMNS: the pty's size is the only width there is.
    r = sc(
        "tracks", "search", "buskers", "--license", "cc-by-sa", "--limit", "8",
        env={"COLUMNS": None}, tty=True, subprocess=True, cols=cols,
    )  # fmt: skip
    assert r.code == 0, r
    headers, rows = _table(r.stdout)
    assert len(rows) == 8, r.stdout  # one line per track: nothing wrapped
    assert all(cell_len(line) <= cols for line in r.stdout.splitlines()), r.stdout
    assert "TITLE" in headers
    titles_cut = any("…" in row for row in rows)
    if cols >= 120:
        assert not titles_cut and "LICENSE" in headers, r.stdout  # room for everything
    else:
        # What room is left goes to the title: the longest column of the table.
        start = r.stdout.splitlines()[0].index("TITLE")
        title_room = max(len(row[start:].split("   ")[0]) for row in rows)
        assert title_room >= 24, r.stdout


@pytest.mark.parametrize(
    "args, kind",
    [
        (("tracks", "search", "buskers", "--license", "cc-by-sa"), "track"),
        (("playlists", "search", "buskers"), "playlist"),
        (("reposts", "soundcloud:users:1002"), "track"),
        (("tracks", "related", "300010"), "track"),
    ],
)
def test_i16_02_low_value_columns_give_way_before_titles(user_sc, args, kind):
    data = user_sc(*args, "--limit", "10", "--json").json
    assert data, "the sandbox has something to show"
    r = user_sc(*args, "--limit", "10", env={"COLUMNS": "80"}, tty=True)
    assert r.code == 0, r
    headers, rows = _table(r.stdout)
    assert all(cell_len(line) <= 80 for line in r.stdout.splitlines()), r.stdout
    for obj in data:  # a title keeps a readable start, not "Buskers at …"
        assert obj["title"][:22] in r.stdout, r.stdout
    low = {"track": ("LICENSE", "PLAYS"), "playlist": ("SHARING", "DURATION")}[kind]
    assert not set(low) & set(headers), headers


@pytest.mark.parametrize(
    "args, said",
    [
        (("tracks", "search", "zzqqxx"), 'No tracks match "zzqqxx".'),
        (("playlists", "search", "zzqqxx"), 'No sets match "zzqqxx".'),
        (("tracks", "comments", "300010"), "No comments on soundcloud:tracks:300010."),
    ],
)
def test_i16_03_an_empty_result_says_so_on_a_terminal_only(sc, args, said):
    at_terminal = sc(*args, tty=True)
    assert at_terminal.code == 0 and at_terminal.stdout == "", at_terminal
    assert at_terminal.stderr.strip() == said
    piped = sc(*args)
    assert piped.code == 0 and piped.stdout == "" and piped.stderr == "", piped
    asked = sc(*args, "--json")
    assert asked.code == 0 and asked.json == [] and asked.stderr == "", asked


def test_i16_04_an_unknown_field_is_refused_with_the_list(sc):
    for args in (
        ("tracks", "search", "buskers"),
        ("tracks", "get", "300010"),
        ("users", "get", "1002"),
    ):
        r = sc(*args, "--fields", "urn,nope", tty=True)
        assert r.code == 2 and r.stdout == "", r
        err = r.stderr.splitlines()
        assert err[0].startswith("error: --fields: ") and "'nope'" in err[0], r
        assert err[1].startswith("hint: fields: ") and " urn," in err[1], r
    r = sc("tracks", "search", "buskers", "--fields", "user.nope")
    assert r.code == 2 and "username" in r.stderr, r
    # A field the schema has but this object lacks still prints empty (null in JSON).
    r = sc("tracks", "search", "buskers", "--limit", "2", "--fields", "urn,metadata_artist")
    assert r.code == 0 and all(t["metadata_artist"] is None for t in r.json), r


def test_i16_04_fields_agree_with_the_openapi_description():
    import yaml
    from openapi_spec import SPEC

    from sccli.core.fields import FIELDS

    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    assert set(FIELDS["track"]) == {"id", *schemas["Track"]["properties"]}
    assert set(FIELDS["playlist"]) == {"id", *schemas["Playlist"]["properties"]}
    assert set(FIELDS["user"]) == {
        "id",
        *schemas["User"]["properties"],
        *schemas["Me"]["properties"],
    }
    assert set(FIELDS["comment"]) == {"id", *schemas["Comment"]["properties"]}


def test_i16_05_several_manifest_problems_keep_one_line_each(sc, tmp_path):
    from test_release import edit, make_release

    folder = tmp_path / "rel"
    manifest = make_release(folder, 3, extra='colour = "blue"')
    edit(manifest, 'release_date = "2026-12-01"', 'release_date = "2026-13-45"')
    edit(manifest, 'license = "cc-by-sa"', 'license = "cc-everything"')
    edit(manifest, 'file = "02-night_ferry.wav"', 'file = "missing.wav"')
    r = sc("release", "plan", str(manifest), tty="stderr")
    assert r.code == 2, r
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[0].endswith("has 4 problems:"), r
    assert sorted(line.split(":")[0].strip() for line in lines[1:5]) == [
        "release.colour",
        "release.license",
        "release.release_date",
        "track[2].file",
    ], r
    assert all(line.startswith("  ") for line in lines[1:5])


def test_i16_06_release_push_shows_its_uploads(user_sc, sandbox, tmp_path):
    from test_release import make_release

    sandbox.config(bandwidth=60000)  # a few tenths of a second per file: bars get drawn
    manifest = make_release(tmp_path / "rel", 2)
    r = user_sc("release", "push", str(manifest), "--jobs", "2", tty="stderr")
    assert r.code == 0, r
    assert "all uploads" in r.stderr and "track[1] Harbour" in r.stderr, r  # the bars
    assert "━" in r.stderr  # rich's bar, drawn while the bytes went
    assert "uploaded track[2]" in r.stderr and "created set" in r.stderr, r
    # Piped: no bars, one line per finished step.
    again = make_release(tmp_path / "rel2", 2, extra='label_name = "Pier Records"')
    edit_title = again.read_text().replace('title = "Night Ferry"', 'title = "Day Ferry"', 1)
    again.write_text(edit_title)
    piped = user_sc("release", "push", str(again))
    assert piped.code == 0 and "━" not in piped.stderr, piped
    steps = piped.stderr.splitlines()
    assert sum(line.startswith(("uploaded track[", "updated track[")) for line in steps) == 2
    assert any(line.startswith("created set ") for line in steps), piped


def test_i16_06_push_report_keeps_urn_and_status_at_80_columns(user_sc, tmp_path):
    from test_release import make_release

    manifest = make_release(tmp_path / "rel", 3)
    r = user_sc("release", "push", str(manifest), env={"COLUMNS": "80"}, tty=True)
    assert r.code == 0, r
    headers, rows = _table(r.stdout)
    assert {"URN", "STATUS", "ACTION"} <= set(headers), r.stdout
    assert all(cell_len(line) <= 80 for line in r.stdout.splitlines()), r.stdout


def test_i16_08_if_absent_decides_before_any_bar(user_sc, tmp_path):
    from audio import make_wav

    wav = make_wav(tmp_path / "pier.wav", seconds=0.5, rate=8000)
    args = ("tracks", "upload", str(wav), "--title", "Live at the pier", "--if-absent")
    first = user_sc(*args, "--json", tty="stderr")
    assert first.code == 0 and "uploading" in first.stderr, first
    urn = first.json["urn"]
    again = user_sc(*args, "--json", tty="stderr")
    assert again.code == 0 and again.json["urn"] == urn, again
    assert again.stderr == f'skipped: you already have "Live at the pier" ({urn})\n', again


def test_i16_07_a_record_never_breaks_a_url_nor_pads_lines(sc):
    url = sc("tracks", "get", "300010", "--json").json["permalink_url"]
    r = sc("tracks", "get", "300010", env={"COLUMNS": "60"}, tty=True)
    assert r.code == 0, r
    lines = r.stdout.splitlines()
    assert any(line.split()[-1] == url for line in lines if line.startswith("permalink_url")), r
    assert all(line == line.rstrip() for line in lines), [x for x in lines if x != x.rstrip()]


def test_i16_09_messages_name_things_sc_already_has(user_sc, sandbox):
    piped = user_sc("tracks", "get", "300010", "--ndjson").stdout
    title = json.loads(piped)["title"]
    owner = json.loads(piped)["user"]["username"]
    gets = sandbox.count("GET /tracks/<ref>")
    r = user_sc("like", "-", input=piped, tty=True)
    assert r.code == 0, r
    assert r.stderr == f'liked "{title}" by {owner} (soundcloud:tracks:300010)\n', r
    assert sandbox.count("GET /tracks/<ref>") == gets  # not fetched just to say it
    bare = user_sc("like", "soundcloud:tracks:300011", tty=True)
    assert bare.stderr == "liked soundcloud:tracks:300011\n", bare
    assert sandbox.count("GET /tracks/<ref>") == gets
    url = json.loads(piped)["permalink_url"]
    first = user_sc("repost", url, tty=True)
    assert first.stderr == f'reposted "{title}" by {owner} (soundcloud:tracks:300010)\n', first
    posts = sandbox.count("POST /reposts/tracks/<ref>")
    again = user_sc("repost", "soundcloud:tracks:300010", tty=True)
    assert again.stderr == "already reposted soundcloud:tracks:300010\n", again
    assert sandbox.count("POST /reposts/tracks/<ref>") == posts  # nothing to write


def test_i16_09_the_delete_prompt_names_the_title(user_sc, tmp_path):
    from audio import make_wav

    up = user_sc(
        "tracks", "upload", str(make_wav(tmp_path / "a.wav")), "--title", "Gulls", "--json"
    )
    urn = up.json["urn"]
    r = user_sc("tracks", "delete", urn, input="n\n", tty="stdin,stderr")
    assert f'Delete track "Gulls" by sandbox-user ({urn})?' in r.stderr, r
    assert r.code == 1 and "nothing was deleted" in r.stderr, r


def test_i16_14_batch_verbs_take_the_output_options(user_sc):
    r = user_sc("like", "300010", "300011", "--json")
    assert r.code == 0, r
    assert r.json == [
        {"ref": "300010", "ok": True, "urn": "soundcloud:tracks:300010"},
        {"ref": "300011", "ok": True, "urn": "soundcloud:tracks:300011"},
    ]
    r = user_sc("follow", "1002", "--fields", "urn", "-r")
    assert r.code == 0 and r.stdout == "soundcloud:users:1002\n", r
    r = user_sc("unlike", "300010", "300011", "--table")
    assert r.code == 0 and "REF" in r.stdout and "URN" in r.stdout, r
    for verb in ("unfollow", "repost", "unrepost"):
        assert user_sc(verb, "--help").stdout.count("--json") == 1
    for group in ("tracks", "playlists"):
        assert "--json" in user_sc(group, "delete", "--help").stdout
    assert "--json" in user_sc("tracks", "download", "--help").stdout


def test_i16_13_a_terminal_on_stdin_hears_what_sc_waits_for(user_sc):
    r = user_sc("like", "-", input="300010\n", tty="stdin,stderr")
    assert r.code == 0, r
    assert r.stderr.startswith("reading references from stdin; end with Ctrl-D\n"), r
    assert "reading references" not in user_sc("like", "-", input="300010\n").stderr


def test_i16_10_the_sandbox_user_has_a_social_life(user_sc, sandbox):
    assert sandbox.post("/_sandbox/reset", json={}).status_code == 200  # the seed users get
    user_sc.token_file.write_text(json.dumps(sandbox.user_token()))  # a reset forgets tokens
    me = user_sc("me", "--json").json
    followings = user_sc("followings", "--all", "--json").json
    assert followings and me["followings_count"] == len(followings)
    assert me["followers_count"] == len(user_sc("followers", "--all", "--json").json)
    likes = user_sc("likes", "--all", "--json").json
    assert likes and me["public_favorites_count"] == len(likes)
    assert user_sc("likes", "--playlists", "--json").json
    assert user_sc("reposts", "--json").json and user_sc("history", "--json").json
    feed = user_sc("feed", "--tracks", "--limit", "5", "--ndjson")
    assert len(feed.ndjson) == 5
    followed = {u["urn"] for u in followings}
    for a in feed.ndjson:  # what the people followed posted or reposted
        assert a["origin"]["user"]["urn"] in followed or a.get("reposter") in followed
    r = user_sc("repost", "-", input=feed.stdout)  # README's pipe does something
    assert r.code == 0 and len(r.ndjson) == 5 and all(x["ok"] for x in r.ndjson), r


def test_i16_11_config_lists_every_key_with_default_and_origin(sc, home):
    r = sc("config", "list", tty=True, env={"SC_CLIENT_ID": None})  # a fresh profile
    assert r.code == 0, r
    headers, rows = _table(r.stdout)
    assert headers == ["KEY", "VALUE", "DEFAULT", "ORIGIN"]
    keys = [row.split()[0] for row in rows]
    assert keys == [
        "api-url",
        "auth-url",
        "client-id",
        "redirect-port",
        "redirect-uri",
        "sharing",
        "output",
    ]
    sharing = next(row for row in rows if row.startswith("sharing"))
    assert sharing.split() == ["sharing", "private", "private", "default"]
    api = next(row for row in rows if row.startswith("api-url"))
    assert api.split()[-2:] == ["environment", "(SC_API_URL)"]  # the fixture sets it
    assert sc("config", "get", "sharing").stdout == "private\n"
    none = sc("config", "get", "client-id", env={"SC_CLIENT_ID": None})
    assert none.code == 1 and none.stderr.startswith(
        "error: client-id is not set and has no default"
    )


def test_i16_11_config_keys_and_values_complete(sc):
    from test_docs import complete

    assert {"sharing", "output", "api-url"} <= set(complete(sc, "sc config set "))
    assert complete(sc, "sc config get r") == ["redirect-port", "redirect-uri"]
    assert complete(sc, "sc config set sharing ") == ["public", "private"]
    assert complete(sc, "sc config set output j") == ["json"]


def _help_pages() -> list[list[str]]:
    from sccli.cli.app import command

    root = command()
    pages = [[]]
    for name, cmd in root.commands.items():
        pages.append([name])
        pages += [[name, sub] for sub in getattr(cmd, "commands", {})]
    return pages


def test_i16_12_every_help_page_reads_well_at_80_columns(sc):
    import re

    leaks = re.compile(r"<(str|int|float|bool|path|list\[[^>]*\]|int range|float range)>", re.I)
    pages = _help_pages()
    assert len(pages) > 60
    for page in pages:
        r = sc(*page, "--help", env={"COLUMNS": "80"})
        assert r.code == 0, r
        lines = r.stdout.splitlines()
        assert lines[0].startswith("Usage: sc") and "{" not in lines[0], lines[0]
        assert "...}..." not in lines[0] and "......" not in lines[0], lines[0]
        for line in lines:
            assert len(line) <= 80, f"sc {' '.join(page)} --help: {line!r}"
            assert not leaks.search(line), f"sc {' '.join(page)} --help: {line!r}"
        assert not any(line.rstrip().endswith("...") for line in lines[1:]), r.stdout


def test_i16_13_auth_status_without_a_login_says_not_logged_in(sc):
    r = sc("auth", "status", app=False)  # no token file, and no usable OS keyring
    assert r.code == 4, r
    assert r.stderr.startswith("error: not logged in (profile default)\n"), r
    assert "hint: run `sc auth login`" in r.stderr and "keyring" in r.stderr


def test_i16_13_end_of_input_at_the_paste_prompt_is_exit_4_with_a_hint(sc):
    # Over SSH sc asks for the URL the browser was sent to; stdin is /dev/null here.
    r = sc("auth", "login", "--port", "9", env={"SSH_CONNECTION": "10.0.0.1 1 10.0.0.2 22"})
    assert r.code == 4, r
    assert "error: no URL was pasted (stdin ended)" in r.stderr, r
    assert "hint: " in r.stderr


def test_i16_13_one_rule_titles_a_file_for_upload_and_release_init(user_sc, tmp_path):
    from audio import make_wav

    from sccli.core.titles import name_guess

    assert name_guess(Path("velvet garden (buskers session).wav")) == (
        None,
        "Velvet Garden (buskers session)",
    )
    folder = tmp_path / "rel"
    folder.mkdir()
    wav = make_wav(folder / "01-harbour.wav", seconds=0.3, rate=8000)
    make_wav(folder / "02-quay (buskers session).wav", seconds=0.4, rate=8000)
    assert user_sc("release", "init", str(folder)).code == 0
    text = (folder / "release.toml").read_text()
    assert 'title = "Harbour"' in text and 'title = "Quay (buskers session)"' in text
    up = user_sc("tracks", "upload", str(wav), "--json")
    assert up.code == 0 and up.json["title"] == "Harbour", up


def test_i16_13_a_time_is_quoted_back_as_it_was_given(user_sc):
    r = user_sc("comment", "300010", "late", "--at", "99:00")
    assert r.code == 2, r
    assert "--at 99:00 is past the end of the track" in r.stderr, r
