"""Issue 16, one way to write a command: one registry, the Renderer's operations, an explicit
factory, a Kind type, resolve once, shared pieces in shared places."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "sccli"
CLI = PKG / "cli"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _cli_imports(path: Path) -> set[str]:
    """The sccli.cli modules a module imports (at any depth of the file)."""
    out = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sccli.cli."):
            out.add(node.module.split(".")[2])
        elif isinstance(node, ast.ImportFrom) and node.module == "sccli.cli":
            out.update(a.name for a in node.names)
    return out


def test_i16_15_the_root_lists_the_registry_and_nothing_else():
    from sccli.cli.app import command
    from sccli.cli.registry import COMMANDS

    root = command()
    assert list(root.commands) == [e.name for e in COMMANDS]
    for e in COMMANDS:  # each entry is what its module registered, a group or one command
        cmd = root.commands[e.name]
        assert hasattr(cmd, "commands") == e.group, e
        assert cmd.get_short_help_str(80).rstrip(".") in e.summary or e.group, e


def test_i16_15_one_way_to_register_a_command():
    """No register() loops, no closures given a __doc__, no second list; add_typer only for a
    group's own subgroup (`sc auth app`), never for a top-level command."""
    bad = []
    for path in sorted(CLI.glob("*.py")):
        text = path.read_text()
        for needle in ("def register(", ".__doc__ =", "MODULE_OF", "ORDER ="):
            if needle in text:
                bad.append(f"{path.name}: {needle}")
        if "add_typer(" in text and path.name not in ("auth.py",):
            bad.append(f"{path.name}: add_typer(")
    assert not bad, bad


def test_i16_15_help_imports_no_command_module():
    code = (
        "import sys\n"
        "from sccli.cli.app import main\n"
        "main(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('sccli.cli.')), file=sys.stderr)\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PKG.parent, timeout=60
    )
    assert p.returncode == 0, p.stderr
    loaded = {m.split(".")[2] for m in eval(p.stderr.strip().splitlines()[-1])}
    from sccli.cli.registry import COMMANDS

    assert not loaded & {e.module for e in COMMANDS}, loaded
    assert "tracks" in p.stdout and "Build a release" in p.stdout


def test_i16_15_auth_login_keeps_its_logic_out_of_the_typer_function():
    for node in ast.walk(_tree(CLI / "auth.py")):
        if isinstance(node, ast.FunctionDef) and node.name == "login":
            body = [n for n in node.body if not isinstance(n, ast.Expr)]
            assert len(body) <= 8, ast.unparse(node)
            assert "run_login" in ast.unparse(node)


def _is_command(fn: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and getattr(d.func, "id", None) == "command"
        for d in fn.decorator_list
    )


def _named(call: ast.expr, suffix: str) -> bool:
    """A call of `XOptions(...)` or `XOptions.form(...)`."""
    if not isinstance(call, ast.Call):
        return False
    f = call.func
    name = f.value if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else f
    return isinstance(name, ast.Name) and name.id.endswith(suffix)


