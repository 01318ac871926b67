"""Commands over several items (references, or files to upload): `-` reads references from
stdin, each item is reported.

One reference behaves as it always did (its error is the command's error and exit code).
Several report per item, go on past failures and exit 1 if any failed: a line each on a
terminal, NDJSON `{"ref", "ok", "urn"|"error"}` in a pipe (DESIGN.md, References).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sccli.cli.context import AppContext
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.kinds import Kind


@dataclass
class Item:
    """One reference being worked on: its URN, and the object when sc already has it."""

    ref: str
    urn: str
    obj: dict[str, Any] | None = None  # whole, fetched in this run (a URL's /resolve)
    seen: dict[str, Any] | None = None  # as it was piped in: enough to name it

    @property
    def name(self) -> str:
        return named(self.urn, self.obj or self.seen)


def _name_of(obj: dict[str, Any]) -> dict[str, Any]:
    """Of an object piped in, what `named` reads: kept per item until it is reported."""
    user = obj.get("user")
    kept: dict[str, Any] = {k: obj[k] for k in ("title", "username") if k in obj}
    if isinstance(user, dict) and "username" in user:
        kept["user"] = {"username": user["username"]}
    return kept


def named(urn: str, obj: dict[str, Any] | None) -> str:
    """A thing as a person knows it: "Paper Harbour" by mara (soundcloud:tracks:300010), or
    the URN alone when sc does not have the object (it does not fetch one just to say it)."""
    if not obj:
        return urn
    user = obj.get("user") if isinstance(obj.get("user"), dict) else {}
    if obj.get("title"):
        by = f" by {user['username']}" if user and user.get("username") else ""
        return f'"{obj["title"]}"{by} ({urn})'
    if obj.get("username"):
        return f"{obj['username']} ({urn})"
    return urn


# What an action does with one item; it returns the line a person reads ("liked ...").
Action = Callable[[Item], str]


@dataclass(slots=True)  # a long stream keeps one per item
class Outcome:
    ref: str
    urn: str | None = None
    message: str | None = None
    error: str | None = None
    code: int = 0
    skipped: bool = False  # done already (`--if-absent`): nothing was written

    def record(self) -> dict:
        out: dict = {"ref": self.ref, "ok": self.error is None}
        out.update({"urn": self.urn} if self.error is None else {"error": self.error})
        if self.skipped:
            out["skipped"] = True
        return out

    def line(self) -> str:
        return self.message or "" if self.error is None else f"error: {self.ref}: {self.error}"


@dataclass
class Refs:
    items: Iterable[str]  # read from stdin as they are used: a long stream stays flat
    batch: bool  # several, or read from stdin: report per item
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)  # ref -> its name, piped in
    # Resolved once for all of an item's steps, and let go when it is reported (a stream
    # stays flat; the same reference piped twice is resolved twice).
    known: dict[str, Item] = field(default_factory=dict)

    @classmethod
    def expand(cls, sc: AppContext, texts: list[str]) -> Refs:
        """The references given, with `-` replaced by those read from stdin (lazily)."""
        refs = cls([], batch=len(texts) != 1 or "-" in texts)
        refs.items = refs._expanded(sc, texts)
        return refs

    def _expanded(self, sc: AppContext, texts: list[str]) -> Iterator[str]:
        from sccli.core.piped import iter_items

        for t in texts:
            if t != "-":
                yield t
                continue
            if sc.streams.stdin_tty:
                sc.info("reading references from stdin; end with Ctrl-D")
            for ref, obj in iter_items(sc.streams.stdin):
                if obj is not None:
                    self.seen[ref] = _name_of(obj)
                yield ref

    def done(self, ref: str) -> None:
        """An item is reported: what was kept to name it goes (a stream stays flat)."""
        self.known.pop(ref, None)
        self.seen.pop(ref, None)

    def resolve(
        self, sc: AppContext, ref: str, kinds: tuple[str, ...], default: str | None = None
    ) -> Item:
        """The item a reference names, resolved once however many of its steps ask."""
        from sccli.core.errors import UsageError
        from sccli.core.piped import TooLong
        from sccli.core.refs import resolve

        if isinstance(ref, TooLong):
            raise UsageError(f"stdin: {ref.reason}")
        if ref not in self.known:
            r = resolve(sc.client, ref, kinds, default)
            self.known[ref] = Item(ref, r.urn, r.obj, self.seen.get(ref))
        return self.known[ref]


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

    def work(o: Outcome) -> str:
        try:
            item = refs.resolve(sc, o.ref, kinds, default)
            o.urn = item.urn
            return action(item)
        finally:
            refs.done(o.ref)

    if not refs.batch:  # one reference: its error is the command's, with its exit code
        o = Outcome(next(iter(refs.items)))
        o.message = work(o)
        sc.out.report([o], Outcome.record, Outcome.line, single=True)
        return
    report_each(sc, refs.items, work, jobs=jobs).raise_if_failed()


def report_each(
    sc: AppContext,
    items: Iterable[str],
    work: Callable[[Outcome], str],
    *,
    jobs: int = 1,
    keep: bool = False,
) -> Tally:
    """`work` on each item, `jobs` at a time, each reported (in input order) as it is known.
    `work` returns the line a person reads and may note the item's URN on its Outcome (the
    outcomes are kept, in input order, only if `keep`: a long stream stays small); any
    failure of one item (an SccliError, or one sc did not expect, such as a malformed answer
    it tripped on) is that item's record, and the others go on."""

    def one(ref: str) -> Outcome:
        o = Outcome(ref)
        try:
            o.message = work(o)
        except Exception as e:  # noqa: BLE001 - one item's failure never ends the batch
            o.error, o.code = _one_line(sc, e)
        return o

    tally = Tally(keep)
    sc.out.report(tally.counted(_map(one, items, jobs)), Outcome.record, Outcome.line)
    return tally


