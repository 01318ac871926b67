"""The deprecated API operations sc still calls, and what it says when it does.

SoundCloud's spec deprecates these with no replacement: `sc activities` reads the
/me/activities family and `sc unrepost` of a track sends DELETE /reposts/tracks/{urn}.
sc keeps them while they answer, and says so on stderr each time. No other deprecated
operation may be called (tests/deprecated_ops.py checks every request of the test suite).
"""

from __future__ import annotations

# "METHOD /spec/path/{param}": the command that calls it.
IN_USE = {
    "GET /me/activities": "sc activities",
    "GET /me/activities/all/own": "sc activities --own",
    "GET /me/activities/tracks": "sc activities --tracks",
    "DELETE /reposts/tracks/{track_urn}": "sc unrepost TRACK",
}


def notice(operation: str) -> str:
    """The one line a command prints before it calls a deprecated operation."""
    assert operation in IN_USE, operation
    return (
        f"warning: SoundCloud has deprecated {operation}, with no replacement in its API; "
        "sc uses it while it still answers (--quiet hides this)"
    )
