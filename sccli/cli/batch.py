"""Commands over several items (references, or files to upload): `-` reads references from
stdin, each item is reported.

One reference behaves as it always did (its error is the command's error and exit code).
Several report per item, go on past failures and exit 1 if any failed: a line each on a
terminal, NDJSON `{"ref", "ok", "urn"|"error"}` in a pipe (DESIGN.md, References).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sccli.cli.context import AppContext

# What an action does with one URN; it returns the line a person reads ("liked ...").
Action = Callable[[str], str]


@dataclass
class Outcome:
    ref: str
    urn: str | None = None
    message: str | None = None
    error: str | None = None
    code: int = 0

    def record(self) -> dict:
        out: dict = {"ref": self.ref, "ok": self.error is None}
        out.update({"urn": self.urn} if self.error is None else {"error": self.error})
        return out


@dataclass
class Refs:
    items: list[str]
    batch: bool  # several, or read from stdin: report per item

    @classmethod
    def expand(cls, sc: AppContext, texts: list[str]) -> Refs:
        """The references given, with `-` replaced by those read from stdin."""
        from sccli.core.refs import read_refs

        out: list[str] = []
        for t in texts:
            out.extend(read_refs(sc.streams.stdin) if t == "-" else [t])
        return cls(out, batch=len(out) != 1 or "-" in texts)


def run_each(
    sc: AppContext,
    refs: Refs,
    kinds: tuple[str, ...],
    action: Action,
    *,
    default: str | None = None,
    jobs: int = 1,
) -> None:
    """Resolve each reference and apply `action`; report as the module docstring says."""
    from sccli.core.refs import to_urn

    if not refs.batch:
        sc.info(action(to_urn(sc.client, refs.items[0], kinds, default)))
        return

    def work(o: Outcome) -> str:
        o.urn = to_urn(sc.client, o.ref, kinds, default)
        return action(o.urn)

    fail_if_any(report_each(sc, refs.items, work, jobs=jobs))


def report_each(
    sc: AppContext, items: list[str], work: Callable[[Outcome], str], *, jobs: int = 1
) -> list[Outcome]:
    """`work` on each item, `jobs` at a time, each reported (in input order) as it is known.
    `work` returns the line a person reads and may note the item's URN on its Outcome; any
    failure of one item (an SccliError, or one sc did not expect, such as a malformed answer
    it tripped on) is that item's record, and the others go on."""

    def one(ref: str) -> Outcome:
        o = Outcome(ref)
        try:
            o.message = work(o)
        except Exception as e:  # noqa: BLE001 - one item's failure never ends the batch
            o.error, o.code = _one_line(sc, e)
        return o

    return list(_report(sc, _map(one, items, jobs)))


def _one_line(sc: AppContext, e: Exception) -> tuple[str, int]:
    """An item's error as one line, and the exit code it would have had on its own."""
    from sccli.core.errors import EXIT_ERROR, SccliError

    if isinstance(e, SccliError):
        return sc.scrub(" ".join(e.message.split())), e.exit_code
    if isinstance(e, OSError) and e.strerror:  # the local disk: a name too long, no space
        where = f" {e.filename}" if e.filename else ""
        return sc.scrub(f"cannot write{where}: {e.strerror}"), EXIT_ERROR
    return sc.scrub(" ".join(f"{type(e).__name__}: {e}".split())), EXIT_ERROR


def fail_if_any(outcomes: list[Outcome]) -> None:
    """Exit 1 (after every item was reported) if any item failed."""
    from sccli.core.errors import SccliError

    failed = sum(1 for o in outcomes if o.error is not None)
    if failed:
        raise SccliError(f"{failed} of {len(outcomes)} failed")


def _map(fn: Callable[[str], Outcome], refs: list[str], jobs: int) -> Iterator[Outcome]:
    if jobs <= 1:
        yield from map(fn, refs)
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(fn, refs)  # in input order, whatever order they finish in


def _report(sc: AppContext, outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
    """Each item's report as it is known. A batch of writes finishes every item it was given
    even when the reader of stdout has gone (`sc like - | head -1`): reports it can no longer
    read are dropped, and the exit status is still the items' (README, Pipes)."""
    reader_gone = False
    for o in outcomes:
        if sc.streams.stdout_tty:
            sc.info(o.message or "" if o.error is None else f"error: {o.ref}: {o.error}")
        elif not reader_gone:
            try:
                sc.streams.stdout.write(_json_line(o.record()) + "\n")
                sc.streams.stdout.flush()
            except BrokenPipeError:
                reader_gone = True
        yield o


def _json_line(record: dict) -> str:
    """One NDJSON record. A reference read from stdin that was not UTF-8 holds lone
    surrogates, which no UTF-8 stdout can write: such a record is written with ASCII escapes."""
    line = json.dumps(record, ensure_ascii=False)
    if any("\ud800" <= c <= "\udfff" for c in line):
        return json.dumps(record)
    return line


def run_delete(sc: AppContext, texts: list[str], label: str, *, yes: bool, jobs: int) -> None:
    """The body of every `delete` verb: confirm, delete, say so."""
    from sccli.cli.confirm import confirm_or_abort
    from sccli.core.resources import delete

    refs = Refs.expand(sc, texts)
    n = len(refs.items)
    confirm_or_abort(
        sc, f"Delete {label} {refs.items[0]}?" if n == 1 else f"Delete {n} {label}s?", yes
    )

    def act(urn: str) -> str:
        delete(sc.client, urn)
        return f"deleted {urn}"

    kind = "playlist" if label == "set" else label
    run_each(sc, refs, (kind,), act, default=kind, jobs=jobs)
