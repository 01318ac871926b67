"""`sc auth`: log in and out, and see or refresh the stored token."""

import sys

import typer

from sccli.cli import _click as click
from sccli.cli.context import get_app
from sccli.cli.output import output_options

app = typer.Typer(help="Log in to SoundCloud and manage stored tokens.", no_args_is_help=True)


def _app_credentials(sc, client_id: str | None, client_secret: str | None):
    """Flag, then environment/config, then a prompt (or a clear error when there is no terminal)."""
    from sccli.core.errors import UsageError

    cid = client_id or sc.settings.client_id
    secret = client_secret or sc.settings.client_secret
    if not cid or not secret:
        if not sys.stdin.isatty():
            raise UsageError(
                "your SoundCloud app's client_id and client_secret are needed",
                hint="pass --client-id/--client-secret or set SC_CLIENT_ID/SC_CLIENT_SECRET "
                "(see README: registering an app)",
            )
        cid = cid or click.prompt("client_id", err=True)
        secret = secret or click.prompt("client_secret", hide_input=True, err=True)
    return cid, secret


@app.command("login")
def login(
    client_id: str | None = typer.Option(
        None, "--client-id", help="Your app's client_id [env: SC_CLIENT_ID]."
    ),
    client_secret: str | None = typer.Option(
        None,
        "--client-secret",
        help="Your app's client_secret [env: SC_CLIENT_SECRET]. Prefer the environment or the prompt.",
    ),
    port: int | None = typer.Option(
        None,
        "--port",
        min=1,
        max=65535,
        help="Callback port: your app's redirect URI must be http://127.0.0.1:PORT/callback (default: config redirect-port, else 8765).",
    ),
    no_browser: bool = typer.Option(
        False, "--no-browser", help="Print the URL instead of opening a browser."
    ),
    with_token: bool = typer.Option(
        False,
        "--with-token",
        help="Read a token from stdin: a bare access token or the token endpoint's JSON.",
    ),
    client_credentials: bool = typer.Option(
        False,
        "--client-credentials",
        help="App-only login for public commands (search, resolve, stream).",
    ),
    insecure_storage: bool = typer.Option(
        False, "--insecure-storage", help="Keep tokens in a 0600 file instead of the OS keyring."
    ),
    timeout: int = typer.Option(
        300, "--timeout", min=1, metavar="SECONDS", help="How long to wait for the browser."
    ),
):
    """Log in to SoundCloud.

    Opens the browser on SoundCloud's consent page (OAuth 2.1 with PKCE) and listens once
    on http://127.0.0.1:PORT/callback. Where no browser can reach this machine (SSH),
    paste the URL the browser was sent to. Tokens go to the OS keyring.

    \b
    Examples:
      $ sc auth login
      $ sc auth login --no-browser --port 8765
      $ echo "$TOKEN_JSON" | sc auth login --with-token
      $ sc auth login --client-credentials
    """
    from sccli.core.tokens import EnvStore, open_store

    sc = get_app()
    if sum((with_token, client_credentials)) > 1:
        from sccli.core.errors import UsageError

        raise UsageError("choose one of --with-token and --client-credentials")
    store = open_store(sc.settings, insecure=insecure_storage)
    if isinstance(store, EnvStore):
        from sccli.core.errors import UsageError

        raise UsageError("SC_ACCESS_TOKEN is set: nothing would be stored; unset it to log in")
    auth = sc.auth
    auth.store = store
    store.load()  # fail now, before the browser, if the keyring is unusable
    if with_token:
        return _login_with_token(sc, auth)
    if client_credentials:
        cid, secret = _app_credentials(sc, client_id, client_secret)
        auth.client_credentials(cid, secret, keep_secret=True)
        _remember_client_id(sc, cid)
        sc.info(
            f"logged in as the app {cid} (public resources only); token kept in the {store.name}"
        )
        return
    cid, secret = _app_credentials(sc, client_id, client_secret)
    rec = _browser_login(sc, auth, cid, secret, port, no_browser, timeout)
    _remember_client_id(sc, cid)
    sc.info(
        f"logged in as {rec.user.get('username')} ({rec.user.get('urn')}); token kept in the {store.name}"
    )


def _remember_client_id(sc, cid: str) -> None:
    if sc.settings.sandbox:
        return
    from sccli.core.config import ConfigFile, config_path

    cfg = ConfigFile(config_path())
    if cfg.get(sc.settings.profile, "client-id") != cid:
        cfg.set(sc.settings.profile, "client-id", cid)


def _browser_login(sc, auth, cid, secret, port, no_browser, timeout):
    import os
    import webbrowser

    from sccli.core.errors import SccliError
    from sccli.core.login import LoginSession, LoopbackReceiver, parse_callback_url

    port = port or sc.settings.redirect_port
    receiver = None
    try:
        receiver = LoopbackReceiver(port)
    except SccliError as e:
        sc.info(f"{e.message}; falling back to pasting the redirected URL")
    redirect_uri = receiver.redirect_uri if receiver else f"http://127.0.0.1:{port}/callback"
    session = LoginSession(auth, cid, secret, redirect_uri)
    remote = bool(os.environ.get("SSH_CONNECTION")) and not no_browser
    opened = False
    if receiver and not no_browser and not remote:
        try:
            opened = webbrowser.open(session.url)
        except webbrowser.Error:
            opened = False
    if opened:
        sc.info("opened the browser; waiting for you to allow access…")
    else:
        sc.info("open this URL in a browser and allow access:")
        click.echo(session.url, err=True)
    if receiver and (opened or no_browser):
        return session.finish(receiver.wait(timeout))
    if receiver:
        receiver.close()
    sc.info("then paste the URL the browser was sent to (it starts with " + redirect_uri + "):")
    pasted = click.prompt("URL", err=True)
    return session.finish(parse_callback_url(pasted))


