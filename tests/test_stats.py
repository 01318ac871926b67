"""`sc stats` (issue 18, "the numbers over time"): snapshots into SQLite over an injected
clock, against an in-thread sandbox whose counts grow as its clock is moved on."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time

import pytest

T0 = 1_789_999_980.0  # 2026-09-21 14:13:00 UTC, on a minute: the time sc is given
DAY = 86400.0
ME_TRACKS = 6  # the seed gives sandbox-user six tracks


def at(days: float):
    return lambda: T0 + days * DAY


def rows(db):
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT s.taken_at, t.urn, c.plays, c.likes, c.reposts, c.comments, c.downloads"
            " FROM counts c JOIN snapshots s ON s.id=c.snapshot_id JOIN tracks t ON t.id=c.track_id"
            " ORDER BY s.taken_at, t.urn"
        ).fetchall()


def my_tracks(sandbox, user_sc) -> dict:
    """What the API says now: urn -> Track (the owner's view)."""
    token = json.loads(user_sc.token_file.read_text())["access_token"]
    r = sandbox.get(
        "/me/tracks",
        params={"limit": 50, "linked_partitioning": "true", "access": "playable,preview,blocked"},
        headers={"Authorization": f"OAuth {token}"},
    )
    return {t["urn"]: t for t in r.json()["collection"]}


def snap(user_sc, db, days: float, *extra: str):
    return user_sc("stats", "snapshot", "--db", str(db), *extra, clock=at(days))


def test_i18_stats_snapshot_records_every_track_with_its_counts(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    r = snap(user_sc, db, 0)
    assert r.code == 0, r
    assert f"recorded {ME_TRACKS} track(s) of soundcloud:users:" in r.stderr
    api = my_tracks(sandbox, user_sc)
    got = rows(db)
    assert len(got) == ME_TRACKS and {u for _, u, *_ in got} == set(api)
    for taken, urn, plays, likes, reposts, comments, downloads in got:
        t = api[urn]
        assert taken == T0
        assert (plays, likes, reposts, comments, downloads) == (
            t["playback_count"],
            t["favoritings_count"],
            t["reposts_count"],
            t["comment_count"],
            t["download_count"],
        )


def test_i18_stats_snapshot_same_minute_refused_unless_force(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    assert snap(user_sc, db, 0).code == 0
    again = user_sc("stats", "snapshot", "--db", str(db), clock=lambda: T0 + 59)
    assert again.code == 1, again
    assert "already taken this minute" in again.stderr and "--force" in again.stderr
    assert len(rows(db)) == ME_TRACKS, "a refused snapshot writes nothing"
    forced = user_sc("stats", "snapshot", "--db", str(db), "--force", clock=lambda: T0 + 59)
    assert forced.code == 0, forced
    assert len(rows(db)) == 2 * ME_TRACKS
    next_minute = user_sc("stats", "snapshot", "--db", str(db), clock=lambda: T0 + 61)
    assert next_minute.code == 0, next_minute


def test_i18_stats_snapshot_is_one_transaction(sandbox, user_sc, tmp_path):
    """A listing that fails part-way records nothing: no half snapshot."""
    db = tmp_path / "stats.db"
    sandbox.config(days_ahead=0)
    sandbox.fault(path="/me/tracks", status=500, times=50)
    r = snap(user_sc, db, 0)
    assert r.code == 1, r
    assert rows(db) == []
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 0


def test_i18_stats_hidden_counts_recorded_as_null(sandbox, user_sc, sc, tmp_path):
    """Quiet mode (reveal_stats false) hides plays and likes from others: null, never 0."""
    quiet = sorted(my_tracks(sandbox, user_sc))[0]
    r = user_sc("api", "PUT", f"/tracks/{quiet}", "-f", "track.reveal_stats=false")
    assert r.code == 0, r
    db = tmp_path / "stats.db"
    # As the app (client credentials): somebody else's view of sandbox-user's tracks.
    r = sc("stats", "snapshot", "sandbox-user", "--db", str(db), clock=at(0))
    assert r.code == 0, r
    assert "1 with hidden counts" in r.stderr
    by_urn = {u: vals for _, u, *vals in rows(db)}
    plays, likes, reposts, comments, downloads = by_urn[quiet]
    assert plays is None and likes is None
    assert reposts is not None and comments is not None
    assert all(v is not None for u, vals in by_urn.items() if u != quiet for v in vals)
    shown = sc("stats", "show", quiet, "--db", str(db), "--json", clock=at(0))
    assert shown.json[0]["plays"] is None and shown.json[0]["likes"] is None, shown


def test_i18_stats_snapshot_user_or_mine(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    both = user_sc("stats", "snapshot", "sandbox-user", "--mine", "--db", str(db))
    assert both.code == 2 and "not both" in both.stderr, both
    other = user_sc("stats", "snapshot", "soundcloud:users:1002", "--db", str(db), clock=at(0))
    assert other.code == 0, other
    users = {u for _, u, *_ in rows(db)}
    assert users and all(u.startswith("soundcloud:tracks:") for u in users)
    mine = user_sc("stats", "snapshot", "--mine", "--db", str(db), clock=at(0))
    assert mine.code == 0, mine  # another user in the same minute is not refused


def test_i18_stats_default_database_in_the_data_dir(sandbox, user_sc, home):
    r = user_sc("stats", "snapshot", clock=at(0))
    assert r.code == 0, r
    db = home / "config" / "stats.db"  # SC_CONFIG_DIR is the data directory in tests
    assert str(db) in r.stderr and len(rows(db)) == ME_TRACKS
    shown = user_sc("stats", "show", "--json", clock=at(0))
    assert len(shown.json) == ME_TRACKS


def test_i18_stats_sandbox_counts_grow_with_its_clock(sandbox, user_sc):
    """Deterministic: nothing grows until the clock moves; then every track gains plays, and
    the same day always gives the same counts."""
    seed = my_tracks(sandbox, user_sc)
    assert my_tracks(sandbox, user_sc) == seed
    days = []
    for n in (1, 2, 30):
        sandbox.config(days_ahead=n)
        days.append(my_tracks(sandbox, user_sc))
    assert my_tracks(sandbox, user_sc) == days[-1]
    for urn, t in seed.items():
        plays = [t["playback_count"]] + [d[urn]["playback_count"] for d in days]
        assert plays == sorted(set(plays)), plays  # strictly more each day
        assert days[-1][urn]["favoritings_count"] >= t["favoritings_count"]
    sandbox.config(days_ahead=0)
    assert my_tracks(sandbox, user_sc) == seed


def _history(sandbox, user_sc, db, days: list[float]) -> list[dict]:
    """A snapshot on each of these days, the sandbox's clock moved with sc's; the API's
    tracks at each."""
    seen = []
    for d in days:
        sandbox.config(days_ahead=d)
        seen.append(my_tracks(sandbox, user_sc))
        r = snap(user_sc, db, d)
        assert r.code == 0, r
    return seen


def test_i18_stats_show_changes_over_day_week_month(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    days = [0, 1, 2, 8, 9]
    seen = _history(sandbox, user_sc, db, days)
    r = user_sc("stats", "show", "--db", str(db), "--json", clock=at(9))
    assert r.code == 0, r
    assert "changes need a second" not in r.stderr
    got = {row["urn"]: row for row in r.json}
    assert set(got) == set(seen[-1])
    for urn, row in got.items():
        plays = [s[urn]["playback_count"] for s in seen]
        assert row["plays"] == plays[-1]
        assert row["likes"] == seen[-1][urn]["favoritings_count"]
        assert row["change_day"] == plays[4] - plays[3]  # day 9 against day 8
        assert row["change_week"] == plays[4] - plays[2]  # against day 2, the last a week before
        assert row["change_month"] is None  # no snapshot a month old
        assert len(row["trend"]) == len(days) and row["trend"][-1] == "█"
        assert row["trend"][0] == "▁" and "series" not in row
    likes = user_sc("stats", "show", "--db", str(db), "--json", "--metric", "likes", clock=at(9))
    urn = sorted(got)[0]
    row = next(x for x in likes.json if x["urn"] == urn)
    assert (
        row["change_day"] == seen[4][urn]["favoritings_count"] - seen[3][urn]["favoritings_count"]
    )
    since = user_sc("stats", "show", "--db", str(db), "--json", "--since", "3d", clock=at(9))
    assert [len(x["trend"]) for x in since.json] == [2] * ME_TRACKS  # days 8 and 9


def test_i18_stats_show_one_snapshot_says_changes_need_a_second(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    empty = user_sc("stats", "show", "--db", str(db), clock=at(0))
    assert empty.code == 0 and empty.stdout == "" and "no snapshots yet" in empty.stderr, empty
    snap(user_sc, db, 0)
    r = user_sc("stats", "show", "--db", str(db), "--json", clock=at(0))
    assert r.code == 0, r
    assert "changes need a second one" in r.stderr
    assert all(x["change_day"] is None and x["trend"] == "" for x in r.json)


def test_i18_stats_show_table_with_sparkline(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0, 1, 2, 3])
    r = user_sc("stats", "show", "--db", str(db), tty=True, clock=at(3))
    assert r.code == 0, r
    lines = r.stdout.splitlines()
    for header in ("TITLE", "PLAYS", "DAY", "WEEK", "MONTH", "TREND"):
        assert header in lines[0], r
    body = [line for line in lines[2:] if line.strip()]
    assert len(body) == ME_TRACKS
    assert all("▁" in line and "█" in line for line in body), r.stdout
    assert all("+" in line for line in body)  # the day's change, signed


def test_i18_stats_show_named_tracks_and_bad_input(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0, 1])
    api = my_tracks(sandbox, user_sc)
    urn = sorted(api)[0]
    link = api[urn]["permalink_url"]
    for ref in (urn, urn.rsplit(":", 1)[1], link):
        r = user_sc("stats", "show", ref, "--db", str(db), "--json", clock=at(1))
        assert r.code == 0 and [x["urn"] for x in r.json] == [urn], (ref, r)
    missing = user_sc("stats", "show", "999999999", "--db", str(db), clock=at(1))
    assert missing.code == 3 and "no snapshot of 999999999" in missing.stderr, missing
    for args in (["--since", "yesterday"], ["--metric", "hearts"], ["--plot", "--csv"]):
        bad = user_sc("stats", "show", *args, "--db", str(db), clock=at(1))
        assert bad.code == 2 and "Traceback" not in bad.stderr, bad
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    r = user_sc("stats", "show", "--db", str(junk))
    assert r.code == 2 and "stats database" in r.stderr, r


def test_i18_stats_show_csv(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    seen = _history(sandbox, user_sc, db, [0, 1])
    r = user_sc("stats", "show", "--db", str(db), "--csv", clock=at(1))
    assert r.code == 0, r
    got = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(got) == ME_TRACKS
    for row in got:
        plays = [s[row["urn"]]["playback_count"] for s in seen]
        assert int(row["plays"]) == plays[-1]
        assert int(row["change_day"]) == plays[1] - plays[0]
        assert row["change_week"] == ""


def test_i18_stats_show_plot_draws_a_line_chart(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0, 1, 3, 6])
    api = my_tracks(sandbox, user_sc)
    urns = sorted(api)[:2]
    r = user_sc(
        "stats", "show", *urns, "--db", str(db), "--plot", clock=at(6), env={"COLUMNS": "90"}
    )
    assert r.code == 0, r
    out = r.stdout
    assert "\x1b[" not in out, "no colour into a pipe"
    assert "plays gained since" in out  # several tracks: what each gained
    for urn in urns:
        assert api[urn]["title"][:20] in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 90
    assert sum(ch in "▄▀▖▗▘▝▚▞▙▛▜▟█▌▐" for ch in out) > 20, out  # the lines themselves
    one = user_sc("stats", "show", urns[0], "--db", str(db), "--plot", clock=at(6))
    assert one.code == 0 and "plays since" in one.stdout, one  # one track: its counts


def test_i18_stats_export_appends_only_new_rows(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    out = tmp_path / "stats.csv"
    _history(sandbox, user_sc, db, [0])
    r = user_sc("stats", "export", "--csv", str(out), "--db", str(db))
    assert r.code == 0 and f"appended {ME_TRACKS} row(s)" in r.stderr, r
    again = user_sc("stats", "export", "--csv", str(out), "--db", str(db))
    assert again.code == 0 and "appended 0 row(s)" in again.stderr, again
    _history(sandbox, user_sc, db, [1])
    user_sc("stats", "export", "--csv", str(out), "--db", str(db))
    text = out.read_text()
    assert "\r" not in text  # one line ending, for git
    got = list(csv.DictReader(io.StringIO(text)))
    assert len(got) == 2 * ME_TRACKS
    assert list(got[0]) == [
        "taken_at",
        "user_urn",
        "track_urn",
        "title",
        "plays",
        "likes",
        "reposts",
        "comments",
        "downloads",
    ]
    assert got[0]["taken_at"] == "2026-09-21T14:13:00Z"
    assert [r["track_urn"] for r in got[:ME_TRACKS]] == sorted(my_tracks(sandbox, user_sc))
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    bad = user_sc("stats", "export", "--csv", str(other), "--db", str(db))
    assert bad.code == 2 and "header" in bad.stderr, bad
    assert other.read_text() == "a,b\n1,2\n"


def _report(sandbox, user_sc, tmp_path) -> tuple:
    """A report over four snapshots (days 0, 1, 2 and 8), made on day 9."""
    db = tmp_path / "stats.db"
    seen = _history(sandbox, user_sc, db, [0, 1, 2, 8])
    html = tmp_path / "report" / "stats.html"
    html.parent.mkdir()  # a report makes no folder (test_probe_08)
    r = user_sc("stats", "report", "--html", str(html), "--db", str(db), clock=at(9))
    assert r.code == 0 and f"{ME_TRACKS} track(s)" in r.stderr, r
    return html, seen


def test_i18_stats_report_is_one_self_contained_page(sandbox, user_sc, tmp_path):
    html, seen = _report(sandbox, user_sc, tmp_path)
    api = seen[-1]
    page = html.read_text()
    assert page.count('<svg class="chart"') == ME_TRACKS + 1  # a track each, and the totals
    assert "<script" not in page.lower()
    assert "default-src 'none'" in page  # nothing loads: no network, no script
    assert "prefers-color-scheme: dark" in page
    for t in api.values():
        assert f"{t['playback_count']:,}" in page
    for link in ("src=", "@import", "url("):
        assert link not in page
    totals = page.split('<section class="totals">', 1)[1].split("</table>", 1)[0]
    week = sum(seen[3][u]["playback_count"] - seen[1][u]["playback_count"] for u in api)
    assert f"<td>{sum(t['playback_count'] for t in api.values()):,}</td>" in totals
    assert f"<td>+{week:,}</td>" in totals  # day 8 against day 1, over all tracks


def _luminance(css: str) -> float:
    """Relative luminance of a computed colour, rgb(r, g, b)."""
    import re

    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


CHARTS_DRAWN = """
return Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const mark = svg.querySelector('.line') || svg.querySelector('.dot');
  const box = mark.getBBox(), rect = svg.getBoundingClientRect();
  return {w: box.width, h: box.height, shown: rect.width > 100 && rect.height > 20,
          stroke: getComputedStyle(mark).stroke, fill: getComputedStyle(mark).fill,
          points: (svg.querySelector('.line') || {getTotalLength: () => 0}).getTotalLength()};
});
"""
COLOURS = """
const s = getComputedStyle(document.body);
const t = getComputedStyle(document.querySelector('svg.chart text'));
const line = getComputedStyle(document.querySelector('svg.chart .line'));
return [s.backgroundColor, s.color, t.fill, line.stroke];
"""


def _artifact(name: str, tmp_path):
    """Where a test's screenshot goes: $SC_TEST_ARTIFACTS (CI keeps it), else the test's
    temporary directory."""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("SC_TEST_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


@pytest.mark.browser
def test_i18_stats_report_in_chromium(sandbox, user_sc, tmp_path, chrome):
    """The real browser draws every chart, logs nothing to its console, and the page reads
    in light and in dark mode."""
    html, _ = _report(sandbox, user_sc, tmp_path)
    chrome.set_window_size(1100, 1400)
    for scheme in ("light", "dark"):
        chrome.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        chrome.get(html.as_uri())
        charts = chrome.execute_script(CHARTS_DRAWN)
        assert len(charts) == ME_TRACKS + 1
        for c in charts:
            assert c["shown"] and c["w"] > 100 and c["h"] > 0 and c["points"] > 100, c
        bg, fg, label, line = chrome.execute_script(COLOURS)
        assert (_luminance(bg) < 0.1) == (scheme == "dark"), bg
        assert _contrast(bg, fg) >= 7, (bg, fg)  # body text: WCAG AAA
        assert _contrast(bg, label) >= 4.5 and _contrast(bg, line) >= 3, (bg, label, line)
        shot = _artifact(f"stats-report-{scheme}.png", tmp_path)
        assert chrome.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    errors = [e for e in chrome.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == [], errors


# -- README's nightly workflow, run as written -------------------------------------------------
def _nightly_job() -> dict:
    import re

    import yaml
    from test_release_ci import README

    text = README.read_text().split("\n## Stats over time\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```yaml\n(.*?)```", text, re.S)
    (job,) = yaml.safe_load(block)["jobs"].values()
    return job


def _night(checkout, env, runner_temp, secrets):
    """The workflow's job as GitHub runs it: this repository's action, then the run: steps."""
    from gha import Runner

    runner = Runner(
        base_env=env,
        cwd=checkout,
        temp=runner_temp,
        values={f"secrets.{k}": v for k, v in secrets.items()},
    )
    runner.job(_nightly_job(), action_ref="OWNER/sccli")
    assert not runner.failed, [(p.args[-1][:60], p.stderr) for p in runner.results]
    return runner.results


def test_i18_stats_readme_nightly_workflow_snapshots_and_commits_the_csv(sandbox, home, tmp_path):
    """Two nights: each appends its snapshot to stats.csv and commits it; the rotated token
    is saved for the next night. pip (the action's install), gh and git push are stand-ins; git
    itself is real."""
    import stat
    import subprocess

    from conftest import SANDBOX_APP, SC_CMD, sandbox_env
    from test_release_ci import STANDINS, expired_token

    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(checkout)]
    subprocess.run([*git, "init", "-q"], check=True)
    (checkout / "README").write_text("stats\n")
    subprocess.run([*git, "add", "README"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    bin_dir, out = tmp_path / "bin", tmp_path / "saved"
    bin_dir.mkdir()
    out.mkdir()
    real_git = subprocess.run(["bash", "-c", "command -v git"], capture_output=True, text=True)
    tools = {
        "python": STANDINS["python"],
        "gh": STANDINS["gh"],
        "sc": "exec " + " ".join(f"'{c}'" for c in SC_CMD) + ' "$@"',
        "git": f'[ "$1" = push ] && {{ echo pushed >> "$FAKE_OUT/pushes"; exit 0; }}\n'
        f'exec {real_git.stdout.strip()} "$@"',
    }
    for name, body in tools.items():
        (bin_dir / name).write_text("#!/bin/bash\n" + body + "\n")
        (bin_dir / name).chmod(0o755 | stat.S_IXUSR)
    env = sandbox_env(sandbox, home, app=False)
    env["FAKE_OUT"] = str(out)
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    token = expired_token(sandbox)
    for night in (1, 2):
        # Real nights are a day apart; these two are apart by at least the CSV's resolution
        # (a second), or export rightly takes the second for the first one's rows.
        time.sleep(1 - time.time() % 1)
        sandbox.config(days_ahead=night)
        secrets = {
            "SC_CLIENT_ID": SANDBOX_APP[0],
            "SC_CLIENT_SECRET": SANDBOX_APP[1],
            "SC_TOKEN_JSON": token,
            "SECRETS_WRITE_TOKEN": "ghp-stand-in",
        }
        steps = _night(checkout, env, tmp_path / f"runner-{night}", secrets)
        # the action's install and token steps, the snapshot, the commit, the save
        assert len(steps) == 5, [p.args[-1][:60] for p in steps]
        saved = (out / "github-SC_TOKEN_JSON").read_text()
        if night == 1:  # the restored token had expired: refreshed, and the rotated one kept
            assert json.loads(saved)["refresh_token"] != json.loads(token)["refresh_token"]
        token = saved
    got = list(csv.DictReader(io.StringIO((checkout / "stats.csv").read_text())))
    assert len(got) == 2 * ME_TRACKS
    first, second = got[:ME_TRACKS], got[ME_TRACKS:]
    assert all(int(b["plays"]) > int(a["plays"]) for a, b in zip(first, second, strict=True))
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True).stdout
    assert [x.split(":")[0] for x in log.splitlines()] == ["stats", "stats", "start"], log
    assert (out / "pushes").read_text().count("pushed") == 2
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


def test_i18_stats_files_that_are_not_ours_are_left_alone(sandbox, user_sc, tmp_path):
    """A --db, --html or --csv that names another kind of file: exit 2, the file untouched."""
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0])
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    cases = [
        ("stats", "report", "--html", str(notes), "--db", str(db)),
        ("stats", "export", "--csv", str(notes), "--db", str(db)),
        ("stats", "show", "--db", str(notes)),
        ("stats", "show", "--db", str(tmp_path)),
        ("stats", "report", "--html", str(tmp_path), "--db", str(db)),
        ("stats", "show", "--db", "9" * 400),
        ("stats", "report", "--html", "9" * 400, "--db", str(db)),
        ("stats", "export", "--csv", "9" * 400, "--db", str(db)),
    ]
    for args in cases:
        r = user_sc(*args, clock=at(0))
        assert r.code == 2 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r
    assert notes.read_text() == "my notes\n"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE mine (a)")
    r = user_sc("stats", "snapshot", "--db", str(other), clock=at(0))
    assert r.code == 2 and "not one of `sc stats`" in r.stderr, r
    with sqlite3.connect(other) as c:
        assert [n for (n,) in c.execute("SELECT name FROM sqlite_master")] == ["mine"]
    page = tmp_path / "page.html"
    for _ in range(2):  # a page it wrote is replaced
        r = user_sc("stats", "report", "--html", str(page), "--db", str(db), clock=at(0))
        assert r.code == 0, r


def test_i18_stats_sandbox_mode_keeps_its_own_database(sc, home):
    """`sc --sandbox stats ...`: the sandbox's made-up counts never mix with real ones."""
    r = sc("--sandbox", "stats", "snapshot", app=False, clock=at(0))
    assert r.code == 0, r
    assert f"recorded {ME_TRACKS} track(s)" in r.stderr
    assert (home / "config" / "sandbox" / "stats.db").exists()
    assert not (home / "config" / "stats.db").exists()
    shown = sc("--sandbox", "stats", "show", "--json", app=False, clock=at(0))
    assert len(shown.json) == ME_TRACKS, shown


def test_i18_stats_show_changes_allow_a_late_nightly_job_but_not_a_missed_night(tmp_path):
    """A day's change takes a snapshot a day before the latest, give or take a tenth of a
    day: GitHub's cron runs minutes late. Two days apart is no day's change."""
    from sccli.core.stats import series as S
    from sccli.core.stats.store import Observed, StatsDB, TrackInfo

    def history(offsets_days: list[float], values: list[int | None]) -> S.Series:
        db_path = tmp_path / f"{len(list(tmp_path.iterdir()))}.db"
        with StatsDB(db_path) as db:
            for d, v in zip(offsets_days, values, strict=True):
                seen = [Observed(TrackInfo("soundcloud:tracks:1", "One"), (v, 1, 1, 1, 1))]
                db.record("soundcloud:users:1", T0 + d * DAY, seen)
            (s,) = S.load_series(db, 0)
        return s

    late = history([0, 1 + 20 / 1440], [100, 130])  # the next night, 20 minutes late
    assert late.change(0, S.DAY) == 30
    early = history([0, 1 - 20 / 1440], [100, 130])
    assert early.change(0, S.DAY) == 30
    missed = history([0, 2], [100, 130])
    assert missed.change(0, S.DAY) is None and missed.change(0, 7 * S.DAY) is None
    week = history([0, 1, 6, 7], [100, 110, 160, 170])
    assert (week.change(0, S.DAY), week.change(0, 7 * S.DAY)) == (10, 70)
    hidden = history([0, 1], [None, 130])
    assert hidden.change(0, S.DAY) is None and hidden.change(1, S.DAY) == 0
    assert S.sparkline([1, None, 3, 8]) == "▁ ▃█" and S.sparkline([5]) == ""


def test_i18_stats_damaged_database_is_one_line(sandbox, user_sc, tmp_path):
    db = tmp_path / "stats.db"
    _history(sandbox, user_sc, db, [0, 1])
    data = bytearray(db.read_bytes())
    page = 4096
    for i in range(page, len(data)):  # every page past the schema's, garbled
        data[i] = 0x5A
    db.write_bytes(bytes(data))
    r = user_sc("stats", "show", "--db", str(db), clock=at(1))
    assert r.code in (1, 2) and r.stderr.startswith("error: "), r
    assert "Traceback" not in r.stderr and "--debug for the details" not in r.stderr, r


def test_i18_stats_snapshot_rows_commit_together_or_not_at_all(tmp_path):
    """A row that cannot be written rolls back the whole snapshot: no half snapshot."""
    from sccli.core.stats.store import Observed, StatsDB, TrackInfo

    good = Observed(TrackInfo("soundcloud:tracks:1", "One"), (1, 2, 3, 4, 5))
    bad = Observed(TrackInfo("soundcloud:tracks:2", "Two"), (1, 2))  # two counts of five
    with StatsDB(tmp_path / "s.db") as db:
        with pytest.raises(sqlite3.Error):
            db.record("soundcloud:users:1", T0, [good, bad])
        assert db.latest() is None and db.tracks() == {}
        db.record("soundcloud:users:1", T0, [good])
        assert db.latest() == T0