class Tally:
    """What a batch came to: how many items, how many failed, and the outcomes if kept."""

    def __init__(self, keep: bool = False) -> None:
        self.total = self.failed = 0
        self.kept: list[Outcome] = []
        self._keep = keep

    def counted(self, outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
        for o in outcomes:
            self.total += 1
            self.failed += o.error is not None
            if self._keep:
                self.kept.append(o)
            yield o

    def raise_if_failed(self) -> None:
        """Exit 1 (after every item was reported) if any item failed."""
        from sccli.core.errors import SccliError

        if self.failed:
            raise SccliError(f"{self.failed} of {self.total} failed")


def _one_line(sc: AppContext, e: Exception) -> tuple[str, int]:
    """An item's error as one line, and the exit code it would have had on its own."""
    from sccli.core.errors import EXIT_ERROR, SccliError

    if isinstance(e, SccliError):
        return sc.scrub(" ".join(e.message.split())), e.exit_code
    if isinstance(e, OSError) and e.strerror:  # the local disk: a name too long, no space
        where = f" {e.filename}" if e.filename else ""
        return sc.scrub(f"cannot write{where}: {e.strerror}"), EXIT_ERROR
    return sc.scrub(" ".join(f"{type(e).__name__}: {e}".split())), EXIT_ERROR


def _map(fn: Callable[[str], Outcome], refs: Iterable[str], jobs: int) -> Iterator[Outcome]:
    """`fn` over `refs`, `jobs` at a time, in input order, whatever order they finish in.
    At most 2 * jobs are read ahead (Executor.map would read every one first). Should
    reading the next fail (a line of stdin too long), those begun are reported first."""
    if jobs <= 1:
        yield from map(fn, refs)
        return
    from sccli.core.interrupt import workers_stop_on_interrupt

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        begun: deque[Future[Outcome]] = deque()
        try:
            with workers_stop_on_interrupt(pool):
                try:
                    for ref in refs:
                        begun.append(pool.submit(fn, ref))
                        if len(begun) >= 2 * jobs:
                            yield begun.popleft().result()
                except Exception:
                    while begun:
                        yield begun.popleft().result()
                    raise
                while begun:
                    yield begun.popleft().result()
        except KeyboardInterrupt:
            # The workers have stopped: what was done all the same (an upload whose body had
            # all gone out) is reported before the exit, so a second run need not guess.
            for f in begun:
                if f.done() and not f.cancelled() and f.exception() is None:
                    yield f.result()
            raise


@record
class DeleteOptions:
    """Every `delete` verb's: the references, their kind, --yes and --jobs."""

    refs: list[str]
    kind: Kind
    yes: bool
    jobs: int


def run_delete(sc: AppContext, o: DeleteOptions) -> None:
    """The body of every `delete` verb: confirm (naming what goes), delete, say so."""
    from sccli.cli.confirm import confirm_or_abort
    from sccli.core.refs import urn_path
    from sccli.core.resources import delete

    kind, yes = o.kind, o.yes
    if not (yes or sc.streams.stdin_tty):  # nobody can answer: say so before reading stdin
        confirm_or_abort(sc, "", yes)
    refs = Refs.expand(sc, o.refs)
    if not yes:  # a person is asked how many: read them all first (--yes streams them)
        refs.items = items = list(refs.items)
        question = f"Delete {len(items)} {kind.label}s?"
        if len(items) == 1 and sc.streams.stdin_tty:  # a person is asked: name the thing
            item = refs.resolve(sc, items[0], (kind.name,), kind.name)
            item.obj = item.obj or sc.client.get(urn_path(item.urn))
            question = f"Delete {kind.label} {item.name}?"
        confirm_or_abort(sc, question, yes)

    def act(item: Item) -> str:
        delete(sc.client, item.urn)
        return f"deleted {item.name}"

    run_each(sc, refs, (kind.name,), act, default=kind.name, jobs=o.jobs)
