"""Issue 15, part B: sc and the sandbox as the live SoundCloud API is in 2026 (stream and
preview links, upload size, secret links, quiet mode and storefronts, apps registered by
sc-api-auth, the login callback). One test per item, named after it."""

from __future__ import annotations

import json
import resource
import stat
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from audio import make_wav
from conftest import SANDBOX_APP, SC_CMD, base_env, default_sigint

from sccli.core.client import Client
from sccli.core.config import Settings
from sccli.core.streams import resolve_stream
from sccli.sandbox.server import SandboxServer


# -- item 4: stream URLs ---------------------------------------------------------------------------
class _NoNetwork(requests.Session):
    def send(self, *a, **kw):  # any request at all fails the test
        raise AssertionError("a request was sent")


def _cdn_requests(sandbox) -> int:
    return sum("/cdn/" in x["path"] for x in sandbox.get("/_sandbox/requests").json()["requests"])


def test_i15_04_stream_urls_cdn_links_printed_as_they_are(user_sc, sandbox):
    sandbox.config(signed_streams=1)
    r = user_sc("stream-url", "300010", "--resolve")
    assert r.code == 0, r
    link = r.stdout.strip()
    assert "/cdn/300010/hls_aac_160?Policy=" in link
    # Printed as it came: sc fetched no CDN link itself (with no API hop, no token went there).
    assert _cdn_requests(sandbox) == 0
    assert requests.get(link, timeout=10).status_code == 200
    # The 96 kbit/s AAC stream is offered, and MP3 kept while the spec lists it.
    assert "/cdn/300010/hls_aac_96?" in user_sc("stream-url", "300010", "-f", "hls-aac-96").stdout
    sandbox.config(signed_streams=0)
    api_link = user_sc("stream-url", "300010", "-f", "hls-aac-96").stdout.strip()
    assert api_link.endswith("/streams/hls_aac_96")
    assert (
        "/cdn/300010/hls_mp3_128"
        in user_sc("stream-url", "300010", "-f", "hls-mp3", "--resolve").stdout
    )


def test_i15_04_the_token_never_goes_to_another_host():
    client = Client(Settings(api_url="https://api.soundcloud.com"))
    client.session = _NoNetwork()
    cdn = "https://cf-hls-media.sndcdn.com/playlist/x.128.mp3/playlist.m3u8?Policy=p&Signature=s"
    assert resolve_stream(client, cdn) == cdn
    # Not even the API's host over another scheme.
    assert not client.is_api_host("http://api.soundcloud.com/tracks/1/streams/hls_aac_160")
    assert client.is_api_host("https://api.soundcloud.com/tracks/1/streams/hls_aac_160")


# -- item 5: previews are not passed off as the track --------------------------------------------
def _one(user_sc, access: str) -> dict:
    return user_sc("tracks", "search", "--access", access, "--limit", "1", "--json").json[0]


def test_i15_05_previews_blocked_tracks_and_the_access_column(user_sc):
    preview = _one(user_sc, "preview")["urn"]
    r = user_sc("stream-url", preview)
    assert r.code == 0 and r.stdout.strip().endswith("/streams/preview_mp3_128")
    assert "warning:" in r.stderr and "30-second preview" in r.stderr
    asked = user_sc("stream-url", preview, "--format", "preview")
    assert asked.code == 0 and asked.stderr == ""
    assert user_sc("stream-url", preview, "--format", "hls-aac").code == 3

    blocked = _one(user_sc, "blocked")["urn"]
    r = user_sc("stream-url", blocked)
    assert r.code == 3 and "blocked" in r.stderr and "no stream" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert user_sc("stream-url", blocked, "--json").code == 3

    # ACCESS shows in track tables only where a track is not playable.
    table = user_sc("tracks", "search", "--access", "preview", "--limit", "3", tty=True).stdout
    assert "ACCESS" in table.splitlines()[0] and "preview" in table
    playable = user_sc("tracks", "search", "--access", "playable", "--limit", "3", tty=True)
    assert "ACCESS" not in playable.stdout
    tsv = user_sc("tracks", "search", "--access", "preview", "--limit", "1", "--tsv").stdout
    assert "\tpreview" not in tsv  # --tsv keeps its columns


