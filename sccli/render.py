"""The one renderer: table, JSON, NDJSON or TSV, as decided once per invocation."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from sccli.core.record import record
from sccli.core.timefmt import display_time, format_ms

MODES = ("table", "json", "ndjson", "tsv")
T = TypeVar("T")


@record
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


def _signed(value: Any) -> str:
    return f"{value:+,}" if isinstance(value, int) else str(value)


def _joined(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _unplayable(value: Any) -> str:
    """A track's access, shown only where it is not the whole track (preview, blocked)."""
    return "" if value == "playable" else str(value)


# Table-only columns, left out when blank in every row (and never in --tsv, whose columns
# must not change from one row to the next).
_WHEN_SET = ("ACCESS",)

# Columns a person wants per resource kind: (header, field, how a table shows it).
# --tsv prints the same fields raw; JSON always carries the API's objects unchanged.
COLUMNS: dict[str, list[tuple[str, str, Callable[[Any], str]]]] = {
    "track": [
        ("URN", "urn", str),
        ("TITLE", "title", str),
        ("USER", "user.username", str),
        ("DURATION", "duration", format_ms),
        ("ACCESS", "access", _unplayable),
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
        ("TYPE", "playlist_type", str),  # set_type is only sent, never answered
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
        ("CREATED", "created_at", display_time),
    ],
    # `sc stats show`: a track's latest counts, and the change of --metric (its trend).
    "stat": [
        ("TITLE", "title", str),
        ("PLAYS", "plays", _thousands),
        ("DAY", "change_day", _signed),
        ("WEEK", "change_week", _signed),
        ("MONTH", "change_month", _signed),
        ("TREND", "trend", str),
        ("LIKES", "likes", _thousands),
        ("REPOSTS", "reposts", _thousands),
        ("COMMENTS", "comments", _thousands),
        ("DOWNLOADS", "downloads", _thousands),
        ("URN", "urn", str),
    ],
    "setting": [
        ("KEY", "key", str),
        ("VALUE", "value", str),
        ("DEFAULT", "default", str),
        ("ORIGIN", "origin", str),
    ],
    "web-profile": [
        ("SERVICE", "service", str),
        ("TITLE", "title", str),
        ("URL", "url", str),
        ("USERNAME", "username", str),
    ],
}


# Which columns matter most, per resource, declared once: on a narrow terminal the last
# give way first (README: PLAYS and LICENSE before the title is cut). Columns not named
# here come after those that are, in the order they are shown.
PRIORITY: dict[str, tuple[str, ...]] = {
    "track": ("URN", "TITLE", "USER", "ACCESS", "DURATION", "LICENSE", "PLAYS"),
    "user": ("URN", "USERNAME", "FOLLOWERS", "TRACKS", "NAME"),
    "playlist": ("URN", "TITLE", "USER", "TRACKS", "TYPE", "DURATION", "SHARING"),
    "comment": ("URN", "BODY", "AT", "USER"),
    "step": ("TARGET", "ACTION", "URN", "TITLE", "FIELDS"),
    "done-step": ("TARGET", "ACTION", "URN", "STATUS", "TITLE", "FIELDS"),
    "activity": ("URN", "TITLE", "TYPE", "USER", "CREATED"),
    "web-profile": ("URL", "SERVICE", "TITLE", "USERNAME"),
    "setting": ("KEY", "VALUE", "ORIGIN", "DEFAULT"),
    "stat": ("TITLE", "PLAYS", "DAY", "WEEK", "TREND", "MONTH", "URN"),
}


# What a list of each kind is called when a person is told it is empty.
PLURAL = {
    "track": "tracks",
    "user": "users",
    "playlist": "sets",
    "comment": "comments",
    "activity": "activities",
    "web-profile": "links",
}


def known_fields(kind: str | None, path: str) -> tuple[str, ...] | None:
    """The fields the last part of a dotted --fields path may name, or None where sc cannot
    tell (a kind without a schema, or a path into something else)."""
    from sccli.core.fields import FIELDS, NESTED, OBSERVED

    parts = path.split(".")
    for part in parts[:-1]:
        kind = NESTED.get(part) if kind in FIELDS and part in FIELDS[kind or ""] else None
    if kind not in FIELDS:
        return None
    own = {f.split(".")[0] for _, f, _ in COLUMNS.get(kind, []) if len(parts) == 1}
    known = FIELDS[kind] + OBSERVED.get(kind, ())
    return known + tuple(sorted(own - set(known)))


