"""The one authenticator: hands the Client a valid token, refreshing or minting as needed."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sccli.core.config import Settings
from sccli.core.errors import AuthError, StoreError
from sccli.core.http_errors import error_for_response, parse_json
from sccli.core.tokens import EnvStore, TokenRecord, TokenStore, refresh_lock

if TYPE_CHECKING:
    from sccli.core.client import Client

LOGIN_HINT = "run `sc auth login`"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) per RFC 7636."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    settings: Settings, client_id: str, redirect_uri: str, challenge: str, state: str
) -> str:
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
    }
    return settings.auth_url + "/authorize?" + urlencode(query)


def token_request(
    client: Client, form: dict[str, str], basic: tuple[str, str] | None = None
) -> dict:
    """POST the token endpoint; OAuth error bodies become AuthError (exit 4)."""
    client.scrub.add(form.get("client_secret"), form.get("refresh_token"), form.get("code"))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        client.scrub.add(basic[1])
        raw = f"{basic[0]}:{basic[1]}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
    resp = client.send("POST", client.auth_url("/oauth/token"), data=form, headers=headers)
    body = parse_json(resp.text)
    if resp.status_code == 200 and isinstance(body, dict) and body.get("access_token"):
        client.scrub.add(body.get("access_token"), body.get("refresh_token"))
        return body
    oauth_error = body.get("error") if isinstance(body, dict) else None
    if oauth_error == "invalid_grant":
        grant = form.get("grant_type")
        what = {
            "refresh_token": "the stored refresh token was refused (invalid_grant): "
            "it was already used or revoked",
            "authorization_code": "the authorization code was refused (invalid_grant): "
            "it is wrong, used already, or the PKCE verifier does not match",
        }.get(grant or "", "the grant was refused (invalid_grant)")
        return _raise(AuthError(what, hint=LOGIN_HINT, status=resp.status_code))
    if oauth_error == "invalid_client":
        return _raise(
            AuthError(
                "the app's client_id or client_secret was refused (invalid_client)",
                hint="check SC_CLIENT_ID / SC_CLIENT_SECRET, or run `sc auth login` again",
                status=resp.status_code,
            )
        )
    if oauth_error and resp.status_code < 500 and resp.status_code != 429:
        desc = body.get("error_description") if isinstance(body, dict) else None
        return _raise(
            AuthError(f"token request refused: {oauth_error}" + (f" ({desc})" if desc else ""))
        )
    raise error_for_response(
        resp.status_code, resp.headers, resp.text, method="POST", what="/oauth/token"
    )


def _raise(err: Exception) -> Any:
    raise err


class Authenticator:
    """SC_ACCESS_TOKEN, else the store, else client credentials; refreshing before expiry."""

    def __init__(self, settings: Settings, store: TokenStore, client: Client):
        self.settings = settings
        self.store = store
        self.client = client
        self.record: TokenRecord | None = None

    # -- the Client's TokenSource -----------------------------------------------------------
    def load(self) -> TokenRecord | None:
        try:
            return self.store.load()
        except StoreError:
            if self.app_credentials():
                raise  # we would cache an app token there: say why we cannot
            return None  # nothing can have been stored in an unusable keyring: not logged in

    def token(self) -> str:
        rec = self.record or self.load()
        if rec is None:
            rec = self._mint_if_possible()
        elif rec.expiring():
            rec = self._renew(rec)
        self.record = rec
        self.client.scrub.add(rec.access_token, rec.refresh_token, rec.client_secret)
        return rec.access_token

    def refresh_after_401(self, rejected: str) -> str | None:
        if isinstance(self.store, EnvStore):
            raise AuthError(
                "the token in SC_ACCESS_TOKEN was refused",
                hint="unset it to use the stored login, or export a fresh token",
                status=401,
            )
        rec = self.record or self.load()
        if rec is None:
            return None
        self.record = self._renew(rec, rejected=rejected)
        return self.record.access_token

    # -- renewal -------------------------------------------------------------------------------
    def app_credentials(self, rec: TokenRecord | None = None) -> tuple[str, str] | None:
        cid = self.settings.client_id or (rec.client_id if rec else None)
        secret = self.settings.client_secret or (rec.client_secret if rec else None)
        if cid and secret:
            return cid, secret
        return None

    def _mint_if_possible(self) -> TokenRecord:
        creds = self.app_credentials()
        if not creds:
            raise AuthError(
                "not logged in",
                hint="run `sc auth login`, set SC_ACCESS_TOKEN, "
                "or set SC_CLIENT_ID and SC_CLIENT_SECRET for public commands",
            )
        with self._locked():
            rec = self.store.load()  # another process may have minted one meanwhile
            if rec is not None and not rec.expiring():
                return rec
            return self.client_credentials(*creds)

    def _renew(self, rec: TokenRecord, *, rejected: str | None = None) -> TokenRecord:
        with self._locked():
            current = self.store.load() or rec
            stale = rejected is not None and current.access_token == rejected
            if not stale and not current.expiring():
                return current  # another process refreshed while we waited for the lock
            if current.refresh_token:
                return self.refresh(current)
            creds = self.app_credentials(current)
            if current.kind == "app" and creds:
                return self.client_credentials(*creds)
            raise AuthError("the access token has expired and cannot be refreshed", hint=LOGIN_HINT)

    def _locked(self):
        path = self.store.lock_path() or (
            self.settings.data_dir / "locks" / f"{self.settings.profile}.lock"
        )
        return refresh_lock(path)

    def refresh_now(self, rec: TokenRecord) -> TokenRecord:
        """Renew an expiring login (refresh token, or a new app token for an app login)."""
        return self._renew(rec)

    def force_refresh(self) -> TokenRecord:
        """`sc auth refresh`: rotate now, under the same lock as every other refresh."""
        with self._locked():
            rec = self.load()
            if rec is None:
                raise AuthError(f"not logged in (profile {self.settings.profile})")
            if not rec.refresh_token:
                raise AuthError("this login has no refresh token", hint=LOGIN_HINT)
            return self.refresh(rec)

    # -- grants ----------------------------------------------------------------------------------
    def refresh(self, rec: TokenRecord) -> TokenRecord:
        creds = self.app_credentials(rec)
        if not creds:
            raise AuthError(
                "cannot refresh: the app's client_id and client_secret are unknown",
                hint="set SC_CLIENT_ID and SC_CLIENT_SECRET, or run `sc auth login`",
            )
        body = token_request(
            self.client,
            {
                "grant_type": "refresh_token",
                "refresh_token": rec.refresh_token or "",
                "client_id": creds[0],
                "client_secret": creds[1],
            },
        )
        new = TokenRecord.from_token_response(
            body,
            kind=rec.kind,
            client_id=rec.client_id or creds[0],
            client_secret=rec.client_secret,
            user=rec.user,
        )
        if not new.refresh_token:
            new.refresh_token = rec.refresh_token if rec.kind == "app" else None
        # The old refresh token is now spent: persist the new one before anything uses it.
        self.store.save(new)
        self.record = new
        return new

    def client_credentials(
        self, client_id: str, client_secret: str, *, keep_secret: bool | None = None
    ) -> TokenRecord:
        """Mint an app token. The secret is stored with it only when it is not the environment's
        (leave SC_CLIENT_SECRET where it is) or when `keep_secret` says so (`auth login`)."""
        if keep_secret is None:
            keep_secret = not self.settings.client_secret
        body = token_request(
            self.client, {"grant_type": "client_credentials"}, basic=(client_id, client_secret)
        )
        rec = TokenRecord.from_token_response(
            body,
            kind="app",
            client_id=client_id,
            client_secret=client_secret if keep_secret else None,
        )
        self.store.save(rec)
        self.record = rec
        return rec

    def exchange_code(
        self, client_id: str, client_secret: str, code: str, verifier: str, redirect_uri: str
    ) -> TokenRecord:
        self.client.scrub.add(verifier)
        body = token_request(
            self.client,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": client_secret,
                "code_verifier": verifier,
            },
        )
        return TokenRecord.from_token_response(
            body, kind="user", client_id=client_id, client_secret=client_secret
        )

    def save(self, rec: TokenRecord) -> None:
        self.store.save(rec)
        self.record = rec

    def adopt(self, rec: TokenRecord) -> TokenRecord:
        """A token from a login or from stdin: learn whose it is, then store it. Storing what
        the record is *after* that call matters: a stale access token is refreshed on the way,
        and only the rotated refresh token is still good (the old one is spent)."""

        self.client.scrub.add(rec.access_token, rec.refresh_token)
        try:
            previous = self.store.load()
        except StoreError:
            previous = None
        self.record = rec
        self.store.save(rec)  # a refresh on the way must find it, and replaces it
        try:
            current = self._whose(rec)
        except BaseException:
            if self.record is rec:  # refused and never refreshed: store nothing of it
                if previous is not None:
                    self.store.save(previous)
                else:
                    self.store.delete()
            raise
        self.save(current)
        return current

    def _whose(self, rec: TokenRecord) -> TokenRecord:
        from sccli.core.errors import AuthError

        try:
            me = self.client.get("/me")
        except AuthError:
            if rec.kind == "user" and rec.refresh_token:
                raise
            # An app token (client credentials) may not read /me but still reads public data.
            self.client.get("/tracks", params={"limit": 1})
            current = self.record or rec
            current.kind = "app"
            return current
        current = self.record or rec
        current.user = {"username": me.get("username"), "urn": me.get("urn")}
        return current

    def sign_out(self) -> bool:
        """End the stored session on the server (POST /sign-out), without refreshing or
        minting a token to do it. False when there was nothing to sign out or it failed."""
        from sccli.core.errors import SccliError

        try:
            rec = self.store.load()
        except SccliError:
            return False
        if rec is None or rec.kind == "env" or rec.expiring():
            return False
        self.client.scrub.add(rec.access_token)
        try:
            self.client.request(
                "POST",
                "/sign-out",
                headers={"Authorization": f"OAuth {rec.access_token}"},
                authenticated=False,
            )
        except SccliError:
            return False
        return True


def expires_in_words(rec: TokenRecord, now: float | None = None) -> str:
    if rec.expires_at is None:
        return "unknown"
    left = int(rec.expires_at - (time.time() if now is None else now))
    if left <= 0:
        return "expired"
    return f"in {left // 60}m {left % 60}s" if left >= 60 else f"in {left}s"
