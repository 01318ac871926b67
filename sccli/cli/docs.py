"""Docs generated from the app itself: the man page (completions come from `completion`)."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import typer

from sccli import __version__

DATE = "2026-11-23"  # bump with releases; fixed so generation is reproducible

ENVIRONMENT = [
    ("SC_PROFILE", "Which stored login and settings to use (default: default)."),
    ("SC_API_URL", "API base URL (default: https://api.soundcloud.com)."),
    ("SC_AUTH_URL", "OAuth base URL (default: https://secure.soundcloud.com)."),
    ("SC_SANDBOX", "Set to 1 to run against the embedded sandbox."),
    ("SC_DEBUG", "Set to 1 to log each HTTP exchange to stderr, secrets redacted."),
    ("SC_ACCESS_TOKEN", "Use this access token; no store is read or written."),
    ("SC_CLIENT_ID, SC_CLIENT_SECRET", "The app's credentials (client credentials, refresh)."),
    ("SC_TOKEN_FILE", "Keep the token in this file instead of the OS keyring (for CI)."),
    ("SC_CONFIG_DIR", "Config and data directory (default: the platform's user directories)."),
    (
        "SC_TIMEOUT",
        "Seconds one exchange with the API may take, connect to last byte (default: 60; "
        "uploads get this plus their size at 256 KB/s). Past it: exit 6.",
    ),
    ("NO_COLOR", "Disable colour."),
]
EXIT_CODES = [
    ("0", "Success (an empty search is a success)."),
    ("1", "API or other error."),
    ("2", "Usage error or invalid input (bad option, missing file, unsupported format)."),
    ("3", "Not found."),
    ("4", "Authentication needed or refused (run sc auth login)."),
    ("5", "Rate limited, after retries (the message says when to try again)."),
    ("6", "Network error or timeout."),
    ("130", "Interrupted."),
]
FILES = [
    ("$SC_CONFIG_DIR/config.ini", "Settings, one section per profile (see sc config path)."),
    ("$SC_CONFIG_DIR/tokens/PROFILE.json", "Tokens kept with --insecure-storage, mode 0600."),
    ("$SC_CONFIG_DIR/sandbox/", "State of the embedded sandbox."),
    ("release.toml", "A release's manifest (sc release init writes one)."),
    (
        "release.lock.json",
        "Beside the manifest: the URNs and file hashes sc release push found or made; a cache, "
        "safe to delete.",
    ),
]


def esc(text: str) -> str:
    out = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in out.split("\n"))


def split_help(text: str) -> tuple[str, list[str], list[str]]:
    """(summary, description paragraphs, example command lines) from a command's docstring."""
    text = (text or "").replace("\b", "").strip()  # click's no-rewrap marker
    examples: list[str] = []
    if "Examples:" in text:
        text, _, ex = text.partition("Examples:")
        examples = [line.strip()[2:] for line in ex.splitlines() if line.strip().startswith("$ ")]
    paras = [" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip()]
    return (paras[0] if paras else ""), paras[1:], examples


def walk(group: Any, prefix: str = "sc") -> Iterator[tuple[str, Any]]:
    for name in group.commands:
        cmd = group.commands[name]
        if getattr(cmd, "hidden", False):
            continue
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            yield from walk(cmd, path)
        else:
            yield path, cmd


def _usage(path: str, cmd) -> str:
    args = " ".join(_arg_name(p) for p in cmd.params if p.param_type_name == "argument")
    return f"{path} [OPTIONS] {args}".strip()


def _arg_name(p) -> str:
    name = p.metavar or p.name.upper()
    if getattr(p, "nargs", 1) == -1:
        name += "..."
    return name if p.required else f"[{name}]"


def _option_lines(cmd) -> list[str]:
    lines = []
    for p in cmd.params:
        if p.param_type_name != "option" or getattr(p, "hidden", False) or p.name == "help":
            continue
        names = ", ".join(p.opts + list(p.secondary_opts or []))
        meta = "" if p.is_flag or p.count else f" {p.metavar or _type_meta(p)}"
        lines += [
            ".TP",
            f"\\fB{esc(names)}\\fR{esc(meta)}",
            esc(p.help or ""),
        ]
    return lines


def _type_meta(p) -> str:
    ann = p.type_descriptor.annotation
    if typing.get_origin(ann) is typing.Union:  # Optional[X]
        ann = next(a for a in typing.get_args(ann) if a is not type(None))
    if typing.get_origin(ann) is typing.Literal:
        return "{" + "|".join(map(str, typing.get_args(ann))) + "}"
    return p.name.upper()


def _command_section(path: str, cmd) -> tuple[list[str], list[str]]:
    """One command's .SS section, and its examples."""
    summary, paras, examples = split_help(cmd.help or "")
    lines = [".SS " + esc(path), ".B " + esc(_usage(path, cmd)), ".PP", esc(summary)]
    for p in paras:
        lines += [".PP", esc(p)]
    opts = _option_lines(cmd)
    if opts:
        lines += [".PP", "Options:", ".RS", *opts, ".RE"]
    return lines, examples


def _examples(examples: list[str]) -> list[str]:
    lines = [".SH EXAMPLES"]
    for ex in examples:
        lines += [".PP", ".nf", esc(ex), ".fi"]
    return lines


def _group_page(name: str, group) -> str:
    summary, paras, _ = split_help(group.help or "")
    lines = [
        f'.TH SC\\-{name.upper()} 1 "{DATE}" "sccli {__version__}" "User Commands"',
        ".SH NAME",
        f"sc\\-{name} \\- {esc(summary[:1].lower() + summary[1:].rstrip('.'))}",
        ".SH SYNOPSIS",
        f".B sc {name}",
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        esc(summary),
        *[x for p in paras for x in (".PP", esc(p))],
        ".PP",
        esc("Global options, the environment, files and exit status are described in sc(1)."),
        ".SH COMMANDS",
    ]
    examples: list[str] = []
    for path, cmd in walk(group, f"sc {name}"):
        section, ex = _command_section(path, cmd)
        lines += section
        examples += ex
    lines += _examples(examples)
    lines += [".SH SEE ALSO", "\\fBsc\\fR(1)"]
    return "\n".join(lines) + "\n"


def man_pages() -> dict[str, str]:
    """sc.1 for the tool and its top-level commands, and sc-GROUP.1 for each command group."""
    from sccli.cli.app import command

    root = command()
    assert isinstance(root, typer.core.TyperGroup)
    groups = {n: c for n, c in root.commands.items() if isinstance(c, typer.core.TyperGroup)}
    summary, paras, _ = split_help(root.help or "")
    lines = [
        f'.TH SC 1 "{DATE}" "sccli {__version__}" "User Commands"',
        ".SH NAME",
        "sc \\- work with SoundCloud from the command line",
        ".SH SYNOPSIS",
        ".B sc",
        "[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        esc(summary),
        *[x for p in paras for x in (".PP", esc(p))],
        ".PP",
        esc(
            "Wherever a command takes a TRACK, USER or PLAYLIST it accepts a numeric id, a URN "
            "(soundcloud:tracks:123) or a soundcloud.com URL. Commands that print resources print a "
            "table on a terminal and JSON otherwise; --json, --ndjson, --table, --tsv, --fields A,B "
            "and --query JMESPATH choose for themselves."
        ),
        ".SH GLOBAL OPTIONS",
        *_option_lines(root),
        ".SH COMMAND GROUPS",
    ]
    for name, group in groups.items():
        group_summary = split_help(group.help or "")[0]
        lines += [".TP", f"\\fBsc {name}\\fR", f"{esc(group_summary)} See \\fBsc\\-{name}\\fR(1)."]
    lines += [".SH COMMANDS"]
    examples: list[str] = []
    for name, cmd in root.commands.items():
        if name in groups or getattr(cmd, "hidden", False):
            continue
        section, ex = _command_section(f"sc {name}", cmd)
        lines += section
        examples += ex[:1]
    for name, group in groups.items():
        examples += [
            e for _, c in walk(group, f"sc {name}") for e in split_help(c.help or "")[2][:1]
        ][:2]
    lines += [".SH ENVIRONMENT"]
    for env_name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{esc(env_name)}\\fR", esc(text)]
    lines += [".PP", esc("A flag wins over the environment, the environment over the config file.")]
    lines += [".SH EXIT STATUS"]
    for code, text in EXIT_CODES:
        lines += [".TP", f"\\fB{code}\\fR", esc(text)]
    lines += [".SH FILES"]
    for file_name, text in FILES:
        lines += [".TP", f"\\fI{esc(file_name)}\\fR", esc(text)]
    lines += _examples(examples)
    see = ", ".join(f"\\fBsc\\-{n}\\fR(1)" for n in groups)
    lines += [".SH SEE ALSO", see + ", and \\fBsc COMMAND \\-\\-help\\fR."]
    pages = {"sc.1": "\n".join(lines) + "\n"}
    pages.update({f"sc-{n}.1": _group_page(n, g) for n, g in groups.items()})
    return pages
