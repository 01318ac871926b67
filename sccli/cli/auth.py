"""`sc auth`: log in and out, and see or refresh the stored token."""

from __future__ import annotations

import typer

from sccli.cli import _click as click
from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import NoOptions, command
from sccli.core.record import record

app = typer.Typer(help="Log in to SoundCloud and manage stored tokens.", no_args_is_help=True)


def _add_app_group() -> None:
    from sccli.cli.auth_app import app as app_group

    app.add_typer(app_group, name="app")


_add_app_group()


def _app_credentials(
    sc: AppContext, client_id: str | None, client_secret: str | None
) -> tuple[str, str]:
    """Flag, then environment/config, then a prompt (or a clear error when there is no terminal)."""
    from sccli.core.errors import UsageError

    settings = sc.factory.api_settings()  # with --sandbox, the sandbox's own app
    cid = client_id or settings.client_id
    secret = client_secret or settings.client_secret
    if cid and not secret:  # the app imported from sc-api-auth (`sc auth app import`)
        from sccli.core.apps import load_app

        stored = load_app(sc.settings)
        secret = stored.client_secret if stored and stored.client_id == cid else None
    if not cid or not secret:
        if not sc.streams.stdin_tty:
            raise UsageError(
                "your SoundCloud app's client_id and client_secret are needed",
                hint="pass --client-id/--client-secret or set SC_CLIENT_ID/SC_CLIENT_SECRET "
                "(see README: registering an app)",
            )
        cid = cid or click.prompt("client_id", err=True)
        secret = secret or click.prompt("client_secret", hide_input=True, err=True)
    return cid, secret