def no_match(kind: str, query: str | None) -> str | None:
    """What a person hears when a search finds nothing."""
    return f'No {PLURAL.get(kind, "results")} match "{query}".' if query else None


def priority(kind: str | None, header: str, position: int) -> int:
    """A column's rank in its resource's PRIORITY (lower is kept longer)."""
    order = PRIORITY.get(kind or "", ())
    return order.index(header) if header in order else len(order) + position


def _getter(
    path: str, fmt: Callable[[Any], str] | None = None, *, raw: bool = False
) -> Callable[[dict], str]:
    """`raw`: a value as TSV writes it (booleans as JSON's true/false, not yes/no)."""
    key = path.rsplit(".", 1)[-1]

    def get(obj: dict) -> str:
        value = _dig(obj, path)
        if value is _MISSING or value is None or value == "":
            return ""
        return fmt(value) if fmt else _cell(value, key, raw=raw)

    return get


def _is_time(key: str) -> bool:
    return key.endswith("_at") or key == "last_modified"


def _cell(value: Any, key: str = "", *, raw: bool = False) -> str:
    """A value as text: times in one format whichever the API sent (tables and TSV);
    booleans yes/no for a person, true/false (as JSON has them) for TSV."""
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return ("true" if value else "false") if raw else ("yes" if value else "no")
    if isinstance(value, str) and _is_time(key):
        return display_time(value)
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
            return text.translate(_json_tty())
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
        self,
        items: Iterable[dict],
        kind: str | None = None,
        *,
        limited: int | None = None,
        empty: str | None = None,
        document: bool = False,
    ) -> int:
        """A list of resources; JSON, NDJSON and TSV stream as pages arrive. Returns the count.
        `limited`: the --limit the list was cut at, so a person hears there may be more.
        `empty`: what a person at a terminal is told when there is nothing (a pipe gets
        nothing, or `[]` when --json asked for a document; `document`: always a document,
        as the API's own answer is for `sc api`)."""
        self._check_fields(kind)
        n = self._items(items, kind, limited, document)
        quiet = self.mode != "table" or self._compiled is not None or not self.is_tty
        if n == 0 and not quiet and self.notice:
            self.notice(empty or f"No {PLURAL.get(kind or '', 'results')}.")
        return n

    def _items(
        self, items: Iterable[dict], kind: str | None, limited: int | None, document: bool
    ) -> int:
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
            rows: list[Any] = []
            try:
                rows.extend(self._pick(o) for o in items)
            finally:  # a page that fails half way: show what was read, then the error
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
        # JSON: one document, written item by item so memory stays flat with --all. When a page
        # fails, the document still closes on what was read (the error and exit code follow).
        n = 0
        try:
            for o in items:
                text = self._dumps(self._pick(o), indent=2)
                self.out.write(("[\n" if n == 0 else ",\n") + _indent(text))
                n += 1
        except BaseException:
            if n:  # a failure before any item prints no document at all
                self._write("\n]\n")
            raise
        if n:
            self._write("\n]\n")
        elif document or self.options.requested == "json":  # asked for a document
            self._write("[]\n")
        return n

    def report(
        self,
        outcomes: Iterable[T],
        record: Callable[[T], dict],
        line: Callable[[T], str],
        *,
        single: bool = False,
    ) -> None:
        """Outcomes of a command over several items, each reported as it is known: a line
        each for a person; in a pipe one NDJSON record each; a document or a table when one
        was asked for. `single`: one item, which a pipe hears of only when it asks. Nothing
        is kept here: a caller that needs the outcomes keeps them as they pass."""
        it = iter(outcomes)
        unasked = self.options.requested is None and not self.fields and self.query is None
        try:
            if unasked and (self.mode == "table" or single):
                for o in it:
                    if self.notice:
                        self.notice(line(o))
            elif unasked:  # a pipe's default: one record a line, streamed
                for o in it:
                    self._ndjson_line(record(o))
            else:
                self.items((record(o) for o in it), document=True)
        except BrokenPipeError:
            # The reader left (`sc like - | head -1`): a batch of writes still finishes every
            # item it was given; the reports nobody can read are dropped (README, Pipes).
            for _ in it:
                pass

    def _ndjson_line(self, obj: Any) -> None:
        self._write(self._dumps(obj) + "\n")

    def one(self, obj: Any, kind: str | None = None) -> None:
        """A single resource (or any JSON value)."""
        self._check_fields(kind)
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

    def record(self, obj: dict, kind: str, *, nested: tuple[str, str]) -> None:
        """A resource with a list inside (a set and its tracks): for a person, the record
        and then a table of the list; for a script, the object whole."""
        key, nested_kind = nested
        if not self.options.plain_table:
            self.one(obj, kind)
            return
        self.one({k: v for k, v in obj.items() if k != key}, kind)
        self.items(obj.get(key) or [], nested_kind)

    def document(self, doc: dict, rows: str, kind: str, summary: str) -> None:
        """A document of steps (`release plan`/`push`): a table or TSV has a row per step and
        a person the summary on stderr; JSON, NDJSON and --query get the whole document."""
        if self.mode in ("table", "tsv") and self.query is None:
            self.items(doc[rows], kind)
            if self.mode == "table" and self.notice:
                self.notice(summary)
        else:
            self.one(doc)

    def said(self, obj: dict, lines: list[str]) -> None:
        """A status (`auth status`): a person reads `lines` on stderr; scripts get `obj`."""
        if self.options.plain_table and self.notice:
            for line in lines:
                self.notice(line)
        else:
            self.one(obj)

    def value(self, make: Callable[[], str], doc: Any) -> None:
        """One value (`stream-url`): the line `make` gives, even in a pipe; the whole
        document instead (and `make` never run) when one was asked for (--json, --query)."""
        if self.options.wants_document:
            self.one(doc)
            return
        text = make()
        self._write((safe_text(text) if self.is_tty else text) + "\n")

    def _check_fields(self, kind: str | None) -> None:
        """--fields names the resource's schema does not have are a mistake: say which
        fields there are (a known field one object lacks still prints empty)."""
        from sccli.core.errors import UsageError

        for path in self.fields or ():
            known = known_fields(kind, path)
            if known is not None and path.split(".")[-1] not in known:
                label = {"playlist": "set"}.get(kind or "", kind)
                raise UsageError(
                    f"--fields: a {label} has no field {path!r}",
                    hint="fields: " + ", ".join(known),
                )

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
            return [Column(f.upper(), _getter(f, raw=raw), i) for i, f in enumerate(self.fields)]
        if kind in COLUMNS:
            return [
                Column(h, _getter(f, None if raw else fmt, raw=raw), priority(kind, h, i))
                for i, (h, f, fmt) in enumerate(COLUMNS[kind])
                if not (raw and h in _WHEN_SET)
            ]
        keys: list[str] = []
        for r in rows[:50]:
            for k, v in r.items():
                if k not in keys and not isinstance(v, (dict, list)):
                    keys.append(k)
        return [Column(k.upper(), _getter(k, raw=raw), i) for i, k in enumerate(keys)]

    def _tsv_row(self, obj: dict, kind: str | None) -> None:
        cols = self._columns(kind, [obj], raw=True)
        cells = (_tsv_cell(c.get(obj), self.is_tty) for c in cols)
        self._write("\t".join(cells) + "\n")

    def _width(self) -> int:
        """$COLUMNS when set (as a user or a test asks), else the terminal's own width: an
        interactive shell does not export COLUMNS. Not a terminal: wide, nothing to fit."""
        try:
            width = int(self.environ.get("COLUMNS") or 0)
        except ValueError:
            width = 0
        if width > 0:
            return max(width, 20)
        if not self.is_tty:
            return 200
        return max(terminal_width(self.out) or 80, 20)

    def _table_style(self) -> TableStyle:
        """How this output draws a table's lines: SGR colours only on a colour terminal
        (NO_COLOR, a pipe or a dumb terminal get none), and ASCII rules on a stream that
        cannot encode box drawing."""
        encoding = (getattr(self.out, "encoding", None) or "utf-8").lower()
        term = self.environ.get("TERM", "").lower()
        colour = self.is_tty and not self.environ.get("NO_COLOR") and term not in _DUMB
        return TableStyle(colour=colour, ascii=not encoding.startswith("utf"))

    def _table(self, rows: list[dict], kind: str | None) -> None:
        if not rows:
            return
        cols = self._columns(kind, rows)
        cells = [[safe_text(c.get(r)) for c in cols] for r in rows]
        blank = {  # a column shown only when set, unless --fields asked for it
            i
            for i, c in enumerate(cols)
            if c.header in _WHEN_SET and not self.fields and not any(r[i] for r in cells)
        }
        if blank:
            cols = [c for i, c in enumerate(cols) if i not in blank]
            cells = [[x for i, x in enumerate(r) if i not in blank] for r in cells]
        cols = fit_columns(cols, cells, self._width())
        self.out.writelines(draw_table(cols, cells, self._table_style()))
        self.out.flush()

    def _record(self, obj: dict, kind: str | None) -> None:
        """One resource, a `key  value` line each. A value is never folded (a URL split
        across lines cannot be copied) and no line ends in padding; a value's own line breaks
        (a description's \r\n) are lines under it."""
        shown = [c for c in COLUMNS.get(kind or "", []) if c[0] not in _WHEN_SET]
        shown = shown if not self.fields else []
        rows = [(h.lower(), _getter(f, fmt)(obj)) for h, f, fmt in shown]
        # A field is shown once: under its column's name, or under a key of that name.
        done = {f.split(".")[0] for _, f, _ in shown} | {h.lower() for h, _, _ in shown}
        for k, v in obj.items():
            if k in done or isinstance(v, (dict, list)) and kind and not self.fields:
                continue
            rows.append((k, _cell(v, k)))
        width = max((cell_width(safe_text(k)) for k, _ in rows), default=0)
        bold = self.is_tty and not self.environ.get("NO_COLOR")
        for k, v in rows:
            key = safe_text(k)
            pad = " " * (width - cell_width(key))
            key = f"\x1b[1m{key}\x1b[0m" if bold else key
            first, *more = _lines(v).split("\n")
            self.out.write(f"{key}{pad}  {first}".rstrip() + "\n")
            for line in more:
                self.out.write(f"{' ' * (width + 2)}{line}".rstrip() + "\n")
        self.out.flush()


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
_MAIN_ROOM = 24  # the main text column (a title) is worth this many cells before a low column
_TEXT_ROOM = 16  # another text column (a user name) is shortened to this before the title