def _login_with_token(sc, auth):
    from sccli.core.errors import AuthError, UsageError
    from sccli.core.tokens import parse_stored

    text = sys.stdin.read()
    try:
        rec = parse_stored(text)
    except ValueError:
        raise UsageError(
            "stdin holds no token: give a bare access token or the token endpoint's JSON"
        ) from None
    auth.client.scrub.add(rec.access_token, rec.refresh_token)
    if rec.refresh_token and not rec.client_id and auth.settings.client_id:
        rec.client_id = auth.settings.client_id
    auth.record = rec
    try:
        me = auth.client.get("/me")
        rec.user = {"username": me.get("username"), "urn": me.get("urn")}
    except AuthError:
        rec.kind = "app"
        auth.client.get("/tracks", params={"limit": 1})  # an app token still reads public data
    auth.save(rec)
    who = rec.user.get("username") or "an app-only token"
    sc.info(f"token stored in the {auth.store.name} for profile {sc.settings.profile} ({who})")


@app.command("status")
@output_options
def status():
    """Show who is logged in, where the token lives and when it expires. Never the token.

    Exits 4 when not logged in or when the token is refused.

    \b
    Examples:
      $ sc auth status
      $ sc auth status --json
    """
    from sccli.core.auth import expires_in_words
    from sccli.core.errors import AuthError

    sc = get_app()
    auth = sc.auth
    rec = auth.load()
    if rec is None and not auth.app_credentials():
        raise AuthError(f"not logged in (profile {sc.settings.profile})")
    auth.token()  # refreshes if due; raises when it cannot
    rec = auth.record
    info = {
        "profile": sc.settings.profile,
        "api_url": sc.settings.api_url,
        "source": auth.store.name,
        "kind": {"user": "user", "app": "app (client credentials)", "env": "given"}.get(
            rec.kind, rec.kind
        ),
        "user": None,
        "user_urn": None,
        "expires": expires_in_words(rec),
        "expires_at": rec.expires_at,
        "scope": rec.scope or "default",
        "refreshable": bool(rec.refresh_token),
    }
    if rec.kind != "app":
        try:
            me = sc.client.get("/me")
            info["user"], info["user_urn"] = me.get("username"), me.get("urn")
        except AuthError:
            if rec.kind == "user":
                raise
            info["kind"] = "app (client credentials)"
    if sc.out.mode == "table" and not sc.out.query and not sc.out.fields:
        who = info["user"] or "(app only: public resources)"
        sc.info(f"profile:  {info['profile']}  ({info['api_url']})")
        sc.info(f"logged in: {who}" + (f" {info['user_urn']}" if info["user_urn"] else ""))
        sc.info(f"token:    {info['kind']}, from the {info['source']}, expires {info['expires']}")
        sc.info(f"scope:    {info['scope']}; refreshable: {'yes' if info['refreshable'] else 'no'}")
    else:
        sc.out.one(info)


@app.command("token")
def token():
    """Print a valid access token, refreshing it first if needed.

    This is the only command that prints a secret.

    \b
    Examples:
      $ sc auth token
    """
    sc = get_app()
    click.echo(sc.auth.token())


@app.command("refresh")
def refresh():
    """Refresh the access token now, rotating the refresh token.

    \b
    Examples:
      $ sc auth refresh
    """
    from sccli.core.auth import expires_in_words

    sc = get_app()
    rec = sc.auth.force_refresh()
    sc.info(f"token refreshed; it expires {expires_in_words(rec)}")


@app.command("logout")
def logout():
    """Remove the profile's tokens from every store (keyring and files).

    \b
    Examples:
      $ sc auth logout
      $ sc --profile work auth logout
    """
    from sccli.core.errors import StoreError
    from sccli.core.tokens import FileStore, KeyringStore, insecure_path, sandbox_path

    sc = get_app()
    s = sc.settings
    if s.sandbox:  # --sandbox logs out of the sandbox only
        stores = [FileStore(sandbox_path(s))]
    else:
        stores = [FileStore(insecure_path(s))]
        if s.token_file:
            stores.append(FileStore(s.token_file))
    removed = [st.name for st in stores if st.delete()]
    if not s.sandbox:
        try:
            if KeyringStore(s.profile).delete():
                removed.append("keyring")
        except StoreError:
            pass
    if removed:
        sc.info(
            f"logged out of profile {s.profile} (removed from: {', '.join(dict.fromkeys(removed))})"
        )
    else:
        sc.info(f"profile {s.profile} was not logged in")
    if s.access_token:
        sc.info("note: SC_ACCESS_TOKEN is still set in your environment")
