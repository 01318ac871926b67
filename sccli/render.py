"""The one renderer: table, JSON, NDJSON or TSV, as decided once per invocation."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sccli.core.timefmt import format_ms

MODES = ("table", "json", "ndjson", "tsv")


@dataclass(frozen=True)
class OutputOptions:
    mode: str  # table | json | ndjson | tsv, already decided from flags, config and the TTY
    requested: str | None = None  # the mode a flag or the config asked for, if any
    fields: tuple[str, ...] = ()
    query: str | None = None
    raw: bool = False

    @property
    def plain_table(self) -> bool:
        """A person's view: a table with no --fields or --query reshaping it."""
        return self.mode == "table" and not self.fields and not self.query

    @property
    def wants_document(self) -> bool:
        """A script asked for the whole JSON (not merely a pipe's default)."""
        return self.requested in ("json", "ndjson") or self.query is not None

    @classmethod
    def decide(
        cls,
        *,
        default: str = "auto",
        stdout_tty: bool = False,
        json: bool = False,
        ndjson: bool = False,
        table: bool = False,
        tsv: bool = False,
        fields: str | None = None,
        query: str | None = None,
        raw: bool = False,
    ) -> OutputOptions:
        from sccli.core.errors import UsageError

        flags = {"json": json, "ndjson": ndjson, "table": table, "tsv": tsv}
        chosen = [m for m, on in flags.items() if on]
        if len(chosen) > 1:
            raise UsageError("choose one of --json, --ndjson, --table and --tsv")
        requested = chosen[0] if chosen else (default if default in MODES else None)
        mode = requested or ("table" if stdout_tty else "json")
        names = tuple(f.strip() for f in (fields or "").split(",") if f.strip())
        if fields is not None and not names:
            raise UsageError("--fields needs at least one field name, e.g. --fields urn,title")
        if query is not None:
            _check_query(query)
        if raw and query is None and len(names) != 1:
            raise UsageError("--raw needs --query or a single --fields name")
        return cls(mode, requested, names, query, raw)


def _check_query(query: str) -> None:
    from sccli.core.errors import UsageError

    try:
        import jmespath

        jmespath.compile(query)
    except Exception as e:  # jmespath's ParseError, LexerError and friends
        detail = " ".join(str(e).split())
        raise UsageError(
            f"invalid --query: {detail}",
            hint="--query takes a JMESPath expression such as '[].title'; "
            "search words go before the options",
        ) from None


def _dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


_MISSING = object()