def fit_columns(cols: list[Column], cells: list[list[str]], width: int) -> list[Column]:
    """Choose columns by priority and width so no row wraps: drop the least important ones
    while the main text column (the most important shrinkable one: a title) would get less
    than a readable room, then give that column all the room that is left. Widths are
    terminal cells (an emoji or a CJK character takes two)."""
    for i, c in enumerate(cols):
        c.index = i
        c.width = max([cell_width(c.header)] + [cell_width(row[i]) for row in cells])
    natural = {id(c): c.width or 0 for c in cols}
    texts = sorted((c for c in cols if c.header in _SHRINKABLE), key=lambda c: c.priority)
    main = texts[0] if texts else None

    def room(c: Column) -> int:
        if c is main:
            return min(natural[id(c)], _MAIN_ROOM)
        return min(natural[id(c)], _TEXT_ROOM) if c.header in _SHRINKABLE else natural[id(c)]

    keep = list(cols)
    while True:
        _allot(keep, main, room, natural, width)
        if len(keep) > 1 and min(c.width or 0 for c in keep) <= 1:
            keep.remove(max(keep, key=lambda c: c.priority))  # a column of "…" says nothing
            continue
        return keep


def _allot(
    keep: list[Column],
    main: Column | None,
    room: Callable[[Column], int],
    natural: dict[int, int],
    width: int,
) -> None:
    """fit_columns' widths for the columns in `keep` (dropping the least important while
    more than two do not fit at their readable room)."""
    while sum(map(room, keep)) + _GAP * (len(keep) - 1) > width and len(keep) > 2:
        keep.remove(max((c for c in keep if c is not main), key=lambda c: c.priority))
    spare = width - _GAP * (len(keep) - 1)
    for c in keep:  # other text columns give way to the main one first
        if c is not main:
            c.width = room(c)
            spare -= c.width
    if main is not None and main in keep:
        main.width = max(min(natural[id(main)], spare), 1)
        spare -= main.width
    for c in sorted(keep, key=lambda c: c.priority):  # room left over: back to the others
        if c is not main and spare > 0 and natural[id(c)] > (c.width or 0):
            grow = min(spare, natural[id(c)] - (c.width or 0))
            c.width = (c.width or 0) + grow
            spare -= grow
    # Last resort, on a terminal too narrow for even two columns: the widest give a cell
    # each in turn, so no row wraps.
    excess = sum(c.width or 0 for c in keep) + _GAP * (len(keep) - 1) - width
    while excess > 0:
        widest = max(keep, key=lambda c: c.width or 0)
        if (widest.width or 0) <= 1:
            break
        widest.width = (widest.width or 0) - 1
        excess -= 1


