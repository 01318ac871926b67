"""Where tokens live: the TokenStore interface and its keyring, file, environment and memory stores."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sccli.core.config import Settings
from sccli.core.errors import StoreError
from sccli.core.fsutil import atomic_write, read_small
from sccli.core.jsontext import loads as json_loads

KEYRING_SERVICE = "sccli"
KEYRING_TIMEOUT = 5.0
NO_KEYRING_HINT = (
    "use `sc auth login --insecure-storage` to keep tokens in a 0600 file, "
    "or set SC_TOKEN_FILE=PATH"
)


@dataclass
class TokenRecord:
    access_token: str
    refresh_token: str | None = None
    expires_at: float | None = None  # epoch seconds
    expires_in: int | None = None  # the lifetime granted, to scale the early-refresh margin
    scope: str = ""
    kind: str = "user"  # "user" (authorization code) or "app" (client credentials)
    client_id: str | None = None
    client_secret: str | None = None
    user: dict[str, Any] = field(default_factory=dict)  # {"username", "urn"} once known

    @classmethod
    def from_token_response(
        cls, body: dict[str, Any], *, issued_at: float | None = None, **extra: Any
    ) -> TokenRecord:
        """`issued_at`: when the token was granted (now, unless read back from a file)."""
        expires_in = _seconds(body.get("expires_in"))
        issued = time.time() if issued_at is None else issued_at
        token = body.get("access_token")
        if not isinstance(token, str) or not is_token_text(token):
            raise ValueError("no access_token")
        refresh = body.get("refresh_token")
        return cls(
            access_token=token,
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            expires_in=expires_in,
            expires_at=issued + expires_in if expires_in else None,
            scope=str(body.get("scope") or ""),
            **extra,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenRecord:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if not isinstance(known.get("access_token"), str) or not is_token_text(
            known["access_token"]
        ):
            raise ValueError("no access_token")
        for key in ("refresh_token", "client_id", "client_secret"):
            if known.get(key) is not None and not isinstance(known[key], str):
                raise ValueError(f"{key} is not a string")
        for key in ("expires_at", "expires_in"):
            if known.get(key) is not None and not isinstance(known[key], (int, float)):
                raise ValueError(f"{key} is not a number")
        if not isinstance(known.get("user", {}), dict):
            raise ValueError("user is not an object")
        return cls(**known)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def expiring(self, now: float | None = None) -> bool:
        """True when the token is expired or within its early-refresh margin (60 s at most)."""
        if self.expires_at is None:
            return False
        now = time.time() if now is None else now
        margin = min(60.0, (self.expires_in or 600) / 10)
        return now >= self.expires_at - margin


class TokenStore:
    """One profile's token record, wherever it is kept."""

    name = "store"

    def load(self) -> TokenRecord | None:
        raise NotImplementedError

    def save(self, record: TokenRecord) -> None:
        raise NotImplementedError

    def delete(self) -> bool:
        raise NotImplementedError

    def lock_path(self) -> Path | None:
        return None


class MemoryStore(TokenStore):
    name = "memory"

    def __init__(self, record: TokenRecord | None = None) -> None:
        self.record = record

    def load(self) -> TokenRecord | None:
        return self.record

    def save(self, record: TokenRecord) -> None:
        self.record = record

    def delete(self) -> bool:
        had, self.record = self.record is not None, None
        return had


class EnvStore(TokenStore):
    """SC_ACCESS_TOKEN: used as given, never written anywhere."""

    name = "environment"

    def __init__(self, token: str) -> None:
        self.token = token

    def load(self) -> TokenRecord:
        if not is_token_text(self.token):
            raise StoreError(
                "SC_ACCESS_TOKEN does not hold a token (it has spaces or characters no token has)",
                hint="export the access token alone, or unset SC_ACCESS_TOKEN",
            )
        return TokenRecord(access_token=self.token, kind="env")

    def save(self, record: TokenRecord) -> None:
        pass

    def delete(self) -> bool:
        return False


