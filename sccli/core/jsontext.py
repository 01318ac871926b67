"""JSON read from outside (a file, an answer, an argument): whatever it holds, a ValueError
when it is not JSON sc can use, never another exception (nesting too deep: RecursionError)."""

from __future__ import annotations

import json
from typing import Any


def loads(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None