def _thin_problems(fn: ast.FunctionDef) -> list[str]:
    """What a command function does besides building its options and calling run_<verb>."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    runs, bad = [], []
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue  # a lazy import of the options and run_ function
        if isinstance(stmt, ast.Assign) and _named(stmt.value, "Options"):
            continue
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and getattr(call.func, "id", "").startswith("run_"):
            runs.append(call)
            continue
        bad.append(ast.unparse(stmt).splitlines()[0])
    if len(runs) != 1:
        return bad + [f"{len(runs)} run_ calls"]
    args = runs[0].args
    sc_ok = len(args) == 2 and getattr(getattr(args[0], "func", None), "id", "") == "app_context"
    opts_ok = len(args) == 2 and (isinstance(args[1], ast.Name) or _named(args[1], "Options"))
    if not (sc_ok and opts_ok and not runs[0].keywords):
        bad.append(f"not run_<verb>(sc, opts): {ast.unparse(runs[0])}")
    return bad


def test_i16_15_every_command_builds_options_and_calls_run():
    """A command's Typer function only builds a typed options object and calls
    run_<verb>(app_context(ctx), opts): the work is where it can be tested and reused."""
    bad, seen = [], 0
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef) and _is_command(node):
                seen += 1
                problems = _thin_problems(node)
                if problems:
                    bad.append(f"{path.name}:{node.lineno} {node.name}: {problems}")
    assert seen > 60 and not bad, "\n".join(bad)


def test_i16_15_options_objects_are_frozen_dataclasses():
    """A command's options, once built, are what it was given: nothing rewrites them."""
    import dataclasses
    import importlib

    bad, seen = [], 0
    for path in sorted(CLI.glob("*.py")):
        module = importlib.import_module(f"sccli.cli.{path.stem}")
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Options"):
                cls = getattr(module, node.name)
                seen += 1
                if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):
                    bad.append(f"{path.name}: {node.name}")
                elif "__setattr__" not in cls.__dict__:  # frozen in name only
                    bad.append(f"{path.name}: {node.name} (assignable)")
    assert seen > 30 and not bad, (seen, bad)


def test_i16_15_the_thin_command_check_can_fail():
    fat = ast.parse(
        "@command(app, 'x')\n"
        "def x(ctx, n):\n"
        "    'Doc.'\n"
        "    sc = app_context(ctx)\n"
        "    sc.echo(str(n))\n"
    ).body[0]
    thin = ast.parse(
        "@command(app, 'x')\ndef x(ctx, n):\n    run_x(app_context(ctx), XOptions(n))\n"
    ).body[0]
    assert isinstance(fat, ast.FunctionDef) and isinstance(thin, ast.FunctionDef)
    assert _thin_problems(fat) and not _thin_problems(thin)


def test_i16_16_no_command_tests_the_output_mode():
    """The Renderer owns every output decision (items, one, record, report, document...)."""
    bad = []
    for path in sorted(CLI.glob("*.py")):
        if path.name in ("context.py", "output.py"):
            continue
        text = path.read_text()
        for needle in ("plain_table", "wants_document", ".options.", "stdout_tty", ".mode =="):
            if needle in text:
                bad.append(f"{path.name}: {needle}")
    assert not bad, bad


def test_i16_16_batch_reports_follow_the_output_options_not_the_tty(user_sc):
    r = user_sc("like", "300010", "300011", "--ndjson", tty=True)
    assert r.code == 0 and [x["urn"] for x in r.ndjson] == [
        "soundcloud:tracks:300010",
        "soundcloud:tracks:300011",
    ], r
    assert r.stderr == ""


def test_i16_18_a_kind_is_a_type():
    from sccli.core.kinds import PLAYLIST, TRACK, kind_of

    assert kind_of("soundcloud:playlists:9") is PLAYLIST and PLAYLIST.label == "set"
    assert (
        TRACK.path_of("soundcloud:tracks:1", "comments") == "/tracks/soundcloud:tracks:1/comments"
    )
    for name in ("refs.py", "social.py", "resources.py"):
        assert "[:-1]" not in (PKG / "core" / name).read_text(), name
    for name in ("users.py", "tracks.py", "batch.py", "library.py", "social.py", "lists.py"):
        text = (CLI / name).read_text()
        assert "[:-1]" not in text and '== "set"' not in text, name


def test_i16_18_the_sharing_default_is_decided_once():
    from sccli.core.config import resolve_settings

    assert resolve_settings(env={"SC_CONFIG_DIR": "/nonexistent"}).sharing == "private"
    for name in ("tracks.py", "playlists.py"):
        assert '"private"' not in (CLI / name).read_text(), name


