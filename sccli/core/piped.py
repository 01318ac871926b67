"""References piped in (`-`): whatever sc itself prints with --json, --ndjson or --query,
read as a stream, an item at a time.

One reference a line; a JSON value anywhere a line begins (a string, an object, an array of
them, pretty-printed over many lines or one a line): a string is the reference, an object
names its resource (`_ref_of`). Something that names nothing is kept as its text, so the
command reports it as that item's error and goes on.

Memory stays flat however long the stream: lines are read one at a time (`readline` with a
cap, so `< /dev/zero` is one line too long, not a hang), and only the item being read is
held. An array longer than the cap (a big `--json` document) is read an element at a time.
A line longer than STDIN_ITEM_MAX is skipped and becomes that item's error (`TooLong`), so
the batch goes on; a JSON value past the cap, or no line break within STDIN_SKIP_MAX, ends
the stream with a usage error (exit 2) naming its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from typing import IO, Any

from sccli.core.errors import UsageError
from sccli.core.fsutil import STDIN_ITEM_MAX, STDIN_SKIP_MAX, size_text
from sccli.core.kinds import KINDS

Piped = tuple[str, "dict[str, Any] | None"]  # a reference, and the object it came from

_SPACE = re.compile(r"\s*")


class TooLong(str):
    """An item that was a line too long to read: a short placeholder as its reference, and
    the reason (the batch reports it as that item's error)."""

    reason: str

    def __new__(cls, line: int, reason: str) -> TooLong:
        self = super().__new__(cls, f"<line {line}>")
        self.reason = reason
        return self


_DECODER = json.JSONDecoder()


def read_refs(stream: IO[str], limit: int = STDIN_ITEM_MAX) -> list[str]:
    """Every reference of the stream (for callers that need them all, such as sync's plan,
    where a line too long is the command's error, not one item's)."""
    refs = [ref for ref, _obj in iter_items(stream, limit)]
    for ref in refs:
        if isinstance(ref, TooLong):
            raise UsageError(f"stdin: {ref.reason}")
    return refs


def iter_items(stream: IO[str], limit: int = STDIN_ITEM_MAX) -> Iterator[Piped]:
    """Each reference as it is read, with the object it came from (to name it in messages)."""
    feed = _Feed(stream, limit)
    while feed.skip_space():
        if feed.head() in '{["':
            value = feed.decode(whole=feed.head() != "[")
            if value is _LONG:  # an array too long to hold whole: an element at a time
                feed.pos += 1
                if (yield from _elements(feed)):
                    continue
            elif value is not _BAD:
                yield from _refs_in(value)
                continue
        yield feed.line(), None  # (after an element that is not JSON: the rest of its line)


def _elements(feed: _Feed) -> Generator[Piped, None, bool]:
    """An array's elements from just after its `[`; True once its `]` is read, False where
    an element is not JSON (the rest of that line is then read as text)."""
    after_element = False  # then only `,` or `]` may come, as JSON says
    while feed.skip_space():
        head = feed.head()
        if head == "]":
            feed.pos += 1
            return True
        if head == ",":
            feed.pos += 1
            after_element = False
            continue
        if after_element:
            return False
        value = feed.decode(whole=True)
        if value is _BAD:
            return False
        yield _ref_of(value)
        after_element = True
    return True  # the stream ended inside the array: what it held was read


class _Bad:
    pass


_BAD, _LONG = _Bad(), _Bad()  # not JSON; an array longer than the cap, so far


class _Feed:
    """A window on the stream: `buf[pos:]` is what is read and not yet used. Lines come in
    one `readline` at a time; what is used is dropped when the next line comes."""

    def __init__(self, stream: IO[str], limit: int):
        self.stream, self.limit = stream, limit
        self.buf, self.pos, self.eof = "", 0, False
        self.lines = 0  # lines read so far, to name the one that is too long

    def more(self, want: int = 0) -> bool:
        """Read lines until `want` characters are unused (at least one line); False at the end."""
        got: list[str] = []
        have = len(self.buf) - self.pos
        while not self.eof:
            line = self.stream.readline(self.limit + 1)
            if not line:
                self.eof = True
                break
            self.lines += line.endswith("\n")
            got.append(line)
            have += len(line)
            if have >= want or have > self.limit:
                break
        if got:
            self.buf, self.pos = self.buf[self.pos :] + "".join(got), 0
        return bool(got)

    def skip_space(self) -> bool:
        """Past blank space, reading on as needed; False when the stream has ended."""
        while True:
            space = _SPACE.match(self.buf, self.pos)
            self.pos = space.end() if space else self.pos
            if self.pos < len(self.buf):
                return True
            if not self.more():
                return False

    def head(self) -> str:
        return self.buf[self.pos]

    def line(self) -> str:
        """The rest of this line, as text; past the cap, a TooLong (the line skipped)."""
        while (stop := self.buf.find("\n", self.pos)) < 0 and not self.eof:
            if len(self.buf) - self.pos > self.limit:
                return self.skip_line()
            self.more()
        stop = len(self.buf) if stop < 0 else stop
        if stop - self.pos > self.limit:
            return self.skip_line()
        text, self.pos = self.buf[self.pos : stop].strip(), stop + 1
        return text

    def skip_line(self) -> TooLong:
        """Past the end of a line too long to keep, reading it in pieces of the cap; a usage
        error if no line break comes within STDIN_SKIP_MAX (or ever, from /dev/zero)."""
        error = self.too_long()
        line, skipped = self.lines + 1, 0
        while (stop := self.buf.find("\n", self.pos)) < 0 and not self.eof:
            skipped += len(self.buf) - self.pos
            if skipped > STDIN_SKIP_MAX:
                raise error
            self.buf, self.pos = "", 0  # dropped: only the line break is looked for
            self.more()
        self.pos = len(self.buf) if stop < 0 else stop + 1
        return TooLong(line, f"line {line} is longer than {size_text(self.limit)}")

    def decode(self, *, whole: bool) -> Any:
        """The JSON value at `pos` (read on while it may yet end: each try reads twice as
        much, so a long value costs linear time); _BAD if it is not JSON; _LONG if it has
        not ended within the cap, which is a usage error unless `whole` is False."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:  # nested past Python's stack: text, as ever
                return _BAD
            except ValueError as e:
                pending = len(self.buf) - self.pos
                # Cut short by where reading stopped: in the middle of a line (a readline
                # stops at the cap), or an error at the very end of what is read.
                partial = not self.buf.endswith("\n")
                cut_short = partial or getattr(e, "pos", 0) >= len(self.buf.rstrip())
                if self.eof or not cut_short:
                    return _BAD
                if pending > self.limit:
                    if whole:
                        raise self.too_long() from None
                    return _LONG
                self.more(2 * pending)
                continue
            if end == len(self.buf) and not self.eof and not self.buf.endswith("\n"):
                self.more()  # a number cut where a readline stopped: 12|34 is not 12
                continue
            if whole and end - self.pos > self.limit:  # it came whole, but past the cap
                raise self.too_long()
            self.pos = end
            return value

    def too_long(self) -> UsageError:
        return UsageError(
            f"stdin: more than {size_text(self.limit)} without the end of a reference, "
            f"at line {self.lines + 1}",
            hint="give one reference (or one JSON value) a line: ids, URNs, URLs, "
            "or what sc prints with --json or --ndjson",
        )


def _refs_in(value: Any) -> list[Piped]:
    """A JSON document's references: each item of an array, else the value itself."""
    items = value if isinstance(value, list) else [value]
    return [_ref_of(item) for item in items]


def _ref_of(obj: Any) -> Piped:
    """The reference an item names: a string or number as it is; an object's `urn`, else
    one made from its `kind` and `id`, else that of the track, set or user it is about
    (an activity's `origin`), else its `permalink_url`, else its `id`."""
    if isinstance(obj, str):
        return obj, None
    if isinstance(obj, int) and not isinstance(obj, bool):
        return str(obj), None
    if isinstance(obj, dict):
        urn = obj.get("urn")
        if isinstance(urn, str) and urn:
            return urn, obj
        kind, ident = obj.get("kind"), obj.get("id")
        if kind in KINDS and isinstance(ident, int) and not isinstance(ident, bool):
            return f"soundcloud:{kind}s:{ident}", obj
        # A track names its uploader under `user`: that comes after the track's own link.
        for key in ("origin", "track", "playlist", "permalink_url", "user", "id"):
            inner = obj.get(key)
            found = _named(inner)
            if found:
                return found, inner if isinstance(inner, dict) else obj
    return _json_text(obj), None


def _named(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("urn")
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        return None
    return str(value)


def _json_text(obj: Any) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False)[:200]
    except (ValueError, RecursionError):
        return "(a JSON value that names nothing)"
