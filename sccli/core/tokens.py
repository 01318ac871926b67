"""Where tokens live: the TokenStore interface and its keyring, file, environment and memory stores."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sccli.core.config import Settings
from sccli.core.errors import StoreError
from sccli.core.fsutil import atomic_write

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
    def from_token_response(cls, body: dict, **extra: Any) -> TokenRecord:
        expires_in = body.get("expires_in")
        return cls(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token") or None,
            expires_in=int(expires_in) if expires_in else None,
            expires_at=time.time() + int(expires_in) if expires_in else None,
            scope=body.get("scope") or "",
            **extra,
        )

    @classmethod
    def from_dict(cls, data: dict) -> TokenRecord:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if not known.get("access_token"):
            raise ValueError("no access_token")
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
    writable = True

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

    def __init__(self, record: TokenRecord | None = None):
        self.record = record

    def load(self):
        return self.record

    def save(self, record):
        self.record = record

    def delete(self):
        had, self.record = self.record is not None, None
        return had


class EnvStore(TokenStore):
    """SC_ACCESS_TOKEN: used as given, never written anywhere."""

    name = "environment"
    writable = False

    def __init__(self, token: str):
        self.token = token

    def load(self):
        return TokenRecord(access_token=self.token, kind="env")

    def save(self, record):
        pass

    def delete(self):
        return False


class FileStore(TokenStore):
    """A JSON file created 0600 and replaced atomically."""

    name = "file"

    def __init__(self, path: Path):
        self.path = path

    def load(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StoreError(f"cannot read token file {self.path}: {e.strerror}") from None
        if not text.strip():
            return None
        try:
            return parse_stored(text)
        except ValueError:
            raise StoreError(
                f"token file {self.path} does not hold a token",
                hint="write the token endpoint's JSON or a bare access token into it",
            ) from None

    def save(self, record):
        try:
            atomic_write(self.path, record.to_json().encode(), mode=0o600)
        except OSError as e:
            raise StoreError(f"cannot write token file {self.path}: {e.strerror}") from None

    def delete(self):
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False

    def lock_path(self):
        return self.path.with_name(self.path.name + ".lock")


def parse_stored(text: str) -> TokenRecord:
    """A stored record, the token endpoint's JSON, or a bare access token."""
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
        if "expires_at" in data or "kind" in data:
            return TokenRecord.from_dict(data)
        if not data.get("access_token"):
            raise ValueError("no access_token")
        return TokenRecord.from_token_response(data)
    if not text or any(c.isspace() for c in text):
        raise ValueError("not a token")
    return TokenRecord(access_token=text)


def _with_timeout(fn, *args):
    """Run a keyring call in a thread so a hung Secret Service cannot hang `sc`."""
    box: dict[str, Any] = {}

    def run():
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

    def __init__(self, profile: str, service: str = KEYRING_SERVICE):
        self.profile = profile
        self.service = service

    def _keyring(self):
        import keyring
        import keyring.errors

        backend = keyring.get_keyring()
        if _is_unusable(backend):
            raise StoreError(
                "no usable OS keyring was found (no Secret Service, Keychain or Credential Locker)",
                hint=NO_KEYRING_HINT,
            )
        return keyring

    def _call(self, op: str, *args):
        kr = self._keyring()
        import keyring.errors

        try:
            return _with_timeout(getattr(kr, op), self.service, self.profile, *args)
        except keyring.errors.KeyringError as e:
            raise StoreError(f"the OS keyring refused: {e}", hint=NO_KEYRING_HINT) from None

    def load(self):
        text = self._call("get_password")
        if not text:
            return None
        try:
            return parse_stored(text)
        except ValueError:
            return None

    def save(self, record):
        self._call("set_password", record.to_json())

    def delete(self):
        import keyring.errors

        try:
            self._call("delete_password")
            return True
        except (keyring.errors.PasswordDeleteError, StoreError):
            return False


def _is_unusable(backend) -> bool:
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


def sandbox_path(settings: Settings) -> Path:
    return settings.data_dir / "sandbox" / f"token-{settings.profile}.json"


def insecure_path(settings: Settings) -> Path:
    return settings.data_dir / "tokens" / f"{settings.profile}.json"


def open_store(settings: Settings, *, insecure: bool = False) -> TokenStore:
    """The store for this invocation: sandbox file, environment, SC_TOKEN_FILE, insecure file, keyring."""
    if settings.sandbox:
        return FileStore(sandbox_path(settings))
    if settings.access_token:
        return EnvStore(settings.access_token)
    if settings.token_file:
        return FileStore(settings.token_file)
    path = insecure_path(settings)
    if insecure or path.exists():
        return FileStore(path)
    return KeyringStore(settings.profile)


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
