"""Settings: where files live, the config file, and flag > environment > config > default."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from sccli.core.errors import UsageError
from sccli.core.fsutil import CONFIG_MAX, NotReadable, atomic_write, read_small
from sccli.core.record import record
from sccli.core.values import SHARING_VALUES

if TYPE_CHECKING:
    from configparser import ConfigParser

DEFAULT_API_URL = "https://api.soundcloud.com"
DEFAULT_AUTH_URL = "https://secure.soundcloud.com"
DEFAULT_REDIRECT_PORT = 8765
DEFAULT_PROFILE = "default"
DEFAULT_TIMEOUT = 60.0  # seconds one exchange with the API may take, connect to last byte
DEFAULT_SHARING = "private"  # uploads and new sets, unless --sharing or `config set sharing`

OUTPUT_VALUES = ("auto", "table", "json", "ndjson", "tsv")


def _url(value: str) -> str:
    from urllib.parse import urlsplit

    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number below 65536
    except ValueError as e:
        raise ValueError(f"is not a valid URL ({e})") from None
    if not parts.hostname or any(c.isspace() for c in value):
        raise ValueError("is not a valid URL: it names no host")
    return value.rstrip("/")


def redirect_uri(value: str) -> str:
    """An app's registered redirect URI: an http(s) URL with a host, kept exactly as given
    (SoundCloud compares it character for character)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number below 65536
    except ValueError as e:
        raise ValueError(f"is not a valid URL ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not an http(s) URL with a host")
    if any(c.isspace() for c in value):
        raise ValueError("is not a valid URL: it has spaces")
    return value


_PROFILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_profile(name: str) -> str:
    """Profile names become file names: no separators, no `..`."""
    if not _PROFILE.match(name) or ".." in name:
        raise UsageError(
            f"invalid profile name {name!r}: use letters, digits, '.', '_' and '-' (no '/' or '..')"
        )
    return name


def _port(value: str) -> str:
    if not re.fullmatch(r"[0-9]{1,5}", value) or not 0 < int(value) < 65536:
        raise ValueError("must be a port number from 1 to 65535")
    return value