# -- item 8: upload size ---------------------------------------------------------------------------
def _sparse_wav(path, size: int):
    with open(path, "wb") as f:
        f.write(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(28))
        f.truncate(size)
    return path


def test_i15_08_upload_size_refused_only_past_4_gb(user_sc, sandbox, tmp_path):
    too_big = _sparse_wav(tmp_path / "huge.wav", 4 * 2**30 + 1)
    r = user_sc("tracks", "upload", str(too_big))
    assert r.code == 2 and r.stderr.count("\n") == 1 and "at most 4 GB" in r.stderr, r
    assert sandbox.count("POST /tracks") == 0


@pytest.mark.slow
def test_i15_08_upload_past_1_gb_goes_with_one_note(user_sc, sandbox, tmp_path):
    sandbox.config(keep_upload_bytes=2**20)  # the sandbox counts the rest and lets it go
    size = 2**30 + 4096
    big = _sparse_wav(tmp_path / "long-set.wav", size)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = user_sc("tracks", "upload", str(big), "--json")
    assert r.code == 0, r
    # Streamed both ways (sc and the sandbox run in this process): no gigabyte in memory.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024
    notes = [line for line in r.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "confirmed uploads up to 1 GB" in notes[0]
    assert r.json["original_content_size"] == size
    # The sandbox kept only the first MB of it.
    kept = [p.stat().st_size for p in (sandbox.server.app.store.dir / "audio").glob("upload-*")]
    assert kept == [2**20]


# -- item 9: secret links --------------------------------------------------------------------------
def _as_other(sandbox, user: str = "1002") -> dict:
    r = sandbox.post("/_sandbox/token", json={"user": f"soundcloud:users:{user}"})
    return {"SC_ACCESS_TOKEN": r.json()["access_token"], "SC_TOKEN_FILE": None}


def test_i15_09_secret_links(user_sc, sandbox, tmp_path):
    sandbox.config(transcode_delay=0)
    wav = make_wav(tmp_path / "demo.wav")
    track = user_sc("tracks", "upload", str(wav), "--title", "Secret demo", "--json").json
    assert track["sharing"] == "private" and "secret_token=s-" in track["secret_uri"]
    link = user_sc("tracks", "share-link", track["urn"]).stdout.strip()
    assert link.startswith(track["permalink_url"] + "/s-"), link

    other = _as_other(sandbox)
    # Without the token a private track is 404 to anybody but its owner.
    assert user_sc("tracks", "get", track["urn"], env=other).code == 3
    assert user_sc("tracks", "get", link[: link.rindex("/")] + "/s-wrong0", env=other).code == 3
    got = user_sc("tracks", "get", link, "--json", env=other)
    assert got.code == 0 and got.json["urn"] == track["urn"], got
    assert got.json["secret_uri"] == track["secret_uri"]
    # The token goes on to streams (and their authenticated hop), comments and the download.
    played = user_sc("stream-url", link, "--resolve", env=other)
    assert played.code == 0 and "/cdn/" in played.stdout, played
    assert user_sc("tracks", "comments", link, "--json", env=other).code == 0
    out = tmp_path / "got"
    saved = user_sc("tracks", "download", link, "-o", f"{out}/", env=other)
    assert saved.code == 0 and (out / "demo.wav").read_bytes() == wav.read_bytes(), saved
    # A public track's link is its page; another user gets no secret for a private one.
    assert (
        user_sc("tracks", "share-link", "300010")
        .stdout.strip()
        .startswith("https://soundcloud.com/")
    )
    assert track["secret_uri"] not in json.dumps(
        user_sc("tracks", "search", "Secret demo", "--json", env=other).json
    )


# -- item 10: quiet mode and the storefront --------------------------------------------------------
def test_i15_10_reveal_stats_and_comments_on_upload_update_and_release(user_sc, tmp_path):
    wav = make_wav(tmp_path / "quiet.wav")
    up = user_sc("tracks", "upload", str(wav), "--hide-stats", "--hide-comments", "--json")
    assert up.code == 0, up
    assert up.json["reveal_stats"] is False and up.json["reveal_comments"] is False
    urn = up.json["urn"]
    changed = user_sc("tracks", "update", urn, "--reveal-stats", "--json")
    assert changed.json["reveal_stats"] is True and changed.json["reveal_comments"] is False

    folder = tmp_path / "rel"
    folder.mkdir()
    make_wav(folder / "01-a.wav")
    (folder / "release.toml").write_text(
        '[release]\ntitle = "Quiet one"\nreveal_stats = false\n\n'
        '[[track]]\nfile = "01-a.wav"\ntitle = "A"\nreveal_comments = false\n'
    )
    pushed = user_sc("release", "push", str(folder / "release.toml"), "--json")
    assert pushed.code == 0, pushed
    mine = {t["title"]: t for t in user_sc("tracks", "list", "--json").json}
    assert mine["A"]["reveal_stats"] is False and mine["A"]["reveal_comments"] is False
    bad = folder / "bad.toml"
    bad.write_text('[release]\ntitle = "x"\nreveal_stats = "no"\n[[track]]\nfile = "01-a.wav"\n')
    assert user_sc("release", "plan", str(bad)).code == 2


def test_i15_10_storefront(user_sc, sandbox):
    mine = "soundcloud:tracks:300001"
    r = user_sc("tracks", "storefront", mine)  # nothing set by sc yet: the API cannot read it
    assert r.code == 3 and "cannot read one back" in r.stderr
    r = user_sc(
        "tracks", "storefront", mine, "--title", "Get the album", "--url", "https://example.com/a",
        "--label", "Buy", "--description", "Vinyl and files", "--json",
    )  # fmt: skip
    assert r.code == 0, r
    assert r.json["link"] == "https://example.com/a" and r.json["link_title"] == "Buy"
    assert r.json["type"] == "digital" and "warning" in r.stderr and "--price" in r.stderr
    shown = user_sc("tracks", "storefront", mine, "--json")
    assert shown.code == 0 and shown.json["title"] == "Get the album"
    # A partial change clears the rest, with a warning ...
    r = user_sc(
        "tracks", "storefront", mine, "--title", "New", "--url", "https://example.com/b", "--json"
    )
    assert r.code == 0 and r.json["link_title"] is None and "--label" in r.stderr
    # ... unless --keep reads what sc set and resends it.
    user_sc(
        "tracks",
        "storefront",
        mine,
        "--title",
        "T",
        "--url",
        "https://e.com",
        "--label",
        "L",
        "--description",
        "D",
        "--price",
        "5",
    )
    r = user_sc("tracks", "storefront", mine, "--price", "7", "--keep", "--json")
    assert r.code == 0 and "warning" not in r.stderr, r
    assert (r.json["title"], r.json["link_title"], r.json["description"], r.json["price"]) == (
        "T",
        "L",
        "D",
        "7",
    )
    assert user_sc("tracks", "storefront", mine, "--label", "only").code == 2  # no title, no url
    theirs = user_sc("tracks", "storefront", "300010", "--title", "x", "--url", "https://e.com")
    assert theirs.code == 4  # 403: not your track


# -- items 14-16: the app sc-api-auth registers, its redirect URI, the login callback -------------
def _app_json(path, redirect_uri=None):
    app = {"client_id": "sandbox", "client_secret": "sandbox-secret", "name": "My sc app"}
    app["website"] = "https://example.com"
    if redirect_uri:
        app["redirect_uri"] = redirect_uri
    path.write_text(json.dumps(app))
    return path


def test_i15_14_auth_app_import_and_show(sc, home, tmp_path):
    app_file = _app_json(tmp_path / "app.json", "http://127.0.0.1:8799/sc/cb")
    r = sc("auth", "app", "import", str(app_file), "--insecure-storage", app=False)
    assert r.code == 0, r
    assert "sandbox-secret" not in r.stdout + r.stderr and "needs no flags" in r.stderr
    stored = home / "config"
    cfg = (stored / "config.ini").read_text()
    assert "client-id = sandbox" in cfg and "redirect-uri = http://127.0.0.1:8799/sc/cb" in cfg
    assert "sandbox-secret" not in cfg
    secret_files = [p for p in home.rglob("*.json") if "sandbox-secret" in p.read_text()]
    assert secret_files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in secret_files)
    shown = sc("auth", "app", "show", "--json", app=False)
    assert shown.code == 0 and "sandbox-secret" not in shown.stdout + shown.stderr
    assert shown.json["client_id"] == "sandbox" and shown.json["name"] == "My sc app"
    assert shown.json["redirect_uri"] == "http://127.0.0.1:8799/sc/cb"
    assert "client_secret" not in shown.json
    # From stdin; without a redirect URI, one line says what to register.
    plain = json.dumps({"client_id": "other", "client_secret": "s3cr3t-value-xyz"})
    r = sc("auth", "app", "import", "-", "--insecure-storage", input=plain, app=False)
    assert r.code == 0 and "register http://127.0.0.1:8765/callback" in r.stderr
    assert "redirect-uri" not in (stored / "config.ini").read_text()
    assert sc("auth", "app", "import", "-", input="{nope", app=False).code == 2
    assert sc("auth", "app", "import", "-", input='{"client_id": "x"}', app=False).code == 2


