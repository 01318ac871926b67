"""The root of `sc`: global options, command registration, and the one error boundary."""

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, MutableMapping

import typer

from sccli import __version__
from sccli.cli import _click as click
from sccli.cli._coerce import install as _plain_coercion
from sccli.cli._helpfmt import install as _plain_help
from sccli.cli.context import AppContext, Environment, Streams
from sccli.cli.registry import COMMANDS, Entry

_plain_coercion()
_plain_help()


class _Lazy(MutableMapping):
    """A group's commands by name, in order; each is built when first looked up. The root's
    import their module then, so `sc --help` and `sc --version` import none; a group's inspect
    one function's signature then, so `sc tracks search` builds no other verb of tracks."""

    def __init__(
        self,
        makers: Mapping[str, Callable[[], click.Command]],
        built: Mapping[str, click.Command] | None = None,
    ) -> None:
        self._makers = dict(makers)
        self._built = dict(built or {})

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            cmd = self._makers[name]()  # KeyError: no such command
            cmd.name = name
            cmd.rich_markup_mode = None  # type: ignore[attr-defined]  # plain help, as the root's
            self._built[name] = cmd
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._makers or name in self._built

    def __iter__(self) -> Iterator[str]:
        return iter({**self._makers, **self._built})

    def __len__(self) -> int:
        return len({**self._makers, **self._built})

    def __setitem__(self, name: str, cmd: click.Command) -> None:
        self._built[name] = cmd

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        self._makers.pop(name, None)


class _Root(typer.core.TyperGroup):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.commands = _Lazy({e.name: functools.partial(_load, e) for e in COMMANDS})

    def format_commands(self, ctx: click.Context, formatter) -> None:  # noqa: ANN001
        with formatter.section("Commands"):  # the registry's lines: no module is imported
            formatter.write_dl([(e.name, e.summary) for e in COMMANDS])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list:
        from typer._click.shell_completion import CompletionItem

        found = [CompletionItem(e.name, help=e.summary) for e in COMMANDS]
        found = [c for c in found if c.value.startswith(incomplete)]
        return found + click.Command.shell_complete(self, ctx, incomplete)

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        found = super().resolve_command(ctx, args)
        _started()  # the command's module is loaded: start-up is over
        return found


def _load(entry: Entry) -> click.Command:
    """One registry entry as a click command: a group's Typer app, or the command of that
    name from its module's app."""
    from importlib import import_module

    app = import_module(f"sccli.cli.{entry.module}").app
    if not entry.group:
        return _lazy_group(app).commands[entry.name]
    return _lazy_group(app)


def _lazy_group(app: typer.Typer) -> typer.core.TyperGroup:
    """A Typer app as a click group whose verbs are built on first look-up (Typer's get_group
    builds them all, each by inspecting its function: 4 ms for `tracks` alone)."""
    infos, app.registered_commands = app.registered_commands, []
    try:
        group = typer.main.get_group(app)
    finally:
        app.registered_commands = infos
    made = dict(group.commands)  # sub-groups (`auth app`), already built
    for sub in made.values():
        _plain_markup(sub)
    makers = {
        info.name or typer.main.get_command_name(info.callback.__name__): functools.partial(
            typer.main.get_command_from_info,
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=None,
        )
        for info in infos
        if info.callback
    }
    group.commands = _Lazy(makers, made)
    return group


def _plain_markup(cmd: click.Command) -> None:
    """Plain help, as the root's (Typer would draw rich panels for a group built apart)."""
    cmd.rich_markup_mode = None  # type: ignore[attr-defined]
    for sub in getattr(cmd, "commands", {}).values():
        _plain_markup(sub)


def _started() -> None:
    """Turn the garbage collector back on (cli.main turned it off for start-up: the objects
    that importing makes live as long as the process, and collecting them costs ~5 ms);
    freeze what start-up made, so that later full collections skip it."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


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

    run = ctx.obj if isinstance(ctx.obj, _Boundary) else _Boundary(Environment(), [])
    env = run.env
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
    # The boundary keeps the context too: it scrubs errors raised after this command ended.
    ctx.obj = run.sc = AppContext(env, settings)
    ctx.call_on_close(ctx.obj.close)


def build() -> typer.Typer:
    """The Typer app: the root's options and callback; the commands come from the registry."""
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
    return app


@functools.cache
def command() -> click.Command:
    """The click command tree, built once per process (its commands load on first use)."""
    return typer.main.get_command(build())


class _Boundary:
    """The one error boundary: every failure becomes one line on stderr and an exit code."""

    def __init__(self, env: Environment, args: list[str]):
        self.env = env
        self.args = args
        self.sc: AppContext | None = None  # the root command's, once it has made it

    def debug(self) -> bool:
        if self.sc is not None:
            return self.sc.settings.debug
        return "--debug" in self.args or self.env.flag("SC_DEBUG")

    def scrub(self, text: str) -> str:
        return self.sc.scrub(text) if self.sc is not None else text

    def report(self, message: str, hint: str | None = None, problems: list | None = None) -> None:
        """`error: ...` on one line (text from a server may hold newlines: they are folded),
        then each of several problems on a line of its own, then the hint."""
        from sccli.render import safe_text

        err = self.env.streams.stderr
        tty = self.env.streams.stderr_tty
        if problems:
            message = str(message).splitlines()[0]
        lines = [("error: ", " ".join(str(message).split()))]
        lines += [("  ", " ".join(str(p).split())) for p in problems or ()]
        lines += [("hint: ", str(hint))] if hint else []
        for label, text in lines:
            line = self.scrub(text)
            err.write(f"{label}{safe_text(line) if tty else line}\n")

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
    except OSError as e:  # `> /dev/full`: one line, not Python's "Exception ignored"
        env.streams.stderr.write(f"error: cannot write the output: {e.strerror or e}\n")
        _reader_gone(env)
        return code or 1
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
        rv = command().main(args=args, prog_name="sc", standalone_mode=False, obj=boundary)
        return rv if isinstance(rv, int) else 0
    except SccliError as e:
        boundary.traceback()
        boundary.report(e.message, e.hint, getattr(e, "problems", None))
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
    except OSError as e:
        return _system_refused(boundary, e)
    except Exception as e:
        # Not ours to expect (a bug, or the system failing under us), but never a traceback
        # without --debug and never an undocumented exit (DESIGN: one line, a documented code).
        boundary.traceback()
        boundary.report(f"{type(e).__name__}: {e}", "run with --debug for the details")
        return EXIT_USAGE if isinstance(e, ValueError) else 1


def _system_refused(boundary: _Boundary, e: OSError) -> int:
    """A full disk, a folder that cannot be written, a closed output: the system's own
    words, with the file it names; no traceback, and exit 1."""
    boundary.traceback()
    where = f"{e.filename}: " if e.filename else ""
    boundary.report(f"{where}{e.strerror or e}", "run with --debug for the details")
    return 1


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