def _thousands(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _joined(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


# Columns a person wants per resource kind: (header, field, how a table shows it).
# --tsv prints the same fields raw; JSON always carries the API's objects unchanged.
COLUMNS: dict[str, list[tuple[str, str, Callable[[Any], str]]]] = {
    "track": [
        ("URN", "urn", str),
        ("TITLE", "title", str),
        ("USER", "user.username", str),
        ("DURATION", "duration", format_ms),
        ("LICENSE", "license", str),
        ("PLAYS", "playback_count", _thousands),
    ],
    "user": [
        ("URN", "urn", str),
        ("USERNAME", "username", str),
        ("NAME", "full_name", str),
        ("FOLLOWERS", "followers_count", _thousands),
        ("TRACKS", "track_count", _thousands),
    ],
    "playlist": [
        ("URN", "urn", str),
        ("TITLE", "title", str),
        ("USER", "user.username", str),
        ("TYPE", "set_type", str),
        ("TRACKS", "track_count", _thousands),
        ("DURATION", "duration", format_ms),
        ("SHARING", "sharing", str),
    ],
    "comment": [
        ("URN", "urn", str),
        ("AT", "timestamp", format_ms),
        ("USER", "user.username", str),
        ("BODY", "body", str),
    ],
    # `sc release plan` and `push`: one step each.
    "step": [
        ("TARGET", "target", str),
        ("ACTION", "action", str),
        ("FIELDS", "fields", _joined),
        ("TITLE", "title", str),
        ("URN", "urn", str),
    ],
    "done-step": [
        ("TARGET", "target", str),
        ("ACTION", "action", str),
        ("FIELDS", "fields", _joined),
        ("TITLE", "title", str),
        ("URN", "urn", str),
        ("STATUS", "status", str),
    ],
    # A feed item: what happened, and the track or set it happened to (its `origin`).
    "activity": [
        ("TYPE", "type", str),
        ("URN", "origin.urn", str),
        ("TITLE", "origin.title", str),
        ("USER", "origin.user.username", str),
        ("CREATED", "created_at", str),
    ],
    "web-profile": [
        ("SERVICE", "service", str),
        ("TITLE", "title", str),
        ("URL", "url", str),
        ("USERNAME", "username", str),
    ],
}


def _getter(path: str, fmt: Callable[[Any], str] | None = None) -> Callable[[dict], str]:
    def get(obj: dict) -> str:
        value = _dig(obj, path)
        if value is _MISSING or value is None or value == "":
            return ""
        return fmt(value) if fmt else _cell(value)

    return get


def _cell(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class Renderer:
    """Prints what a command returns, as OutputOptions decided. Data goes to `out` only."""

    def __init__(
        self,
        options: OutputOptions,
        out: IO[str],
        *,
        is_tty: bool = False,
        environ: Mapping[str, str] | None = None,
        notice: Callable[[str], None] | None = None,
    ):
        self.options = options
        self.notice = notice
        self.out = out
        self.is_tty = is_tty
        self.environ = environ if environ is not None else {}
        self.mode = options.mode
        self.fields = list(options.fields) or None
        self.query = options.query
        self._compiled = None
        if options.query is not None:
            import jmespath

            self._compiled = jmespath.compile(options.query)  # checked when decided

    # -- shaping ---------------------------------------------------------------------------------
    def _pick(self, obj: Any) -> Any:
        """--fields: keep only these keys; one merely absent from this object comes out null."""
        if not self.fields or not isinstance(obj, dict):
            return obj
        out: dict = {}
        for f in self.fields:
            value = _dig(obj, f)
            cur = out
            parts = f.split(".")
            for p in parts[:-1]:
                cur = cur.setdefault(p, {})
            cur[parts[-1]] = None if value is _MISSING else value
        return out

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def _dumps(self, value: Any, indent: int | None = None) -> str:
        """JSON; on a terminal the characters JSON may carry raw but a terminal would obey (C1
        controls such as the one-byte CSI, bidirectional overrides) are written as \\u
        escapes: the same JSON value, exact, and nothing for the terminal to act on."""
        text = json.dumps(value, indent=indent, ensure_ascii=False)
        if self.is_tty:
            return text.translate(_JSON_TTY)
        # A lone surrogate (bytes that were not UTF-8) cannot be written as UTF-8: \\u it.
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    def _write_json(self, value: Any) -> None:
        self._write(self._dumps(value, indent=2) + "\n")

    def _write_raw(self, value: Any) -> None:
        """-r: strings bare (like jq -r), a list's strings one a line, anything else as JSON."""
        values = value if isinstance(value, list) else [value]
        for v in (None if v is _MISSING else v for v in values):  # --fields of an absent key
            line = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            self._write((safe_text(line) if self.is_tty else line) + "\n")

    # -- public ----------------------------------------------------------------------------------
    def items(
        self, items: Iterable[dict], kind: str | None = None, *, limited: int | None = None
    ) -> int:
        """A list of resources; JSON, NDJSON and TSV stream as pages arrive. Returns the count.
        `limited`: the --limit the list was cut at, so a person hears there may be more."""
        if self._compiled is not None:
            self._check_list_query()
            data = [self._pick(o) for o in items]
            self._emit_query(data)
            return len(data)
        if self.options.raw:
            n = 0
            for o in items:
                self._write_raw(_dig(o, self.fields[0]) if self.fields else o)
                n += 1
            return n
        if self.mode == "table":
            rows = [self._pick(o) for o in items]
            self._table(rows, kind)
            if limited and len(rows) >= limited and self.is_tty and self.notice:
                self.notice(f"showing the first {limited}; more results: use --limit N or --all")
            return len(rows)
        writers = {"tsv": lambda o: self._tsv_row(o, kind), "ndjson": self._ndjson_line}
        if self.mode in writers:
            n = 0
            for o in items:
                writers[self.mode](self._pick(o))
                n += 1
            return n
        # JSON: one document, written item by item so memory stays flat with --all.
        n = 0
        for o in items:
            text = self._dumps(self._pick(o), indent=2)
            self.out.write(("[\n" if n == 0 else ",\n") + _indent(text))
            n += 1
        self._write("[]\n" if n == 0 else "\n]\n")
        return n

    def _ndjson_line(self, obj: Any) -> None:
        self._write(self._dumps(obj) + "\n")

    def one(self, obj: Any, kind: str | None = None) -> None:
        """A single resource (or any JSON value)."""
        obj = self._pick(obj)
        if self._compiled is not None:
            self._emit_query(obj)
        elif self.options.raw:
            self._write_raw(_dig(obj, self.fields[0]) if self.fields else obj)
        elif self.mode == "table" and isinstance(obj, dict):
            self._record(obj, kind)
        elif self.mode == "tsv" and isinstance(obj, dict):
            self._tsv_row(obj, kind)
        elif self.mode == "ndjson":
            self._ndjson_line(obj)
        else:
            self._write_json(obj)

    def _check_list_query(self) -> None:
        """A bare name on a list is always null: most likely search words given to --query."""
        from sccli.core.errors import UsageError

        parsed = self._compiled.parsed  # type: ignore[union-attr]
        if parsed.get("type") == "field":
            name = parsed.get("value")
            raise UsageError(
                f"--query takes a JMESPath expression, and {self.query!r} picks a key from a "
                "list, which is always null",
                hint=f"words to search for go before the options; each item's {name} is "
                f"--query '[].{name}'",
            )

    def _emit_query(self, data: Any) -> None:
        from sccli.core.errors import UsageError

        try:
            result = self._compiled.search(data)  # type: ignore[union-attr]
        except Exception as e:  # a JMESPath run-time error: wrong type, unknown function
            raise UsageError(f"--query failed: {_query_error(e)}") from None
        try:
            json.dumps(result, allow_nan=False, default=str)
        except ValueError:  # sum() of floats near 1e308: Infinity, which JSON cannot hold
            raise UsageError(f"--query {self.query!r} gives a number JSON cannot hold") from None
        if _has_expref(self._compiled.parsed):  # type: ignore[union-attr]
            try:
                json.dumps(result)  # `&title` outside a function is an expression, no value
            except TypeError:
                raise UsageError(
                    f"--query {self.query!r} gives an expression reference (&...), not a value",
                    hint="use &field inside a function, as in sort_by(@, &title)",
                ) from None
        if self.options.raw:
            self._write_raw(result)
        elif self.mode == "ndjson" and isinstance(result, list):
            for r in result:
                self._ndjson_line(r)
        elif (
            self.mode == "table"
            and isinstance(result, list)
            and all(isinstance(r, dict) for r in result)
        ):
            self._table(result, None)
        else:
            self._write_json(result)

    # -- tables ----------------------------------------------------------------------------------
    def _columns(self, kind: str | None, rows: list[dict], raw: bool = False) -> list[Column]:
        if self.fields:
            return [Column(f.upper(), _getter(f)) for f in self.fields]
        if kind in COLUMNS:
            return [
                Column(h, _getter(f, None if raw else fmt), prio)
                for prio, (h, f, fmt) in enumerate(COLUMNS[kind])
            ]
        keys: list[str] = []
        for r in rows[:50]:
            for k, v in r.items():
                if k not in keys and not isinstance(v, (dict, list)):
                    keys.append(k)
        return [Column(k.upper(), _getter(k), i) for i, k in enumerate(keys)]

    def _tsv_row(self, obj: dict, kind: str | None) -> None:
        cols = self._columns(kind, [obj], raw=True)
        cells = (_tsv_cell(c.get(obj), self.is_tty) for c in cols)
        self._write("\t".join(cells) + "\n")

    def _width(self) -> int:
        try:
            width = int(self.environ.get("COLUMNS") or 0)
        except ValueError:
            width = 0
        if width <= 0:  # unset, or no width at all
            return 80 if self.is_tty else 200
        return max(width, 20)

    def _console(self) -> Any:
        from rich.console import Console

        return Console(
            file=self.out,
            force_terminal=self.is_tty,
            no_color=bool(self.environ.get("NO_COLOR")) or not self.is_tty,
            highlight=False,
            soft_wrap=False,
            width=self._width(),
        )

    def _table(self, rows: list[dict], kind: str | None) -> None:
        from rich import box
        from rich.table import Table

        if not rows:
            return
        cells = [[safe_text(c.get(r)) for c in self._columns(kind, rows)] for r in rows]
        cols = fit_columns(self._columns(kind, rows), cells, self._width())
        plain = bool(self.environ.get("NO_COLOR"))
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            header_style="" if plain else "bold",
        )
        for col in cols:
            style = "cyan" if col.header == "URN" and not plain else None
            table.add_column(
                col.header, no_wrap=True, overflow="ellipsis", max_width=col.width, style=style
            )
        for row in cells:
            table.add_row(*(row[c.index] for c in cols))
        self._console().print(table)

    def _record(self, obj: dict, kind: str | None) -> None:
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        shown = COLUMNS.get(kind or "", []) if not self.fields else []
        for header, field_, fmt in shown:
            table.add_row(header.lower(), safe_text(_getter(field_, fmt)(obj)))
        done = {f.split(".")[0] for _, f, _ in shown}
        for k, v in obj.items():
            if k in done or isinstance(v, (dict, list)) and kind and not self.fields:
                continue
            table.add_row(safe_text(k), safe_text(_cell(v)))
        self._console().print(table)


@dataclass
class Column:
    header: str
    get: Callable[[dict], str]
    priority: int = 0  # lower is more important: dropped last
    index: int = 0
    width: int | None = None


# Columns that may be shortened with an ellipsis, rather than dropped, when space is short.
_SHRINKABLE = ("TITLE", "BODY", "NAME", "USER", "USERNAME")
_GAP = 3  # between two columns of the table: a space of padding each side of a blank rule


def fit_columns(cols: list[Column], cells: list[list[str]], width: int) -> list[Column]:
    """Choose columns by priority and width so no row wraps: drop the least important ones
    first, then shorten text columns with an ellipsis. Widths are terminal cells (an emoji
    or a CJK character takes two)."""
    from rich.cells import cell_len

    for i, c in enumerate(cols):
        c.index = i
        c.width = max([cell_len(c.header)] + [cell_len(row[i]) for row in cells])
    keep = list(cols)

    def total() -> int:
        return sum(c.width or 0 for c in keep) + _GAP * (len(keep) - 1)

    def shrinkable() -> list[Column]:
        return [c for c in keep if c.header in _SHRINKABLE]

    while total() > width:
        spare = sum(max((c.width or 0) - 12, 0) for c in shrinkable())
        if total() - spare <= width or len(keep) <= 2:
            break
        keep.remove(max(keep, key=lambda c: c.priority))
    over = total() - width
    for c in sorted(shrinkable(), key=lambda c: -(c.width or 0)):
        if over <= 0:
            break
        cut = min(over, max((c.width or 0) - 12, 0))
        c.width = (c.width or 0) - cut
        over -= cut
    return keep


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_CONTROL.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
# Bidirectional overrides can disguise text on a terminal as surely as escape sequences.
_CONTROL.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
# Lone surrogates (bytes that were not UTF-8) cannot be written to a UTF-8 terminal at all.
_CONTROL.update({c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)})


# JSON escapes every control below 0x20 itself; these it leaves raw.
_JSON_TTY = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F))}
_JSON_TTY.update({c: f"\\u{c:04x}" for c in (*range(0x2066, 0x206A), *range(0xD800, 0xE000))})
_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text for a terminal: control characters shown escaped, never interpreted."""
    return text.translate(_CONTROL)


def _tsv_cell(text: str, tty: bool = False) -> str:
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return safe_text(text) if tty else text


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())


def _has_expref(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    return node.get("type") == "expref" or any(_has_expref(c) for c in node.get("children", []))


def _query_error(e: Exception) -> str:
    """A JMESPath run-time error in one short line: its type errors quote the whole value."""
    expected = getattr(e, "expected_types", None)
    if expected and getattr(e, "function_name", None):
        got = getattr(e, "actual_type", "?")
        got = {"dict": "object", "list": "array", "str": "string", "bool": "boolean"}.get(got, got)
        return f"{e.function_name}() takes {' or '.join(expected)}, not {got}"  # type: ignore[attr-defined]
    text = _one_line(e)
    return text if len(text) <= 200 else text[:200] + "…"