class _Login:
    """`sc auth login --no-browser` in its own process (the listener is the point), with no
    credentials given: they come from the imported app."""

    def __init__(self, api: str, home, *args: str, env: dict | None = None):
        e = base_env(home)
        e.update({"SC_API_URL": api, "SC_AUTH_URL": api, **(env or {})})
        e["SC_TOKEN_FILE"] = str(home / "login.json")
        self.proc = subprocess.Popen(
            [*SC_CMD, "auth", "login", "--no-browser", "--timeout", "60", *args],
            env=e,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            preexec_fn=default_sigint,
        )
        self.lines: list[str] = []
        while True:
            line = self.proc.stderr.readline()
            assert line, "".join(self.lines)
            self.lines.append(line)
            if line.startswith("http"):
                self.url = line.strip()
                break
        self.params = {k: v[0] for k, v in parse_qs(urlsplit(self.url).query).items()}

    def allowed(self) -> str:
        form = {**self.params, "decision": "allow"}
        r = requests.post(self.url.split("?")[0], data=form, allow_redirects=False, timeout=10)
        assert r.status_code == 302, r.text
        return r.headers["Location"]

    def finish(self) -> tuple[int, str]:
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, "".join(self.lines) + err


@pytest.fixture
def strict_sandbox(tmp_path_factory):
    """A sandbox that, as SoundCloud does, accepts only the app's registered redirect URI."""
    from conftest import free_port, seeded_state

    uri = f"http://127.0.0.1:{free_port()}/sc/cb/"
    server = SandboxServer(seeded_state(tmp_path_factory), redirect_uri=uri).start()
    yield server, uri
    server.stop()


