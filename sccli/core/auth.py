"""The one authenticator: hands the Client a valid token, refreshing or minting as needed."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sccli.core.config import Settings
from sccli.core.errors import AuthError, StoreError
from sccli.core.tokens import EnvStore, TokenRecord, TokenStore, refresh_lock

if TYPE_CHECKING:
    from sccli.core.client import Client

LOGIN_HINT = "run `sc auth login`"


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

    def _locked(self) -> AbstractContextManager[None]:
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
        from sccli.core.oauth import refresh_grant

        body = refresh_grant(self.client, rec.refresh_token or "", *creds)
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
        from sccli.core.oauth import client_credentials_grant

        body = client_credentials_grant(self.client, client_id, client_secret)
        rec = TokenRecord.from_token_response(
            body,
            kind="app",
            client_id=client_id,
            client_secret=client_secret if keep_secret else None,
        )
        self.store.save(rec)
        self.record = rec
        return rec

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
            self.client.request("GET", "/tracks", params={"limit": 1})
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