@record
class TableStyle:
    colour: bool = False  # bold headers and cyan URNs (SGR sequences)
    ascii: bool = False  # `-`, `+` and `|` for a stream that cannot encode box drawing


_DUMB = ("dumb", "unknown")  # terminals that take no SGR sequences
_SGR_BOLD, _SGR_CYAN, _SGR_RESET = "\x1b[1m", "\x1b[36m", "\x1b[0m"


def draw_table(cols: list[Column], cells: list[list[str]], style: TableStyle) -> Iterator[str]:
    """The lines of a table of `cells` (already safe text) in the columns `fit_columns` kept,
    each cell padded or cut with an ellipsis to its column's width: the header, a rule, a
    line per row. Plain string work, a row at a time: rich's Table drew the same bytes
    (tests/test_render.py compares them) at a cost per cell that a 2,000-row table felt."""
    widths = [c.width or 1 for c in cols]
    last = len(cols) - 1
    divider = "|" if style.ascii else " "
    header = [fit_cell(c.header, w) for c, w in zip(cols, widths, strict=True)]
    if style.colour:  # styled as rich styles them: each cell and each padding apart
        bold = [_sgr(_SGR_BOLD, h, i, last) for i, h in enumerate(header)]
        yield divider.join(bold) + "\n"
    else:
        yield f" {divider} ".join(header) + "\n"
    if style.ascii:
        yield "+".join("-" * (w + (i > 0) + (i < last)) for i, w in enumerate(widths)) + "\n"
    else:
        yield "─" * (sum(widths) + _GAP * last) + "\n"
    cyan = {i for i, c in enumerate(cols) if c.header == "URN"} if style.colour else set()
    joint = f" {divider} "
    for row in cells:
        line = [fit_cell(row[c.index], w) for c, w in zip(cols, widths, strict=True)]
        if cyan:
            parts = [
                _sgr(_SGR_CYAN, x, i, last) if i in cyan else _pad(x, i, last)
                for i, x in enumerate(line)
            ]
            yield divider.join(parts) + "\n"
        else:
            yield joint.join(line) + "\n"