def test_i15_15_login_uses_the_registered_redirect_uri(strict_sandbox, sc, home, tmp_path):
    server, uri = strict_sandbox
    sc(
        "auth",
        "app",
        "import",
        str(_app_json(tmp_path / "a.json", uri)),
        "--insecure-storage",
        app=False,
    )
    login = _Login(server.url, home)
    assert login.params["redirect_uri"] == uri  # exactly: port, path, trailing slash
    assert not any("register" in line for line in login.lines)
    location = login.allowed()
    assert location.startswith(uri + "?")
    requests.get(location, timeout=10)
    code, err = login.finish()
    assert code == 0 and "logged in as sandbox-user" in err, err


def test_i15_15_login_says_what_to_register_when_the_app_has_none(sandbox, home):
    from conftest import free_port

    port = free_port()
    app = {"SC_CLIENT_ID": SANDBOX_APP[0], "SC_CLIENT_SECRET": SANDBOX_APP[1]}
    login = _Login(sandbox.url, home, "--port", str(port), env=app)
    hint = [line for line in login.lines if "register" in line]
    assert len(hint) == 1 and f"http://127.0.0.1:{port}/callback" in hint[0]
    login.proc.kill()
    login.proc.communicate()


def test_i15_16_callback_as_post_or_get_with_or_without_slash(strict_sandbox, sc, home, tmp_path):
    server, uri = strict_sandbox
    sc(
        "auth",
        "app",
        "import",
        str(_app_json(tmp_path / "a.json", uri)),
        "--insecure-storage",
        app=False,
    )
    login = _Login(server.url, home)
    query = dict(parse_qs(urlsplit(login.allowed()).query))
    form = {k: v[0] for k, v in query.items()}
    # The state first: a POST without this login's state is turned away, the login goes on.
    forged = requests.post(uri, data={**form, "state": "forged"}, timeout=10)
    assert forged.status_code == 400
    assert requests.get(uri.rstrip("/") + "/elsewhere", timeout=10).status_code == 404
    # sc-api-auth's way: the code in a POST form body, at the path without its trailing slash.
    done = requests.post(uri.rstrip("/"), data=form, timeout=30)
    assert done.status_code == 200 and "Logged in" in done.text
    code, err = login.finish()
    assert code == 0, err


