"""Unit tests of the renderer (DESIGN: unit tests per module): each output operation in each
mode, on a StringIO standing in for the terminal or the pipe."""

from __future__ import annotations

import io
import json

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
    done = r.report(
        outcomes,
        lambda o: {"ref": o[0], "ok": o[1]},
        lambda o: f"{'done' if o[1] else 'error'}: {o[0]}",
    )
    assert done == outcomes
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
