"""The `sc` command line. `main` answers --version before importing anything heavy."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from sccli import __version__

        sys.stdout.write(f"sc {__version__}\n")
        return
    from sccli.cli.app import main as run

    sys.exit(run())