def test_i15_09_secret_token_follows_a_resolve_that_drops_it(sc):
    """The live API may answer /resolve of a secret link with a location without the token:
    sc sends it along itself (a stand-in for the live API on loopback)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    track = {"kind": "track", "id": 5, "urn": "soundcloud:tracks:5", "title": "Hidden"}

    class Live(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/resolve":
                self.send_response(302)
                self.send_header("Location", f"{base}/tracks/soundcloud:tracks:5")
                self.end_headers()
                return
            ok = parts.path == "/tracks/soundcloud:tracks:5" and query.get("secret_token") == [
                "s-abc12"
            ]
            body = json.dumps(track if ok else {"code": 404, "message": "404 - Not Found"}).encode()
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Live)
    base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {"SC_API_URL": base, "SC_ACCESS_TOKEN": "live-token-x", "SC_TOKEN_FILE": None}
        r = sc("tracks", "get", "https://soundcloud.com/u/hidden/s-abc12", "--json", env=env)
        assert r.code == 0 and r.json["title"] == "Hidden", r
        assert sc("tracks", "get", "https://soundcloud.com/u/hidden", env=env).code == 3
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.keyring
def test_i15_14_the_app_secret_goes_to_the_os_keyring(home, tmp_path):
    import shutil

    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        pytest.skip("needs dbus-run-session and gnome-keyring-daemon (.ci/run installs them)")
    app = _app_json(tmp_path / "app.json", "http://127.0.0.1:8799/cb")
    env = base_env(home)
    env.pop("PYTHON_KEYRING_BACKEND")
    sc = " ".join(SC_CMD)
    script = f"""
set -e
export $(echo -n sccli-test | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)
{sc} auth app import {app}
{sc} auth app show --json > {tmp_path / "shown.json"}
{sys.executable} -c "import keyring; print(keyring.get_password('sccli-app', 'default'))" > {tmp_path / "kr.txt"}
"""
    p = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert "sandbox-secret" not in p.stdout + p.stderr and "keyring" in p.stderr
    assert json.loads((tmp_path / "kr.txt").read_text())["client_secret"] == "sandbox-secret"
    assert json.loads((tmp_path / "shown.json").read_text())["client_id"] == "sandbox"
    assert not [f for f in home.rglob("*") if f.is_file() and b"sandbox-secret" in f.read_bytes()]
