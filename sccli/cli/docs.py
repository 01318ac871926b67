"""Docs generated from the app itself: the man page (completions come from `completion`)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

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


def walk(group, prefix: str = "sc") -> Iterator[tuple[str, object]]:
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


def man_page() -> str:
    from sccli.cli.app import app

    root = typer.main.get_command(app)
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
    ]
    for p in paras:
        lines += [".PP", esc(p)]
    lines += [
        ".PP",
        esc(
            "Wherever a command takes a TRACK, USER or PLAYLIST it accepts a numeric id, a URN "
            "(soundcloud:tracks:123) or a soundcloud.com URL. Commands that print resources print a "
            "table on a terminal and JSON otherwise; --json, --ndjson, --table, --fields A,B and "
            "--query JMESPATH choose for themselves."
        ),
        ".SH GLOBAL OPTIONS",
        *_option_lines(root),
        ".SH COMMANDS",
    ]
    examples_all: list[str] = []
    for path, cmd in walk(root):
        s, ps, examples = split_help(cmd.help or "")
        lines += [".SS " + esc(path), ".B " + esc(_usage(path, cmd)), ".PP", esc(s)]
        for p in ps:
            lines += [".PP", esc(p)]
        opts = _option_lines(cmd)
        if opts:
            lines += [".PP", "Options:", ".RS", *opts, ".RE"]
        examples_all += examples[:1]
    lines += [".SH ENVIRONMENT"]
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{esc(name)}\\fR", esc(text)]
    lines += [".PP", esc("A flag wins over the environment, the environment over the config file.")]
    lines += [".SH EXIT STATUS"]
    for code, text in EXIT_CODES:
        lines += [".TP", f"\\fB{code}\\fR", esc(text)]
    lines += [".SH FILES"]
    for name, text in FILES:
        lines += [".TP", f"\\fI{esc(name)}\\fR", esc(text)]
    lines += [".SH EXAMPLES"]
    for ex in examples_all:
        lines += [".PP", ".nf", esc(ex), ".fi"]
    lines += [".SH SEE ALSO", "The README of sccli, and \\fBsc COMMAND \\-\\-help\\fR."]
    return "\n".join(lines) + "\n"
