"""Unit tests of the renderer (DESIGN: unit tests per module): each output operation in each
mode, on a StringIO standing in for the terminal or the pipe."""

from __future__ import annotations

import io
import json
import re

import pytest

from sccli.render import Column, OutputOptions, Renderer, fit_columns

TRACKS = [
    {
        "urn": f"soundcloud:tracks:{300000 + i}",
        "title": f"Buskers at the harbour number {i}",
        "user": {"username": "northern-canal-1"},
        "duration": 61000,
        "license": "cc-by-sa",
        "playback_count": 1234,
    }
    for i in range(3)
]


def renderer(mode: str = "table", *, tty: bool = True, width: int = 80, **opts):
    out, said = io.StringIO(), []
    options = OutputOptions.decide(stdout_tty=tty, **({mode: True} if mode else {}), **opts)
    env = {"NO_COLOR": "1", "COLUMNS": str(width)}
    return Renderer(options, out, is_tty=tty, environ=env, notice=said.append), out, said


def test_i16_21_tables_keep_the_title_before_low_value_columns():
    r, out, _ = renderer(width=80)
    r.items(TRACKS, "track")
    header = out.getvalue().splitlines()[0].split()
    assert header[:2] == ["URN", "TITLE"] and "LICENSE" not in header and "PLAYS" not in header
    assert "Buskers at the harbour number 0" in out.getvalue()


def test_i16_21_fit_columns_gives_the_rest_to_the_title():
    cols = [Column(h, lambda r: "", p) for p, h in enumerate(("URN", "TITLE", "PLAYS"))]
    cells = [["soundcloud:tracks:1", "T" * 100, "1"]]
    kept = fit_columns(cols, cells, 60)
    assert [c.header for c in kept] == ["URN", "TITLE", "PLAYS"]
    assert sum(c.width or 0 for c in kept) + 3 * 2 == 60


def test_i16_21_an_empty_list_by_mode():
    r, out, said = renderer()
    r.items([], "track", empty='No tracks match "x".')
    assert out.getvalue() == "" and said == ['No tracks match "x".']
    r, out, said = renderer(None, tty=False)  # a pipe's default
    r.items([], "track")
    assert out.getvalue() == "" and said == []
    r, out, _ = renderer("json", tty=False)
    r.items([], "track")
    assert out.getvalue() == "[]\n"


def test_i16_21_a_record_is_key_value_lines():
    r, out, _ = renderer(width=40)
    r.one({**TRACKS[0], "permalink_url": "https://soundcloud.com/" + "x" * 60}, "track")
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["urn", "soundcloud:tracks:300000"]
    assert any(line.endswith("x" * 60) for line in lines)
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize(
    "mode, tty, want",
    [
        (None, True, "lines"),  # a person: a line each on stderr
        (None, False, "ndjson"),  # a pipe: a record each, streamed
        ("json", False, "document"),
        ("table", False, "table"),
    ],
)
def test_i16_21_a_report_of_outcomes_by_mode(mode, tty, want):
    r, out, said = renderer(mode, tty=tty)
    outcomes = [("a", True), ("b", False)]
    r.report(
        iter(outcomes),
        lambda o: {"ref": o[0], "ok": o[1]},
        lambda o: f"{'done' if o[1] else 'error'}: {o[0]}",
    )
    text = out.getvalue()
    if want == "lines":
        assert said == ["done: a", "error: b"] and text == ""
    elif want == "ndjson":
        assert [json.loads(x) for x in text.splitlines()] == [
            {"ref": "a", "ok": True},
            {"ref": "b", "ok": False},
        ]
    elif want == "document":
        assert json.loads(text) == [{"ref": "a", "ok": True}, {"ref": "b", "ok": False}]
    else:
        assert text.split()[:2] == ["REF", "OK"]