def _choice(*values: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError("must be one of " + ", ".join(values))
        return value

    return check


# key -> (validator, description); the keys `sc config` accepts.
CONFIG_KEYS: dict[str, tuple[Callable[[str], str], str]] = {
    "api-url": (_url, "API base URL"),
    "auth-url": (_url, "OAuth base URL"),
    "client-id": (str, "your SoundCloud app's client_id"),
    "redirect-port": (_port, "port of the login callback http://127.0.0.1:PORT/callback"),
    "redirect-uri": (redirect_uri, "your app's registered redirect URI, used exactly by login"),
    "sharing": (_choice(*SHARING_VALUES), "default --sharing for uploads and sets"),
    "output": (_choice(*OUTPUT_VALUES), "default output when no output flag is given"),
}


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("SC_CONFIG_DIR"):
        return Path(env["SC_CONFIG_DIR"])
    import platformdirs

    return Path(platformdirs.user_config_dir("sccli", appauthor=False))


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("SC_CONFIG_DIR"):
        return Path(env["SC_CONFIG_DIR"])
    import platformdirs

    return Path(platformdirs.user_data_dir("sccli", appauthor=False))


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "config.ini"


class ConfigFile:
    """An INI file with one section per profile.

    `repair` (for `sc config set` and `unset`, the commands that fix a file): a file that does
    not parse because of stray lines (neither a `[section]`, a `key = value`, its indented
    continuation nor a comment) is read without them; `dropped` lists them, and the next
    write leaves them out."""

    def __init__(self, path: Path, *, repair: bool = False):
        self.path = path
        self.dropped: list[str] = []
        data = read_config_bytes(path)
        # No file, no parser: configparser costs a start-up 1 ms, most of it compiling regexes.
        self._parser: ConfigParser | None = None
        if data is None:
            return
        import configparser

        self._parser = _parser()
        try:
            self._parser.read_string(data.decode("utf-8"), source=str(path))
        except (configparser.Error, UnicodeDecodeError) as e:
            if not (repair and self._repair(data)):
                detail = " ".join(str(e).split())[:200]
                raise UsageError(
                    f"cannot read config file {path}: {detail}",
                    hint="fix or delete that file (`sc config path` prints where it is)",
                ) from None

    def _repair(self, data: bytes) -> bool:
        """Read `data` without its stray lines (and duplicates merged); False if even that
        does not parse."""
        import configparser

        text, dropped = without_stray_lines(data)
        parser = _parser(strict=False)
        try:
            parser.read_string(text, source=str(self.path))
        except configparser.Error:
            return False
        self._parser, self.dropped = parser, dropped
        return True

    def profile(self, profile: str) -> dict[str, str]:
        if self._parser is None or not self._parser.has_section(profile):
            return {}
        return dict(self._parser.items(profile))

    def profiles(self) -> list[str]:
        return self._parser.sections() if self._parser is not None else []

    def get(self, profile: str, key: str) -> str | None:
        check_key(key)
        return self.profile(profile).get(key)

    def set(self, profile: str, key: str, value: str) -> str:
        validator, _ = check_key(key)
        try:
            value = validator(_one_line(value))
        except ValueError as e:
            raise UsageError(f"invalid value for {key}: {e}") from None
        if self._parser is None:
            self._parser = _parser()
        if not self._parser.has_section(profile):
            self._parser.add_section(profile)
        self._parser.set(profile, key, value)
        self._save()
        return value

    def unset(self, profile: str, key: str) -> None:
        check_key(key)
        parser = self._parser
        removed = (
            parser is not None
            and parser.has_section(profile)
            and parser.remove_option(profile, key)
        )
        if removed or self.dropped:
            self._save()

    def _save(self) -> None:
        import io

        buf = io.StringIO()
        (self._parser or _parser()).write(buf)
        try:
            atomic_write(self.path, buf.getvalue().encode(), mode=0o644)
        except OSError as e:
            raise UsageError(f"cannot write config file {self.path}: {e.strerror or e}") from None


def _parser(strict: bool = True) -> ConfigParser:
    import configparser

    return configparser.ConfigParser(interpolation=None, strict=strict)


def _one_line(value: str) -> str:
    """Config values are one line of text: a carriage return or any other control character
    would split the value across lines of the file, and no later command could read it."""
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        raise ValueError(f"control characters are not allowed (found {bad!r})")
    return value


def read_config_bytes(path: Path) -> bytes | None:
    """The config file's bytes, None when there is none. Only a regular file of at most
    CONFIG_MAX is read: a FIFO or a device would hold every command, and a huge file every
    one's memory, so anything else is a usage error naming it."""
    try:
        return read_small(path, CONFIG_MAX)
    except (FileNotFoundError, NotADirectoryError):
        return None  # no file (or its folder is a file: that shows when it is written)
    except NotReadable as e:
        raise UsageError(
            f"config file {path} is {e.strerror}",
            hint="remove it, or point SC_CONFIG_DIR elsewhere",
        ) from None
    except OSError as e:
        raise UsageError(f"cannot read config file {path}: {e.strerror or e}") from None


_HEADER = re.compile(r"\[[^\]]+\]\s*$")
_SETTING = re.compile(r"[^\s\[=:][^=:]*[=:]")
_COMMENT = re.compile(r"\s*([#;].*)?$")


def without_stray_lines(data: bytes) -> tuple[str, list[str]]:
    """The text with only what an INI file may hold; and the lines left out (text that is
    not UTF-8, a setting before any section, a line that is neither of the above)."""
    kept: list[str] = []
    dropped: list[str] = []
    in_section = in_setting = False
    # Lines end at \n only, as configparser reads them: a stray \r stays inside its line.
    for line in data.decode("utf-8", "surrogateescape").split("\n"):
        encodable = not any("\udc80" <= c <= "\udcff" for c in line)
        if encodable and _COMMENT.match(line):
            ok = True
        elif encodable and _HEADER.match(line):
            ok = in_section = True
            in_setting = False
        elif encodable and in_section and _SETTING.match(line):
            ok = in_setting = True
        else:
            ok = encodable and in_setting and line[:1] in (" ", "\t")
        (kept if ok else dropped).append(
            line
            if encodable
            else line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        )
    return "".join(f"{x}\n" for x in kept), dropped


def unset_key(path: Path, profile: str, key: str) -> list[str]:
    """`sc config unset`: works on a file that no longer parses too, since it is how a bad
    value gets out of the way: stray lines are dropped (and returned); where even that is not
    enough, the key's lines are taken out and the rest kept as is."""
    check_key(key)
    try:
        cfg = ConfigFile(path, repair=True)
    except UsageError:
        _strip_key_lines(path, profile, key)
        return []
    cfg.unset(profile, key)
    return cfg.dropped


def _strip_key_lines(path: Path, profile: str, key: str) -> None:
    lines = (read_config_bytes(path) or b"").splitlines(keepends=True)
    setting = re.compile(rb"\s*" + re.escape(key.encode()) + rb"\s*[=:]", re.I)
    section: bytes | None = None  # None: before any [section] header
    kept, dropping = [], False
    for line in lines:
        header = re.match(rb"\s*\[([^\]]*)\]", line)
        if header:
            section = header.group(1).strip()
        elif dropping and line[:1] in (b" ", b"\t") and line.strip():
            continue  # an indented line continues the value being removed
        dropping = not header and section in (None, profile.encode()) and bool(setting.match(line))
        if not dropping:
            kept.append(line)
    if len(kept) != len(lines):
        try:
            atomic_write(path, b"".join(kept), mode=0o644)
        except OSError as e:
            raise UsageError(f"cannot write config file {path}: {e.strerror or e}") from None


def check_key(key: str) -> tuple[Callable[[str], str], str]:
    if key not in CONFIG_KEYS:
        raise UsageError(f"unknown config key {key!r}; valid keys: {', '.join(CONFIG_KEYS)}")
    return CONFIG_KEYS[key]


@record
class Settings:
    """Everything an invocation needs to know, resolved once."""

    profile: str = DEFAULT_PROFILE
    api_url: str = DEFAULT_API_URL
    auth_url: str = DEFAULT_AUTH_URL
    client_id: str | None = None
    client_secret: str | None = None
    access_token: str | None = None
    token_file: Path | None = None
    redirect_port: int = DEFAULT_REDIRECT_PORT
    redirect_uri: str | None = None  # the app's registered one: login listens where it says
    sharing: str = DEFAULT_SHARING  # decided here once: uploads and sets read it as it is
    output: str = "auto"
    debug: bool = False
    sandbox: bool = False
    timeout: float = DEFAULT_TIMEOUT
    config_dir: Path = field(default_factory=lambda: Path("."))
    data_dir: Path = field(default_factory=lambda: Path("."))

    def for_sandbox(self, url: str, client_id: str, client_secret: str) -> Settings:
        """Pointed at a sandbox: real credentials never meet it, and its tokens never land in
        real stores (its own file, under the sandbox's state, holds them)."""
        from dataclasses import replace

        return replace(
            self,
            api_url=url,
            auth_url=url,
            client_id=client_id,
            client_secret=client_secret,
            access_token=None,
            token_file=self.data_dir / "sandbox" / f"token-{self.profile}.json",
        )


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def resolve_settings(
    *,
    profile: str | None = None,
    api_url: str | None = None,
    auth_url: str | None = None,
    sandbox: bool | None = None,
    debug: bool | None = None,
    env: Mapping[str, str] | None = None,
    lenient: bool = False,
    read_config: bool = True,
) -> Settings:
    """Flag wins over environment, environment over config, config over default.

    `lenient` (for `sc config`): a broken config file or value is ignored, so the command
    that repairs it still runs."""
    env = os.environ if env is None else env
    prof = check_profile(profile or env.get("SC_PROFILE") or DEFAULT_PROFILE)
    try:
        cfg = _checked_profile(ConfigFile(config_path(env)), prof) if read_config else {}
    except UsageError:
        if not lenient:
            raise
        cfg = {}

    def pick(flag: str | None, env_name: str, key: str, default: str) -> str:
        return flag or env.get(env_name) or cfg.get(key) or default

    try:
        api = _url(pick(api_url, "SC_API_URL", "api-url", DEFAULT_API_URL))
        auth = _url(pick(auth_url, "SC_AUTH_URL", "auth-url", DEFAULT_AUTH_URL))
    except ValueError as e:
        if not lenient:
            raise UsageError(f"invalid URL: {e}") from None
        api, auth = DEFAULT_API_URL, DEFAULT_AUTH_URL
    port = cfg.get("redirect-port")
    return Settings(
        profile=prof,
        api_url=api,
        auth_url=auth,
        client_id=env.get("SC_CLIENT_ID") or cfg.get("client-id"),
        client_secret=env.get("SC_CLIENT_SECRET") or None,
        access_token=env.get("SC_ACCESS_TOKEN") or None,
        token_file=Path(env["SC_TOKEN_FILE"]) if env.get("SC_TOKEN_FILE") else None,
        redirect_port=int(port) if port else DEFAULT_REDIRECT_PORT,
        redirect_uri=cfg.get("redirect-uri") or None,
        sharing=cfg.get("sharing") or DEFAULT_SHARING,
        output=cfg.get("output", "auto"),
        debug=bool(debug) or _truthy(env.get("SC_DEBUG")),
        sandbox=bool(sandbox) or _truthy(env.get("SC_SANDBOX")),
        timeout=_timeout(env.get("SC_TIMEOUT")),
        config_dir=config_dir(env),
        data_dir=data_dir(env),
    )


def _timeout(value: str | None) -> float:
    """SC_TIMEOUT: seconds, a number greater than 0 (unset or empty: the default)."""
    if not (value or "").strip():
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value or "")
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise UsageError(f"invalid SC_TIMEOUT {value!r}: give a number of seconds greater than 0")
    return seconds


def _checked_profile(cfg: ConfigFile, profile: str) -> dict[str, str]:
    """The profile's values, each checked as `sc config set` checks it."""
    values = cfg.profile(profile)
    for key, value in values.items():
        if key not in CONFIG_KEYS:
            continue  # a key from a newer sc: ignore it rather than refuse to run
        try:
            CONFIG_KEYS[key][0](_one_line(value))
        except ValueError as e:
            raise UsageError(
                f"config file {cfg.path}: invalid {key} {value!r}: {e}",
                hint=f"fix it with `sc config set {key} VALUE` or `sc config unset {key}`",
            ) from None
    return values
