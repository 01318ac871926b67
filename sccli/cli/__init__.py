"""The `sc` command line. `main` answers --version before importing anything heavy."""

import sys


def main() -> None:
    if sys.stdout is None:  # `sc ... >&-`: there is nowhere to write what sc prints
        if sys.stderr is not None:
            sys.stderr.write("error: cannot write the output: standard output is closed\n")
        sys.exit(1)
    if sys.argv[1:] == ["--version"]:
        from sccli import __version__

        try:
            sys.stdout.write(f"sc {__version__}\n")
            sys.stdout.flush()
        except OSError as e:  # `> /dev/full`
            _unwritable(e)
        return
    import gc

    gc.disable()  # for start-up only: sccli.cli.app turns it on once the command is found
    from sccli.cli.app import main as run

    sys.exit(run())


def _unwritable(e: OSError) -> None:
    import os

    sys.stderr.write(f"error: cannot write the output: {e.strerror or e}\n")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing more to flush at exit
    sys.exit(1)