def test_i16_21_document_value_and_said():
    doc = {"actions": [{"target": "set", "action": "create"}], "writes": 1}
    r, out, said = renderer()
    r.document(doc, "actions", "step", "Plan: 1 to add")
    assert "create" in out.getvalue() and said == ["Plan: 1 to add"]
    r, out, _ = renderer(None, tty=False)
    r.document(doc, "actions", "step", "Plan: 1 to add")
    assert json.loads(out.getvalue()) == doc
    r, out, _ = renderer(None, tty=False)
    r.value(lambda: "https://cdn/x", {"all": 1})
    assert out.getvalue() == "https://cdn/x\n"
    r, out, _ = renderer("json", tty=False)
    r.value(lambda: pytest.fail("not asked for"), {"all": 1})
    assert json.loads(out.getvalue()) == {"all": 1}
    r, out, said = renderer()
    r.said({"profile": "default"}, ["profile: default"])
    assert said == ["profile: default"] and out.getvalue() == ""


def test_i16_21_unknown_fields_are_refused_before_printing():
    from sccli.core.errors import UsageError

    r, out, _ = renderer("json", tty=False, fields="urn,nope")
    with pytest.raises(UsageError, match="nope") as e:
        r.items(TRACKS, "track")
    assert "title" in (e.value.hint or "") and out.getvalue() == ""


# -- the table drawing: the same bytes rich's Table drew, at string speed ------------------------


class _Latin1(io.StringIO):
    """A stream whose encoding has no box drawing (rich then drew ASCII rules)."""

    encoding = "latin-1"  # type: ignore[assignment]


def _rich_table(cols, cells, width: int, *, colour: bool, ascii: bool) -> str:
    """The table as rich drew it before draw_table (the oracle): each cell as Text, so no
    markup is read into titles."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = _Latin1() if ascii else io.StringIO()
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold" if colour else ""
    )
    for c in cols:
        style = "cyan" if c.header == "URN" and colour else None
        table.add_column(
            c.header, no_wrap=True, overflow="ellipsis", max_width=c.width, style=style
        )
    for row in cells:
        table.add_row(*(Text(row[c.index]) for c in cols))
    console = Console(
        file=out,
        force_terminal=colour,
        color_system="standard" if colour else None,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
        width=width,
    )
    console.print(table)
    return out.getvalue()


_WORDS = [
    "harbour",
    "Buskers",
    "東京の夜明け",
    "🎸",
    "café",
    "x",
    "",
    "a  b",
    "[bold]not markup[/]",
]


def _random_table(rnd):
    headers = rnd.sample(
        ["URN", "TITLE", "USER", "PLAYS", "DAY", "TREND", "LICENSE"], rnd.randint(1, 7)
    )
    cols = [Column(h, lambda r: "", i) for i, h in enumerate(headers)]
    cells = [
        [" ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(0, 8))) for _ in headers]
        for _ in range(rnd.randint(1, 12))
    ]
    return cols, cells


@pytest.mark.parametrize("seed", range(40))
def test_i18_tables_are_drawn_as_rich_drew_them(seed):
    """Every table that fits its width (all of them but on a terminal too narrow for two
    columns) is byte for byte rich's: widths, ellipses, wide characters, the rule, colours."""
    import random

    from rich.cells import cell_len

    from sccli.render import TableStyle, draw_table

    rnd = random.Random(seed)
    cols, cells = _random_table(rnd)
    width = rnd.randint(30, 160)
    cols = fit_columns(cols, cells, width)
    if sum(c.width or 0 for c in cols) + 3 * (len(cols) - 1) > width:
        pytest.skip("too narrow for these columns: the last resort is sc's own")
    for colour, ascii in ((False, False), (True, False), (False, True)):
        if ascii and any(not x.isascii() for row in cells for x in row):
            continue  # such a stream could not take these cells
        ours = "".join(draw_table(cols, cells, TableStyle(colour=colour, ascii=ascii)))
        assert ours == _rich_table(cols, cells, width, colour=colour, ascii=ascii)
        shown = re.sub("\x1b\\[[0-9]+m", "", ours)  # what the terminal shows
        assert all(cell_len(line) <= width for line in shown.splitlines())


