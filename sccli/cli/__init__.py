"""The `sc` command line. `main` answers --version before importing anything heavy."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from sccli import __version__

        sys.stdout.write(f"sc {__version__}\n")
        return
    import gc

    gc.disable()  # for start-up only: sccli.cli.app turns it on once the command is found
    from sccli.cli.app import main as run

    sys.exit(run())
