"""The root of `sc`: global options, command registration, and the one error boundary."""

import os
import sys

import typer

from sccli import __version__
from sccli.cli import _click as click
from sccli.cli import api as api_cmd
from sccli.cli import auth, config, playlists, release, sandbox, social, tracks, users
from sccli.cli import completion as completion_cmd
from sccli.cli import resolve as resolve_cmd
from sccli.cli.context import AppContext

# The order `sc --help` lists commands in: the everyday ones first, as gh does.
ORDER = (
    "auth",
    "tracks",
    "playlists",
    "release",
    "users",
    "comment",
    "like",
    "unlike",
    "follow",
    "unfollow",
    "resolve",
    "stream-url",
    "api",
    "config",
    "completion",
    "sandbox",
)


class _Root(typer.core.TyperGroup):
    def list_commands(self, ctx):
        return sorted(self.commands, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))


app = typer.Typer(
    name="sc",
    cls=_Root,
    help="sc: work with SoundCloud from the command line.\n\n"
    "Search, upload and update tracks, build sets, comment, like and follow. "
    "Try any command against the built-in sandbox with --sandbox: no app, no network, no token.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

app.add_typer(auth.app, name="auth")
app.add_typer(tracks.app, name="tracks")
app.add_typer(playlists.app, name="playlists")
app.add_typer(release.app, name="release")
app.add_typer(users.app, name="users")
app.add_typer(config.app, name="config")
app.add_typer(sandbox.app, name="sandbox")
social.register(app)
resolve_cmd.register(app)
api_cmd.register(app)
completion_cmd.register(app)


def _version(value: bool) -> None:
    if value:
        click.echo(f"sc {__version__}")
        raise typer.Exit()


def _profile_names(incomplete: str) -> list:
    """Profiles known from the config file and from --insecure-storage token files."""
    from sccli.core.config import ConfigFile, config_path, data_dir

    names = set(ConfigFile(config_path()).profiles())
    names.update(p.stem for p in (data_dir() / "tokens").glob("*.json"))
    return sorted(n for n in names if n.startswith(incomplete))


@app.callback()
def root(
    ctx: typer.Context,
    profile: str | None = typer.Option(
        None,
        "--profile",
        metavar="NAME",
        autocompletion=_profile_names,
        help="Stored login and settings to use [env: SC_PROFILE] (default: default).",
    ),
    api_url: str | None = typer.Option(
        None, "--api-url", metavar="URL", help="API base URL [env: SC_API_URL]."
    ),
    auth_url: str | None = typer.Option(
        None, "--auth-url", metavar="URL", help="OAuth base URL [env: SC_AUTH_URL]."
    ),
    use_sandbox: bool = typer.Option(
        False,
        "--sandbox",
        help="Run against the embedded sandbox on 127.0.0.1 [env: SC_SANDBOX=1].",
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Log each HTTP exchange to stderr, secrets redacted; tracebacks on error [env: SC_DEBUG=1].",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
):
    """sc: work with SoundCloud from the command line."""
    from sccli.core.config import resolve_settings

    global _current
    settings = resolve_settings(
        profile=profile, api_url=api_url, auth_url=auth_url, sandbox=use_sandbox, debug=debug
    )
    _current = ctx.obj = AppContext(settings)
    ctx.call_on_close(ctx.obj.close)


_current: AppContext | None = None


def _debug_wanted(args: list) -> bool:
    if _current is not None:
        return _current.settings.debug
    return "--debug" in args or os.environ.get("SC_DEBUG", "").lower() in ("1", "true", "yes")


def _report(message: str, hint: str | None = None) -> None:
    scrub = _current.scrub if _current is not None else (lambda s: s)
    click.echo(f"error: {scrub(message)}", err=True)
    if hint:
        click.echo(f"hint: {scrub(hint)}", err=True)


def main(argv: list | None = None) -> None:
    """Run `sc`, turning every failure into one line on stderr and a documented exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    from sccli.core.errors import EXIT_INTERRUPTED, SccliError

    code = 0
    if "_SC_COMPLETE" in os.environ:
        from sccli.cli import _click

        _click.completion_init()  # the shell is asking for completions
    try:
        rv = typer.main.get_command(app).main(args=args, prog_name="sc", standalone_mode=False)
        code = rv if isinstance(rv, int) else 0
    except SccliError as e:
        if _debug_wanted(args):
            import traceback

            traceback.print_exc()
        _report(e.message, e.hint)
        code = e.exit_code
    except click.Abort:
        click.echo("", err=True)
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except click.NoArgsIsHelpError as e:
        click.echo(e.format_message())  # `sc tracks` alone: the group's help, as gh does
        code = 0
    except click.ClickException as e:
        cmd = e.ctx.command_path if getattr(e, "ctx", None) else "sc"
        # Typer words some choice errors as "Value error, ...": keep the message, drop the label.
        message = e.format_message().replace("Value error, ", "")
        _report(message, f"see `{cmd} --help`" if isinstance(e, click.UsageError) else None)
        code = e.exit_code
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the reader went away
        code = 0
    sys.exit(code)