def test_i18_a_title_is_shown_as_it_is_never_read_as_markup():
    rows = [{**TRACKS[0], "title": "live [bold]loud[/bold] :smile: [/x] end"}]
    r, out, _ = renderer(width=200)
    r.items(rows, "track")
    assert "live [bold]loud[/bold] :smile: [/x] end" in out.getvalue()


def test_i18_a_large_table_fits_the_terminal_and_no_row_wraps():
    """2,000 rows of `sc stats show` (the bench's size) at 80 columns: a line per row,
    none wider than the terminal, the columns that matter most kept, colours on a tty."""
    from rich.cells import cell_len

    rows = [
        {
            "urn": f"soundcloud:tracks:{900000 + i}",
            "title": f"Track {i} " + "東京の夜明け" * (i % 3) + "long title " * (i % 7),
            "plays": 1000 * i,
            "likes": i,
            "reposts": i // 2,
            "comments": None,
            "downloads": 0,
            "change_day": i % 300,
            "change_week": -i,
            "change_month": None,
            "trend": "▁▂▃▄▅▆▇█" * 3,
        }
        for i in range(2000)
    ]
    out = io.StringIO()
    env = {"COLUMNS": "80", "TERM": "xterm-256color"}
    Renderer(OutputOptions("table"), out, is_tty=True, environ=env).items(rows, "stat")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + len(rows)
    plain = [line.replace("\x1b[1m", "").replace("\x1b[0m", "") for line in lines]
    assert all(cell_len(line) <= 80 for line in plain), max(plain, key=cell_len)
    assert plain[0].split()[:4] == ["TITLE", "PLAYS", "DAY", "WEEK"]
    assert "URN" not in plain[0] and "DOWNLOADS" not in plain[0]
    assert all(line.startswith(f"Track {i} ") for i, line in enumerate(plain[2:]))
    assert lines[0].startswith("\x1b[1mTITLE")


def test_i18_a_terminal_too_narrow_for_two_columns_still_gets_no_wrapped_row():
    from rich.cells import cell_len

    r, out, _ = renderer(width=20, fields="urn,permalink_url")
    r.items([{**t, "permalink_url": "https://soundcloud.com/" + "x" * 40} for t in TRACKS])
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + len(TRACKS) and all(cell_len(x) <= 20 for x in lines), lines


def test_a_column_asked_for_by_fields_is_shown_even_when_every_cell_is_empty():
    """ACCESS is left out of a default table while no row has it; --fields access asks for
    it, so it is drawn (empty cells under its header), not dropped to a table of blank lines."""
    r, out, _ = renderer(width=80, fields="access")
    r.items([{"urn": "soundcloud:tracks:1"}, {"urn": "soundcloud:tracks:2"}], "track")
    lines = out.getvalue().splitlines()
    assert lines[0].strip() == "ACCESS" and len(lines) == 4, lines
    r, out, _ = renderer(width=80)
    r.items([{"urn": "soundcloud:tracks:1", "title": "t"}], "track")
    assert "ACCESS" not in out.getvalue()


def test_a_column_too_narrow_to_say_anything_is_dropped_not_drawn_as_an_ellipsis():
    """At 20 columns a track's URN and title do not both fit: the title goes (rich dropped it
    too), rather than a column one cell wide, "…" on every row."""
    row = {"urn": "soundcloud:tracks:1", "title": "Paper Harbour", "user": {"username": "m"}}
    r, out, _ = renderer(width=20)
    r.items([row], "track")
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["URN"] and "…" not in out.getvalue(), lines
    r, out, _ = renderer(width=30)
    r.items([row], "track")
    assert out.getvalue().splitlines()[0].split() == ["URN", "TITLE"]
