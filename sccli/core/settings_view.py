"""What `sc config list` and `get` show: each key's value, its default and where the value
comes from (like `git config --list --show-origin`), by the same order settings are resolved:
environment, then the profile's config, then the default."""

from __future__ import annotations

from collections.abc import Mapping

from sccli.core.config import (
    CONFIG_KEYS,
    DEFAULT_API_URL,
    DEFAULT_AUTH_URL,
    DEFAULT_REDIRECT_PORT,
    DEFAULT_SHARING,
    OUTPUT_VALUES,
)
from sccli.core.record import record
from sccli.core.values import SHARING_VALUES

DEFAULTS: dict[str, str | None] = {
    "api-url": DEFAULT_API_URL,
    "auth-url": DEFAULT_AUTH_URL,
    "client-id": None,
    "redirect-port": str(DEFAULT_REDIRECT_PORT),
    "redirect-uri": None,
    "sharing": DEFAULT_SHARING,
    "output": "auto",
}
# The keys the environment can set too, which then wins over the config file.
ENVIRONMENT = {"api-url": "SC_API_URL", "auth-url": "SC_AUTH_URL", "client-id": "SC_CLIENT_ID"}
# The values a key takes, where they are few: offered by shell completion.
CHOICES: dict[str, tuple[str, ...]] = {"sharing": SHARING_VALUES, "output": OUTPUT_VALUES}


@record
class Entry:
    key: str
    value: str | None
    default: str | None
    origin: str  # "environment (SC_API_URL)", "config (profile default)" or "default"

    def to_json(self) -> dict[str, str | None]:
        return {
            "key": self.key,
            "value": self.value,
            "default": self.default,
            "origin": self.origin,
        }


def entries(values: Mapping[str, str], env: Mapping[str, str], profile: str) -> list[Entry]:
    """Every key, from the profile's config `values` and the environment."""
    out = []
    value: str | None
    for key in CONFIG_KEYS:
        name = ENVIRONMENT.get(key)
        if name and env.get(name):
            value, origin = env[name], f"environment ({name})"
        elif values.get(key):
            value, origin = values[key], f"config (profile {profile})"
        else:
            value, origin = DEFAULTS[key], "default"
        out.append(Entry(key, value, DEFAULTS[key], origin))
    return out
