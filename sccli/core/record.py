"""Frozen records: dataclasses whose methods are shared, not generated.

`@dataclass(frozen=True)` compiles six functions for each class it makes, 0.4 ms a class;
one command's start-up defines some twenty, a third of what `sc` adds to a bare requests
script. A `@record` class is a dataclass all the same (`dataclasses.fields`, `replace` and
`asdict` work, and mypy checks it as one) with the same constructor, equality, hash and repr,
and the same FrozenInstanceError on assignment, but with nothing compiled.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any):
        return lambda f: f


T = TypeVar("T")
_MISSING = dataclasses.MISSING


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True)`, without generated code. What a record does not do (a
    field's init/repr/compare/hash/kw_only, `__post_init__`, its own `__init__`, `__repr__`,
    `__eq__` or `__hash__`) it refuses when the class is defined, rather than ignore."""
    own = {"__init__", "__repr__", "__eq__", "__hash__", "__post_init__"} & set(vars(cls))
    if own - {"__hash__"} or vars(cls).get("__hash__") is not None:
        raise TypeError(f"{cls.__name__}: a record makes its own {sorted(own)}")
    if cls.__doc__ is None:  # else dataclass writes one from inspect.signature: 1.5 ms
        cls.__doc__ = f"{cls.__name__} record."
    # A record's subclass must say frozen to dataclass, as a frozen dataclass's must.
    frozen = any(dataclasses.is_dataclass(b) for b in cls.__mro__[1:])
    c: Any = dataclasses.dataclass(init=False, repr=False, eq=False, frozen=frozen)(cls)
    for f in dataclasses.fields(c):
        if not (f.init and f.repr and f.compare) or f.hash is not None or f.kw_only is True:
            raise TypeError(f"{cls.__name__}.{f.name}: a record's fields take a default only")
    c.__record_fields__ = tuple(
        (f.name, f.default, f.default_factory) for f in dataclasses.fields(c)
    )
    c.__dataclass_params__.frozen = True  # what dataclasses.replace and subclasses consult
    c.__init__, c.__repr__, c.__eq__, c.__hash__ = _init, _repr, _eq, _hash
    c.__setattr__ = c.__delattr__ = _frozen
    return cls


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    spec = type(self).__record_fields__
    name_of = type(self).__qualname__
    if len(args) > len(spec):
        raise TypeError(f"{name_of}() takes {len(spec)} arguments but {len(args)} were given")
    put = object.__setattr__
    for (name, _, _), value in zip(spec, args, strict=False):
        if name in kwargs:
            raise TypeError(f"{name_of}() got multiple values for argument {name!r}")
        put(self, name, value)
    for name, default, factory in spec[len(args) :]:
        if name in kwargs:
            put(self, name, kwargs.pop(name))
        elif default is not _MISSING:
            put(self, name, default)
        elif factory is not _MISSING:
            put(self, name, factory())
        else:
            raise TypeError(f"{name_of}() missing required argument: {name!r}")
    if kwargs:
        raise TypeError(f"{name_of}() got an unexpected keyword argument {next(iter(kwargs))!r}")


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name, _, _ in type(self).__record_fields__)


def _repr(self: Any) -> str:
    pairs = (f"{name}={getattr(self, name)!r}" for name, _, _ in type(self).__record_fields__)
    return f"{type(self).__qualname__}({', '.join(pairs)})"


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _frozen(self: Any, name: str, *_: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