@command(app, "login")
def login(
    ctx: typer.Context,
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
        help="Callback port: your app's redirect URI must be http://127.0.0.1:PORT/callback (default: config redirect-port, else 8765). An app's known redirect URI (config redirect-uri, set by `sc auth app import`) is used exactly instead.",
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
    on your app's registered redirect URI when sc knows it (`sc auth app import`, or
    `sc config set redirect-uri URI`), else on http://127.0.0.1:PORT/callback. The callback
    may come as a GET or a POST form. Where no browser can reach this machine (SSH), paste
    the URL the browser was sent to. Tokens go to the OS keyring.

    \b
    Examples:
      $ sc auth login
      $ sc auth login --no-browser --port 8765
      $ echo "$TOKEN_JSON" | sc auth login --with-token
      $ sc auth login --client-credentials
    """
    opts = LoginOptions(
        with_token,
        client_credentials,
        client_id,
        client_secret,
        port,
        no_browser,
        insecure_storage,
        timeout,
    )
    run_login(app_context(ctx), opts)


@record
class LoginOptions:
    with_token: bool = False
    client_credentials: bool = False
    client_id: str | None = None
    client_secret: str | None = None
    port: int | None = None
    no_browser: bool = False
    insecure_storage: bool = False
    timeout: float = 300


def run_login(sc: AppContext, o: LoginOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.tokens import EnvStore

    if o.with_token and o.client_credentials:
        raise UsageError("choose one of --with-token and --client-credentials")
    store = sc.factory.store(insecure=o.insecure_storage)  # the first step: nothing read yet
    if isinstance(store, EnvStore):
        raise UsageError("SC_ACCESS_TOKEN is set: nothing would be stored; unset it to log in")
    store.load()  # fail now, before the browser, if the keyring is unusable
    auth = sc.auth
    if o.with_token:
        return _login_with_token(sc, auth)
    cid, secret = _app_credentials(sc, o.client_id, o.client_secret)
    if o.client_credentials:
        auth.client_credentials(cid, secret, keep_secret=True)
        _remember_client_id(sc, cid)
        sc.info(
            f"logged in as the app {cid} (public resources only); token kept in the {store.name}"
        )
        return
    rec = _browser_login(sc, auth, cid, secret, o.port, o.no_browser, o.timeout)
    _remember_client_id(sc, cid)
    who = f"{rec.user.get('username')} ({rec.user.get('urn')})"
    sc.info(f"logged in as {who}; token kept in the {store.name}")


def _remember_client_id(sc: AppContext, cid: str) -> None:
    if sc.settings.sandbox:
        return
    from sccli.core.config import ConfigFile, config_path

    cfg = ConfigFile(config_path(sc.env.environ))
    if cfg.get(sc.settings.profile, "client-id") != cid:
        cfg.set(sc.settings.profile, "client-id", cid)


def _browser_login(sc: AppContext, auth, cid, secret, port, no_browser, timeout):  # noqa: ANN001
    import webbrowser

    from sccli.core.login import LoginSession, parse_callback_url

    receiver, redirect_uri = _listener(sc, port)
    session = LoginSession(auth, cid, secret, redirect_uri)
    if receiver:
        receiver.expect(session)  # before the URL is shown: the browser may answer at once
    remote = bool(sc.env.environ.get("SSH_CONNECTION")) and not no_browser
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
        return receiver.receive(session, timeout)
    if receiver:
        receiver.close()
    sc.info("then paste the URL the browser was sent to (it starts with " + redirect_uri + "):")
    return session.finish(parse_callback_url(_pasted_url(sc)))


def _pasted_url(sc: AppContext) -> str:
    """One line from stdin. Its end (Ctrl-D, or `< /dev/null`) is no interruption: it means
    there is no URL to be had, an authentication failure with a way out (exit 4)."""
    from sccli.core.errors import AuthError

    sc.streams.stderr.write("URL: ")
    sc.streams.stderr.flush()
    line = sc.streams.stdin.readline()
    if not line.strip():
        sc.streams.stderr.write("\n")
        raise AuthError(
            "no URL was pasted (stdin ended), so the login could not finish",
            hint="run `sc auth login` at a terminal and paste the URL, or use "
            "`sc auth login --with-token` with a token from elsewhere",
        )
    return line.strip()


def _listener(sc: AppContext, port: int | None):  # noqa: ANN202 - (LoopbackReceiver | None, str)
    """Where the browser is sent back: the app's registered redirect URI exactly, when one
    is known (its port and path), else http://127.0.0.1:PORT/callback, saying in one line
    that the app must have it registered. None as the listener: paste the URL instead."""
    from sccli.core.errors import SccliError, UsageError
    from sccli.core.login import LoopbackReceiver, default_redirect_uri, listen_address

    registered = sc.settings.redirect_uri
    if registered:
        where = listen_address(registered)
        if where and port and port != where[0]:
            raise UsageError(f"--port {port} does not match your app's redirect URI {registered}")
        if where is None:
            sc.info(f"sc cannot listen on {registered}; you will paste where the browser lands")
            return None, registered
        port, path = where
    else:
        from sccli.cli.auth_app import register_hint

        port, path = port or sc.settings.redirect_port, "/callback"
        sc.info(register_hint(default_redirect_uri(port)))
    try:
        receiver = LoopbackReceiver(port, path, registered)
    except SccliError as e:
        sc.info(f"{e.message}; falling back to pasting the redirected URL")
        return None, registered or default_redirect_uri(port)
    return receiver, receiver.redirect_uri


def _login_with_token(sc: AppContext, auth) -> None:  # noqa: ANN001 - Authenticator
    from sccli.core.errors import UsageError
    from sccli.core.fsutil import NotReadable, read_capped
    from sccli.core.tokens import parse_stored

    if sc.streams.stdin_tty:
        sc.info("reading the token from stdin; end with Ctrl-D")
    try:
        rec = parse_stored(read_capped(sc.streams.stdin))
    except NotReadable as e:  # `< /dev/zero`: a token is a few hundred bytes
        raise UsageError(f"stdin holds no token: it is {e.strerror}") from None
    except ValueError:
        raise UsageError(
            "stdin holds no token: give a bare access token or the token endpoint's JSON"
        ) from None
    if rec.refresh_token and not rec.client_id and auth.settings.client_id:
        rec.client_id = auth.settings.client_id
    rec = auth.adopt(rec)
    who = rec.user.get("username") or "an app-only token"
    sc.info(f"token stored in the {auth.store.name} for profile {sc.settings.profile} ({who})")


@command(app, "status", OUTPUT)
def status(ctx: typer.Context):
    """Show who is logged in, where the token lives and when it expires. Never the token.

    Reads what is stored and never mints a new app token (SoundCloud allows only 50 a day
    per app). Exits 4 when there is no usable login or the token is refused.

    \b
    Examples:
      $ sc auth status
      $ sc auth status --json
    """
    run_status(app_context(ctx), NoOptions())


def run_status(sc: AppContext, _: NoOptions) -> None:
    from sccli.core.auth import expires_in_words
    from sccli.core.errors import AuthError, StoreError

    auth = sc.auth
    try:
        rec, unusable = auth.store.load(), None
    except StoreError as e:  # no keyring to hold a login: then there is no login
        rec, unusable = None, e
    has_app = auth.app_credentials() is not None
    if rec is None:
        hint = "run `sc auth login`" + (
            "; app credentials are configured, so public commands will work" if has_app else ""
        )
        if unusable is not None:
            hint += f" ({unusable.message}: {unusable.hint})"
        raise AuthError(f"not logged in (profile {sc.settings.profile})", hint=hint)
    if rec.kind != "app" and rec.expiring():
        rec = auth.refresh_now(rec)  # a user's login renews itself; an app token is not minted
    info = {
        "profile": sc.settings.profile,
        "api_url": auth.settings.api_url,
        "source": auth.store.name,
        "kind": {"user": "user", "app": "app (client credentials)", "env": "given"}.get(
            rec.kind, rec.kind
        ),
        "user": rec.user.get("username"),
        "user_urn": rec.user.get("urn"),
        "expires": expires_in_words(rec),
        "expires_at": rec.expires_at,
        "scope": rec.scope or "default",
        "refreshable": bool(rec.refresh_token),
        "app_credentials": has_app,
    }
    if rec.kind != "app" and not rec.expiring():
        try:
            me = sc.client.get("/me")
            info["user"], info["user_urn"] = me.get("username"), me.get("urn")
        except AuthError:
            if rec.kind == "user":
                raise
            info["kind"] = "app (client credentials)"
    who = info["user"] or "(app only: public resources)"
    sc.out.said(
        info,
        [
            f"profile:  {info['profile']}  ({info['api_url']})",
            f"logged in: {who}" + (f" {info['user_urn']}" if info["user_urn"] else ""),
            f"token:    {info['kind']}, from the {info['source']}, expires {info['expires']}",
            f"scope:    {info['scope']}; refreshable: {'yes' if info['refreshable'] else 'no'}",
        ],
    )


@command(app, "token")
def token(ctx: typer.Context):
    """Print a valid access token, refreshing it first if needed.

    This is the only command that prints a secret.

    \b
    Examples:
      $ sc auth token
    """
    run_token(app_context(ctx), NoOptions())


def run_token(sc: AppContext, _: NoOptions) -> None:
    sc.streams.stdout.write(sc.auth.token() + "\n")


@command(app, "refresh")
def refresh(ctx: typer.Context):
    """Refresh the access token now, rotating the refresh token.

    \b
    Examples:
      $ sc auth refresh
    """
    run_refresh(app_context(ctx), NoOptions())


def run_refresh(sc: AppContext, _: NoOptions) -> None:
    from sccli.core.auth import expires_in_words

    rec = sc.auth.force_refresh()
    sc.info(f"token refreshed; it expires {expires_in_words(rec)}")


@command(app, "logout")
def logout(ctx: typer.Context):
    """Log out: end the session and remove the profile's tokens.

    The session ends on the server too, and the tokens go from every store.

    \b
    Examples:
      $ sc auth logout
      $ sc --profile work auth logout
    """
    run_logout(app_context(ctx), NoOptions())


def run_logout(sc: AppContext, _: NoOptions) -> None:
    from sccli.core.errors import StoreError
    from sccli.core.tokens import EnvStore, stores_for

    s = sc.settings
    if not isinstance(sc.store, EnvStore) and not sc.auth.sign_out():
        sc.info("warning: could not end the session on the server; removing it here anyway")
    removed = []
    for store in stores_for(sc.factory.api_settings()):
        try:
            if store.delete():
                removed.append(store.name)
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
