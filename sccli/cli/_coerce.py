"""Plain coercion for plain parameters, so a command does not import pydantic.

Typer (0.29) coerces every parameter through a pydantic TypeAdapter built at run time; that
import and schema building cost more than the rest of a command's start-up (bench/startup.py).
The parameters sc declares are plain: str, bool, int in a range, Path, a Literal choice, or a
list of those. Those get the same checks done directly; anything else still goes to Typer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from typer import core as typer_core
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if get_origin(self.annotation) is list:
            leaf = get_args(self.annotation)[0]
            return [_leaf(leaf, v, self, param, ctx) for v in value]
        return _leaf(self.annotation, value, self, param, ctx)


def _leaf(ann: Any, value: Any, rp: _Plain, param: Any, ctx: Any) -> Any:
    if ann is str:
        return str(value)
    if ann is Path:
        return value if isinstance(value, Path) else Path(value)
    if ann is bool:
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    if ann is int:
        return _int(value, rp, param, ctx)
    choices = get_args(ann)
    if value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    raise BadParameter(f"{value!r} is not one of {listed}.", ctx=ctx, param=param)


def _int(value: Any, rp: _Plain, param: Any, ctx: Any) -> int:
    try:
        n = value if isinstance(value, int) else int(str(value), 10)
    except ValueError:
        raise BadParameter(f"{value!r} is not a valid integer.", ctx=ctx, param=param) from None
    lo, hi = rp.parameter_info.min, rp.parameter_info.max
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        span = f"{lo if lo is not None else ''}<=x{'<=' + str(hi) if hi is not None else ''}"
        raise BadParameter(f"{n} is not in the range {span}.", ctx=ctx, param=param)
    return n


def _is_plain(ann: Any) -> bool:
    if ann in (str, bool, int, Path):
        return True
    return get_origin(ann) is Literal and all(isinstance(c, str) for c in get_args(ann))


def _plain(desc: TypeDescriptor) -> RuntimeParam | None:
    info = desc.parameter_info
    if desc.is_file or getattr(info, "parser", None) or getattr(info, "click_type", None):
        return None
    if desc.is_path and (info.exists or not info.file_okay or not info.dir_okay):
        return None
    ann = desc.annotation
    leaf = get_args(ann)[0] if get_origin(ann) is list and len(get_args(ann)) == 1 else ann
    if not _is_plain(leaf):
        return None
    return _Plain(parameter_info=info, annotation=ann)


def install() -> None:
    original = typer_core._TyperParameter.get_runtime_param

    def get_runtime_param(self: Any) -> RuntimeParam:
        if self._runtime_param is None:
            self._runtime_param = _plain(self.type_descriptor)
        return self._runtime_param or original(self)

    typer_core._TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