def _pad(text: str, i: int, last: int) -> str:
    """A cell with the space each side that separates it from its neighbours."""
    return (" " if i > 0 else "") + text + (" " if i < last else "")


def _sgr(code: str, text: str, i: int, last: int) -> str:
    """A styled cell: the text and each padding space styled apart, as rich writes it."""
    left = f"{code} {_SGR_RESET}" if i > 0 else ""
    right = f"{code} {_SGR_RESET}" if i < last else ""
    return f"{left}{code}{text}{_SGR_RESET}{right}"


def fit_cell(text: str, width: int) -> str:
    """`text` at exactly `width` terminal cells: padded with spaces, or cut with an ellipsis
    (a double-width character that would straddle the cut becomes a space)."""
    if text.isascii() and text.isprintable():  # the common case: one cell a character
        n = len(text)
        return text + " " * (width - n) if n <= width else text[: width - 1] + "…"
    from rich.cells import set_cell_size

    n = cell_width(text)
    return text + " " * (width - n) if n <= width else set_cell_size(text, width - 1) + "…"


def cell_width(text: str) -> int:
    """Terminal cells a text takes (an emoji or a CJK character takes two)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def terminal_width(stream: IO[str]) -> int | None:
    """The width of the terminal a stream writes to, or None when it is not one."""
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None


@functools.cache
def _control() -> dict[int, str]:
    """safe_text's table, built on first use (its 2,000 surrogates cost a start-up 1 ms)."""
    table = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
    table.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
    # Bidirectional overrides can disguise text on a terminal as surely as escape sequences.
    table.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
    # Lone surrogates (bytes that were not UTF-8) cannot be written to a UTF-8 terminal at all.
    table.update({c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)})
    return table


@functools.cache
def _json_tty() -> dict[int, str]:
    """What JSON leaves raw (it escapes every control below 0x20 itself) but a terminal obeys."""
    raw = (0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    return {c: f"\\u{c:04x}" for c in (*raw, *range(0xD800, 0xE000))}


_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|\r|\n")


def safe_text(text: str) -> str:
    """Text for a terminal: control characters shown escaped, never interpreted."""
    return text.translate(_control())


def _lines(text: str) -> str:
    """A record view's value: its line breaks (\r\n, \r or \n) as lines, all else escaped."""
    return "\n".join(safe_text(line) for line in _LINE_BREAK.split(text))


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