def test_i16_19_a_url_is_resolved_once(user_sc, sandbox):
    url = user_sc("tracks", "get", "300010", "--json").json["permalink_url"]
    gets = sandbox.count("GET /tracks/<ref>")
    r = user_sc("comment", url, "at the key change", "--at", "0:10")
    assert r.code == 0, r
    assert sandbox.count("GET /resolve") >= 1
    assert sandbox.count("GET /tracks/<ref>") - gets == 1  # /resolve's answer: the one GET


def test_i16_20_command_modules_import_only_shared_modules():
    """A command's module imports core and cli's shared modules, never another resource's
    command module; and there is no import cycle inside cli/."""
    from sccli.cli.registry import COMMANDS

    commands = {e.module for e in COMMANDS}
    own = {"tracks": {"download"}}  # a group's helper module, its own
    bad = []
    graph = {p.stem: _cli_imports(p) for p in CLI.glob("*.py")}
    for module in sorted(commands):
        for other in graph[module] & commands - {module} - own.get(module, set()):
            bad.append(f"{module} imports {other}")
    assert not bad, bad

    def cycle(start: str, node: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for nxt in graph.get(node, ()):
            if nxt == start:
                return (*seen, nxt)
            if nxt not in seen:
                found = cycle(start, nxt, (*seen, nxt))
                if found:
                    return found
        return None

    cycles = [c for m in graph if (c := cycle(m, m, (m,)))]
    assert not cycles, cycles


def test_i16_20_one_function_for_a_users_lists():
    from sccli.core import library, resources

    assert hasattr(resources, "of_user") and not hasattr(library, "of_user")
    assert not hasattr(resources, "owned")
    assert (PKG / "core" / "users.py").exists()


def test_i16_17_the_factory_builds_each_piece_explicitly_in_order(tmp_path):
    import dataclasses
    import io

    from sccli.cli.context import AppContext, Environment, Streams
    from sccli.core.config import resolve_settings

    environ = {"SC_CONFIG_DIR": str(tmp_path), "SC_SANDBOX": "1", "NO_COLOR": "1"}
    env = Environment(streams=Streams(io.StringIO(), io.StringIO(), io.StringIO()), environ=environ)
    assert "context" not in {f.name for f in dataclasses.fields(Environment)}  # no back pointer
    settings = resolve_settings(env=environ)
    sc = AppContext(env, settings)
    try:
        sc.out  # noqa: B018 - deciding the output starts nothing
        assert sc.factory._sandbox is None and not hasattr(sc, "insecure_storage")
        client = sc.client  # now, in order: sandbox, store, authenticator, Client
        auth = sc.factory.authenticator()
        assert client.tokens is auth  # given to the Client's constructor
        assert auth.client is not client and auth.client.tokens is None  # OAuth's own Client
        assert auth.client.scrub is client.scrub  # one set of secrets to mask
        assert sc.factory._sandbox is not None
        assert sc.settings is settings  # the settings are never swapped behind a command
        assert sc.factory.api_settings().api_url == sc.factory._sandbox.url
        assert client.get("/me")["username"] == "sandbox-user"  # its user, logged in
    finally:
        sc.close()


def test_i16_21_tests_point_sc_at_a_sandbox_one_way():
    tests = Path(__file__).parent
    by_hand = '"SC_API_URL"' + ": sandbox"  # (spelt apart, so this file does not match)
    bad = [
        p.name for p in tests.glob("*.py") if p.name != "conftest.py" and by_hand in p.read_text()
    ]
    assert not bad, bad
    keyring_test = (tests / "test_auth.py").read_text()
    start = keyring_test.index("def test_real_os_keyring")
    body = keyring_test[start : keyring_test.index("\ndef ", start + 1)]
    assert "{sys.executable} -c" in body and "\npython3 " not in body
    # No test's shell script runs a bare python3: without an activated venv it is another one.
    bare = [p.name for p in tests.glob("test_*.py") if "\npython3 -c" in p.read_text()]
    assert not bare, bare
