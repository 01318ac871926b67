"""What a fork server for tests/test_kill.py loads once: sc with everything an upload imports,
its command tree, and the body of each process that the test kills. So each forked process
starts where a warm `sc` would be, at its first line of work, not 0.5 s of imports later."""

from __future__ import annotations

import io
import os
import tempfile

import sccli.cli.tracks  # noqa: F401
import sccli.core.auth  # noqa: F401
import sccli.core.client  # noqa: F401
import sccli.core.multipart  # noqa: F401
import sccli.core.upload  # noqa: F401
from sccli.cli.app import main
from sccli.cli.context import Environment, Streams


def _warm() -> None:
    """One harmless command, in-process: builds the click tree and the option machinery."""
    with tempfile.TemporaryDirectory() as d:
        streams = Streams(io.StringIO(), io.StringIO(), io.StringIO())
        main(["config", "path"], Environment(streams=streams, environ={"SC_CONFIG_DIR": d}))


_warm()
_LOADED_IN = os.getpid()  # the fork server's pid, in the processes forked from it


def ready() -> None:
    """Exit 0 if this process came from a fork server that had loaded this module."""
    os._exit(0 if os.getpid() != _LOADED_IN else 1)


def run_sc(args: list[str], env: dict[str, str]) -> None:
    """sc's main() on real file descriptors, its output dropped, its exit code kept."""
    os.environ.clear()
    os.environ.update(env)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os._exit(main(args))
