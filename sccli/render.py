"""The one renderer: table, json or ndjson, chosen once per invocation. Data to stdout only."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import IO, Any

from sccli.core.errors import UsageError
from sccli.core.timefmt import format_ms

MODES = ("auto", "table", "json", "ndjson", "tsv")


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
    # A command given several items reports on each (DESIGN.md).
    "item": [("REF", "ref", str), ("OK", "ok", str), ("URN", "urn", str), ("ERROR", "error", str)],
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
    def __init__(
        self,
        mode: str = "auto",
        fields: list[str] | None = None,
        query: str | None = None,
        out: IO[str] | None = None,
        is_tty: bool | None = None,
    ):
        self.out = out or sys.stdout
        tty = self.out.isatty() if is_tty is None else is_tty
        self.is_tty = tty
        self.mode = ("table" if tty else "json") if mode == "auto" else mode
        self.fields = fields or None
        self.query = query
        self._compiled = None
        if query:
            try:
                import jmespath

                self._compiled = jmespath.compile(query)
            except Exception as e:  # jmespath's ParseError and friends
                raise UsageError(f"invalid --query expression: {_one_line(e)}") from None

    # -- shaping ---------------------------------------------------------------------------------
    def _check_fields(self, sample: dict) -> None:
        if not self.fields:
            return
        unknown = [f for f in self.fields if _dig(sample, f) is _MISSING]
        if unknown:
            raise UsageError(
                f"unknown field {unknown[0]!r}; available fields: {', '.join(sorted(sample))}"
            )

    def _pick(self, obj: dict) -> dict:
        if not self.fields or not isinstance(obj, dict):
            return obj
        out: dict = {}
        for f in self.fields:
            value = _dig(obj, f)
            if value is _MISSING:
                continue
            cur = out
            parts = f.split(".")
            for p in parts[:-1]:
                cur = cur.setdefault(p, {})
            cur[parts[-1]] = value
        return out

    def _write_json(self, value: Any) -> None:
        self.out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")

    # -- public ----------------------------------------------------------------------------------
    def items(self, items: Iterable[dict], kind: str | None = None) -> int:
        """A list of resources; JSON and NDJSON stream as pages arrive. Returns the count."""
        it = iter(items)
        if self._compiled is not None:
            data = [self._pick(o) for o in self._checked(it)]
            self._emit_query(data)
            return len(data)
        if self.mode == "table":
            rows = [self._pick(o) for o in self._checked(it)]
            self._table(rows, kind)
            return len(rows)
        if self.mode == "tsv":
            n = 0
            for o in self._checked(it):
                self._tsv_row(self._pick(o), kind)
                n += 1
            return n
        if self.mode == "ndjson":
            n = 0
            for o in self._checked(it):
                self.out.write(json.dumps(self._pick(o), ensure_ascii=False) + "\n")
                self.out.flush()
                n += 1
            return n
        # JSON: one document, written item by item so memory stays flat with --all.
        n = 0
        for o in self._checked(it):
            text = json.dumps(self._pick(o), indent=2, ensure_ascii=False)
            self.out.write(("[\n" if n == 0 else ",\n") + _indent(text))
            n += 1
        self.out.write("[]\n" if n == 0 else "\n]\n")
        self.out.flush()
        return n

    def _checked(self, it: Iterable[dict]) -> Iterable[dict]:
        first = True
        for o in it:
            if first and isinstance(o, dict):
                self._check_fields(o)
                first = False
            yield o

    def one(self, obj: Any, kind: str | None = None) -> None:
        """A single resource (or any JSON value)."""
        if isinstance(obj, dict):
            self._check_fields(obj)
            obj = self._pick(obj)
        if self._compiled is not None:
            self._emit_query(obj)
        elif self.mode == "table" and isinstance(obj, dict):
            self._record(obj, kind)
        elif self.mode == "tsv" and isinstance(obj, dict):
            self._tsv_row(obj, kind)
        elif self.mode == "ndjson":
            self.out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            self._write_json(obj)

    def _emit_query(self, data: Any) -> None:
        result = self._compiled.search(data)  # type: ignore[union-attr]
        if self.mode == "ndjson" and isinstance(result, list):
            for r in result:
                self.out.write(json.dumps(r, ensure_ascii=False) + "\n")
        elif (
            self.mode == "table"
            and isinstance(result, list)
            and all(isinstance(r, dict) for r in result)
        ):
            self._table(result, None)
        else:
            self._write_json(result)

    # -- tables ----------------------------------------------------------------------------------
    def _columns(
        self, kind: str | None, rows: list[dict], raw: bool = False
    ) -> list[tuple[str, Callable[[dict], str]]]:
        if self.fields:
            return [(f.upper(), _getter(f)) for f in self.fields]
        if kind in COLUMNS:
            return [(h, _getter(f, None if raw else fmt)) for h, f, fmt in COLUMNS[kind]]
        keys: list[str] = []
        for r in rows[:50]:
            for k, v in r.items():
                if k not in keys and not isinstance(v, (dict, list)):
                    keys.append(k)
        return [(k.upper(), _getter(k)) for k in keys]

    def _tsv_row(self, obj: dict, kind: str | None) -> None:
        cols = self._columns(kind, [obj], raw=True)
        cells = (get(obj).replace("\t", " ").replace("\n", " ") for _, get in cols)
        self.out.write("\t".join(cells) + "\n")
        self.out.flush()

    # -- rich tables ----------------------------------------------------------------------------------
    def _console(self):
        from rich.console import Console

        return Console(
            file=self.out,
            force_terminal=self.is_tty,
            no_color=bool(os.environ.get("NO_COLOR")) or not self.is_tty,
            highlight=False,
            soft_wrap=False,
            # --table into a pipe: no terminal to fit, so do not squeeze columns to 80.
            width=None if self.is_tty else int(os.environ.get("COLUMNS") or 0) or 200,
        )

    def _table(self, rows: list[dict], kind: str | None) -> None:
        from rich import box
        from rich.table import Table

        cols = self._columns(kind, rows)
        if not rows:
            return
        plain = bool(os.environ.get("NO_COLOR"))
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            header_style="" if plain else "bold",
        )
        for header, _ in cols:
            wrap = header in ("TITLE", "BODY", "NAME", "USER")
            style = "cyan" if header == "URN" and not plain else None
            table.add_column(header, overflow="fold", no_wrap=not wrap, style=style)
        for r in rows:
            table.add_row(*(get(r) for _, get in cols))
        self._console().print(table)

    def _record(self, obj: dict, kind: str | None) -> None:
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        shown = COLUMNS.get(kind or "", []) if not self.fields else []
        for header, field, fmt in shown:
            table.add_row(header.lower(), _getter(field, fmt)(obj))
        done = {field.split(".")[0] for _, field, _ in shown}
        for k, v in obj.items():
            if k in done or isinstance(v, (dict, list)) and kind and not self.fields:
                continue
            table.add_row(k, _cell(v))
        self._console().print(table)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())