class FileStore(TokenStore):
    """A JSON file created 0600 and replaced atomically."""

    name = "file"

    def __init__(self, path: Path, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        self._warn = warn

    def load(self) -> TokenRecord | None:
        try:
            text = read_small(self.path).decode("utf-8")
            st = self.path.stat()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            detail = getattr(e, "strerror", None) or "it is not UTF-8 text"
            raise StoreError(f"cannot read token file {self.path}: {detail}") from None
        if st.st_mode & 0o077 and self._warn:
            self._warn(f"warning: token file {self.path} is readable by others; chmod 600 it")
            self._warn = None  # once per invocation
        if not text.strip():
            return None
        try:
            # A token endpoint's JSON holds expires_in: count it from when the file was written.
            return parse_stored(text, issued_at=st.st_mtime)
        except ValueError:
            raise StoreError(
                f"token file {self.path} does not hold a token",
                hint="write the token endpoint's JSON or a bare access token into it",
            ) from None

    def save(self, record: TokenRecord) -> None:
        try:
            atomic_write(self.path, record.to_json().encode(), mode=0o600)
        except OSError as e:
            raise StoreError(f"cannot write token file {self.path}: {e.strerror}") from None

    def delete(self) -> bool:
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False

    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")


def parse_stored(text: str, issued_at: float | None = None) -> TokenRecord:
    """A stored record, the token endpoint's JSON, or a bare access token (ValueError if none)."""
    text = text.strip()
    if text.startswith("{"):
        data = json_loads(text)  # its errors are ValueErrors, however deep
        if not isinstance(data, dict):
            raise ValueError("not a token object")
        if "expires_at" in data or "kind" in data:
            return TokenRecord.from_dict(data)
        return TokenRecord.from_token_response(data, issued_at=issued_at)
    if not is_token_text(text) or text.isdigit() or text[0] in '["':
        raise ValueError("not a token")  # a JSON number, list or string is no token
    return TokenRecord(access_token=text)


def is_token_text(text: str) -> bool:
    """A token goes into an HTTP header: visible ASCII only (no space, no control, no ü)."""
    return bool(text) and all("!" <= c <= "~" for c in text)


def _seconds(value: Any) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ValueError("expires_in is not a number") from None
    return seconds if 0 < seconds < 10**9 else None


def _with_timeout(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a keyring call in a thread so a hung Secret Service cannot hang `sc`."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - re-raised below in the caller's thread
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(KEYRING_TIMEOUT)
    if t.is_alive():
        raise StoreError(
            f"the OS keyring did not answer within {KEYRING_TIMEOUT:.0f}s", hint=NO_KEYRING_HINT
        )
    if "error" in box:
        raise box["error"]
    return box.get("value")


class KeyringStore(TokenStore):
    name = "keyring"

    def __init__(self, profile: str, service: str = KEYRING_SERVICE) -> None:
        self.profile = profile
        self.service = service

    def _keyring(self) -> Any:
        import keyring
        import keyring.errors

        backend = keyring.get_keyring()
        if _is_unusable(backend):
            raise StoreError(
                "no usable OS keyring was found (no Secret Service, Keychain or Credential Locker)",
                hint=NO_KEYRING_HINT,
            )
        return keyring

    def _call(self, op: str, *args: str) -> Any:
        kr = self._keyring()
        import keyring.errors

        try:
            return _with_timeout(getattr(kr, op), self.service, self.profile, *args)
        except keyring.errors.KeyringError as e:
            raise StoreError(f"the OS keyring refused: {e}", hint=NO_KEYRING_HINT) from None

    def read_text(self) -> str | None:
        """The entry as stored (for entries that are not token records: an app's secret)."""
        text = self._call("get_password")
        return text if isinstance(text, str) else None

    def write_text(self, text: str) -> None:
        self._call("set_password", text)

    def load(self) -> TokenRecord | None:
        text = self.read_text()
        if not text:
            return None
        try:
            return parse_stored(text)
        except ValueError:
            return None

    def save(self, record: TokenRecord) -> None:
        self._call("set_password", record.to_json())

    def delete(self) -> bool:
        import keyring.errors

        try:
            self._call("delete_password")
            return True
        except (keyring.errors.PasswordDeleteError, StoreError):
            return False


def _is_unusable(backend: Any) -> bool:
    from keyring.backends import fail

    if isinstance(backend, fail.Keyring):
        return True
    try:
        from keyring.backends import chainer

        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return True
    except ImportError:
        pass
    return getattr(backend, "priority", 1) <= 0


def insecure_path(settings: Settings) -> Path:
    return settings.data_dir / "tokens" / f"{settings.profile}.json"


def open_store(
    settings: Settings, *, insecure: bool = False, warn: Callable[[str], None] | None = None
) -> TokenStore:
    """The store for this invocation: environment, SC_TOKEN_FILE, insecure file, keyring."""
    if settings.access_token:
        return EnvStore(settings.access_token)
    if settings.token_file:
        return FileStore(settings.token_file, warn)
    path = insecure_path(settings)
    if insecure or path.exists():
        return FileStore(path, warn)
    return KeyringStore(settings.profile)


def stores_for(settings: Settings) -> list[TokenStore]:
    """Every store that may hold this profile's token (for logout); never the environment."""
    if settings.token_file:
        return [FileStore(settings.token_file)]
    return [FileStore(insecure_path(settings)), KeyringStore(settings.profile)]


@contextlib.contextmanager
def refresh_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """A cross-process lock, so concurrent `sc` runs spend a rotating refresh token only once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock(fd, timeout)
        yield
    finally:
        _unlock(fd)
        os.close(fd)


def _lock(fd: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        "timed out waiting for another sc process to refresh"
                    ) from None
                time.sleep(0.05)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise StoreError("timed out waiting for another sc process to refresh") from None
            time.sleep(0.05)


def _unlock(fd: int) -> None:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
