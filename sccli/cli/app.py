"""The root of `sc`: global options, command registration, and the one error boundary."""

import contextlib
import functools

import typer

from sccli import __version__
from sccli.cli import _click as click
from sccli.cli._coerce import install as _plain_coercion
from sccli.cli.context import AppContext, Environment, Streams

_plain_coercion()

# Where each command lives: a group is its module's `app`; the others are registered by
# their module's `register`. Listed in the order `sc --help` shows them (gh's: everyday first).
GROUPS = ("auth", "tracks", "playlists", "release", "users", "config", "sandbox")
MODULE_OF = {
    **{name: name for name in GROUPS},
    **dict.fromkeys(
        ("me", "likes", "reposts", "followings", "followers", "feed", "activities", "history"),
        "library",
    ),
    **dict.fromkeys(
        ("comment", "like", "unlike", "repost", "unrepost", "follow", "unfollow"), "social"
    ),
    "resolve": "resolve",
    "stream-url": "resolve",
    "api": "api",
    "completion": "completion",
}
ORDER = (
    "auth",
    "me",
    "tracks",
    "playlists",
    "release",
    "users",
    "likes",
    "reposts",
    "followings",
    "followers",
    "feed",
    "activities",
    "history",
    "comment",
    "like",
    "unlike",
    "repost",
    "unrepost",
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


def _version(value: bool) -> None:
    if value:
        click.echo(f"sc {__version__}")
        raise typer.Exit()


def _profile_names(incomplete: str) -> list:
    """Profiles known from the config file and from --insecure-storage token files."""
    from sccli.core.config import ConfigFile, config_path, data_dir
    from sccli.core.errors import SccliError

    try:
        names = set(ConfigFile(config_path()).profiles())
    except SccliError:
        names = set()
    names.update(p.stem for p in (data_dir() / "tokens").glob("*.json"))
    return sorted(n for n in names if n.startswith(incomplete))


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

    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
    settings = resolve_settings(
        profile=profile,
        api_url=api_url,
        auth_url=auth_url,
        sandbox=use_sandbox,
        debug=debug,
        env=env.environ,
        lenient=ctx.invoked_subcommand in ("config", "completion"),
        # `sc config path` is how a broken config is found: it never reads the file at all.
        read_config=not (ctx.invoked_subcommand == "config" and ctx.args[:1] == ["path"]),
    )
    ctx.obj = env.context = AppContext(env, settings)
    ctx.call_on_close(ctx.obj.close)


def build(only: str | None = None) -> typer.Typer:
    """The Typer app: every command, or only the one being run (and the modules it needs),
    since building all of them costs a command a good part of its start-up."""
    from importlib import import_module

    app = typer.Typer(
        name="sc",
        cls=_Root,
        help="sc: work with SoundCloud from the command line.\n\n"
        "Search, upload and update tracks, build sets, comment, like and follow. "
        "Try any command against the built-in sandbox with --sandbox: no app, no network, "
        "no token.",
        no_args_is_help=True,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(root)
    registered: set[str] = set()
    for name in ORDER if only is None else (only,):
        module = import_module(f"sccli.cli.{MODULE_OF[name]}")
        if name in GROUPS:
            app.add_typer(module.app, name=name)
        elif module.__name__ not in registered:
            module.register(app)
            registered.add(module.__name__)
    return app


@functools.cache
def command(only: str | None = None) -> click.Command:
    """The click command tree (or the part that runs `only`), built once per process."""
    return typer.main.get_command(build(only))


_VALUED = ("--profile", "--api-url", "--auth-url")


def invoked(args: list[str]) -> str | None:
    """The command an argument list runs, when it names one past the global options."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in MODULE_OF else None
        elif arg in ("-h", "--help", "--version"):
            return None
    return None


class _Boundary:
    """The one error boundary: every failure becomes one line on stderr and an exit code."""

    def __init__(self, env: Environment, args: list[str]):
        self.env = env
        self.args = args

    @property
    def sc(self) -> AppContext | None:
        return self.env.context

    def debug(self) -> bool:
        if self.sc is not None:
            return self.sc.settings.debug
        return "--debug" in self.args or self.env.flag("SC_DEBUG")

    def scrub(self, text: str) -> str:
        return self.sc.scrub(text) if self.sc is not None else text

    def report(self, message: str, hint: str | None = None) -> None:
        from sccli.render import safe_text

        err = self.env.streams.stderr
        tty = self.env.streams.stderr_tty
        for label, text in (("error", message), ("hint", hint)):
            if text:
                line = self.scrub(" ".join(str(text).split()) if label == "error" else text)
                err.write(f"{label}: {safe_text(line) if tty else line}\n")

    def traceback(self) -> None:
        if self.debug():
            import traceback

            self.env.streams.stderr.write(self.scrub(traceback.format_exc()))


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run `sc` once; return the exit code. Tests call this with their own Environment."""
    import sys

    env = env or Environment()
    args = sys.argv[1:] if argv is None else list(argv)
    with _redirected(env.streams):
        code = _run(env, args)
        return _flushed(env, code)


def _flushed(env: Environment, code: int) -> int:
    """Flush stdout now, inside the boundary: a reader gone by the final flush ends sc as
    quietly as one gone mid-output (not with Python's 'Exception ignored' and exit 120)."""
    out = env.streams.stdout
    try:
        if not out.closed:
            out.flush()
    except BrokenPipeError:
        quiet = _reader_gone(env)
        return quiet if code == 0 else code
    return code


@contextlib.contextmanager
def _redirected(streams: Streams):
    """Click writes help and prompts to sys.std*: point those at the invocation's streams."""
    import sys

    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams.stdin, streams.stdout, streams.stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def _run(env: Environment, args: list[str]) -> int:
    from sccli.core.errors import EXIT_INTERRUPTED, EXIT_USAGE, SccliError

    boundary = _Boundary(env, args)
    if "_SC_COMPLETE" in env.environ:
        click.completion_init()  # the shell is asking for completions
    try:
        only = None if "_SC_COMPLETE" in env.environ else invoked(args)
        rv = command(only).main(args=args, prog_name="sc", standalone_mode=False, obj=env)
        return rv if isinstance(rv, int) else 0
    except SccliError as e:
        boundary.traceback()
        boundary.report(e.message, e.hint)
        return e.exit_code
    except click.Abort:
        env.streams.stderr.write("\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except click.NoArgsIsHelpError as e:
        env.streams.stdout.write(e.format_message() + "\n")  # a group alone: its help, as gh
        return 0
    except click.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        where = getattr(e, "ctx", None)
        cmd = where.command_path if where is not None else "sc"
        # Typer words some choice errors as "Value error, ...": keep the message, drop the label.
        message = e.format_message().replace("Value error, ", "")
        boundary.report(message, f"see `{cmd} --help`" if isinstance(e, click.UsageError) else None)
        return e.exit_code
    except BrokenPipeError:
        return _reader_gone(env)
    except SystemExit as e:
        # click turns a broken pipe (EPIPE) into sys.exit(1) in any mode: it is the reader
        # going away, which ends sc quietly (exit 0), like any other broken pipe.
        if _broken_pipe(e.__context__):
            return _reader_gone(env)
        raise
    except (UnicodeEncodeError, UnicodeDecodeError) as e:
        # Bytes that are not UTF-8 (an argument from a Latin-1 terminal, a file's name) reach
        # Python as lone surrogates, which no HTTP request or UTF-8 file can carry.
        boundary.traceback()
        boundary.report(
            f"text that is not valid UTF-8 cannot be used here "
            f"({e.object[e.start : e.end]!r}: {e.reason})",
            "check the encoding of the arguments or files given (the locale may not be UTF-8)",
        )
        return EXIT_USAGE
    except Exception as e:
        # Not ours to expect (a bug, or the system failing under us), but never a traceback
        # without --debug and never an undocumented exit (DESIGN: one line, a documented code).
        boundary.traceback()
        boundary.report(f"{type(e).__name__}: {e}", "run with --debug for the details")
        return EXIT_USAGE if isinstance(e, ValueError) else 1


def _broken_pipe(error: BaseException | None) -> bool:
    import errno

    return isinstance(error, OSError) and error.errno in (errno.EPIPE, errno.ESHUTDOWN)


def _reader_gone(env: Environment) -> int:
    """The reader of stdout went away (`sc ... | head`): stop quietly, as a filter should."""
    import os
    import sys

    with contextlib.suppress(OSError):
        env.streams.stdout.close()
    if env.streams.stdout is sys.__stdout__:
        # Keep Python's final flush from printing "Exception ignored ... BrokenPipeError".
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    return 0
