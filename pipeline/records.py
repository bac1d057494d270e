"""How the records of pipeline.model are built and cross between processes, fast: generated code per class.

A county's 700,000 rows are built by the readers, sent back from the reading processes and kept in the read
cache; pydantic stays the validator of everything not already exactly typed (tests/test_fastpaths.py holds the
generated constructors to it).
"""

import dataclasses
import datetime as dt
from dataclasses import Field, fields
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin

from pydantic import InstanceOf
from pydantic.fields import FieldInfo

R = TypeVar("R")


class _Shape:
    """How one record class crosses between processes: as one plain tuple of its fields' values, with a record
    field (`source`) or a tuple of records (a submission's rows) as plain tuples inside it, so that pickling
    calls Python once per submission rather than once per record and packs only tuples, strings and numbers.
    Both directions are generated once per class, as dataclasses generates __init__: rebuilding sets the
    fields without validating them again (they were validated when first built), on a mutable twin of the
    class that then becomes it (see `_twin`)."""

    def __init__(self, cls: type) -> None:
        scope: dict[str, Any] = {"new": object.__new__, "twin": _twin(cls), "cls": cls, "once": _ONCE}
        packed, sets = [], []
        for i, f in enumerate(fields(cls)):
            nested = _record_type(f.type)
            if nested is None:
                packed.append(f"record.{f.name}")
                sets.append(f"    record.{f.name} = once[values[{i}]]" if _recurs(f)
                            else f"    record.{f.name} = values[{i}]")
                continue
            kind, many = nested
            scope[f"pack{i}"], scope[f"unpack{i}"] = _shape(kind).pack, _shape(kind).unpack
            packed.append(f"tuple(map(pack{i}, record.{f.name}))" if many else f"pack{i}(record.{f.name})")
            sets.append(f"    record.{f.name} = tuple(map(unpack{i}, values[{i}]))" if many
                        else f"    record.{f.name} = unpack{i}(values[{i}])")
        code = (f"def pack(record):\n    return ({', '.join(packed)},)\n"
                "def unpack(values):\n    record = new(twin)\n" + "\n".join(sets)
                + "\n    record.__class__ = cls\n    return record\n")
        exec(code, scope)  # built from our own classes' field names only
        self.pack: Any = scope["pack"]
        self.unpack: Any = scope["unpack"]


class _Once(dict[Any, Any]):
    """Each value once in this process: see `_recurs`. Emptied when it holds `_ONCE_AT_MOST` values (序号 is text a
    unit types, so a library caller reporting again and again would otherwise keep every one it ever met)."""

    def __missing__(self, value: Any) -> Any:
        if len(self) >= _ONCE_AT_MOST:
            self.clear()
        self[value] = value
        return value


_ONCE_AT_MOST = 100_000
"""Far more than a county's distinct dates (a few hundred days) and 序号 (1 … the longest sheet)."""


_ONCE = _Once()


def _recurs(f: Field[Any]) -> bool:
    """A field whose values recur from ledger to ledger, which a pickle shares only within one ledger: dates (a
    county's records hold about 900,000, of a few hundred days; 32 bytes each) and 序号 (1, 2, 3 … in every
    ledger). Rebuilt records take these values from `_ONCE`."""
    return f.type in (dt.date, dt.date | None) or f.name == "seq"


_TWINS: dict[type, type] = {}


def _twin(cls: type) -> type:
    """A plain class with the same bases and slots as the frozen record class `cls`: its fields are set as
    ordinary attributes (three times as fast as through `cls`'s frozen `__setattr__` or its slot descriptors),
    and then the object's class becomes `cls`, which Python allows because the two lay out their objects alike."""
    if cls not in _TWINS:
        _TWINS[cls] = type(f"{cls.__name__}Twin", cls.__bases__, {"__slots__": cls.__dict__["__slots__"]})
    return _TWINS[cls]


def _record_type(annotation: Any) -> tuple[type, bool] | None:
    """(record class, whether a tuple of them) for a field that holds records, else None."""
    if isinstance(annotation, type) and issubclass(annotation, _Record):
        return annotation, False
    args = get_args(annotation)
    if get_origin(annotation) is tuple and args[1:] == (Ellipsis,) and _record_type(args[0]):
        return args[0], True
    return None


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    if cls not in _SHAPES:
        _SHAPES[cls] = _Shape(cls)
    return _SHAPES[cls]


def _restore(cls: type, values: tuple[Any, ...]) -> Any:
    return _shape(cls).unpack(values)


def _exact(annotation: Any, name: str, scope: dict[str, Any]) -> str | None:
    """A Python test that `name` has the field's type exactly (so pydantic would pass it through as an equal
    value), or None for an annotation this short check does not know."""
    key = f"t{len(scope)}"
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation in (str, int, bool, dt.date) or (isinstance(annotation, type) and issubclass(annotation, _Record)):
        scope[key] = annotation
        return f"type({name}) is {key}"
    if origin is Literal and all(type(a) is str for a in args):
        scope[key] = frozenset(args)
        return f"(type({name}) is str and {name} in {key})"
    if origin is Annotated and any(isinstance(m, cast(type, InstanceOf)) for m in annotation.__metadata__):
        scope[key] = args[0]
        return f"isinstance({name}, {key})"
    if origin in (Union, UnionType) and type(None) in args and len(args) == 2:
        inner = _exact(next(a for a in args if a is not type(None)), name, scope)
        return None if inner is None else f"({name} is None or {inner})"
    if origin is tuple and args[1:] == (Ellipsis,) and args[0] in (str, int):
        scope[key] = args[0]
        return f"(type({name}) is tuple and all(type(x) is {key} for x in {name}))"
    return None


def quick(cls: type[R]) -> type[R]:
    """A constructor of `cls` with its signature that, when every value already has its field's type exactly
    (the reader's parsers give nothing else), sets the fields without a round through pydantic-core, and
    otherwise calls the pydantic dataclass, which stays the validator of everything else. Generated from
    the class's annotations (tests/test_fastpaths.py holds it to pydantic); a class with a constraint or a
    type the check does not know gets no short way."""
    scope: dict[str, Any] = {"new": object.__new__, "twin": _twin(cls), "cls": cls}
    params, tests, sets = [], [], []
    record_fields = fields(cast(Any, cls))
    for i, f in enumerate(record_fields):
        test = _exact(f.type, f.name, scope)
        if test is None or f.default_factory is not dataclasses.MISSING or isinstance(f.default, FieldInfo):
            return cls
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"d{i}"] = f.default
            params.append(f"{f.name}=d{i}")
        tests.append(test)
        sets.append(f"        record.{f.name} = {f.name}\n")
    names = [f.name for f in record_fields]
    code = (f"def make(*, {', '.join(params)}):\n    if {' and '.join(tests)}:\n        record = new(twin)\n"
            + "".join(sets) + "        record.__class__ = cls\n        return record\n"
            f"    return cls({', '.join(f'{n}={n}' for n in names)})\n")
    exec(code, scope)  # built from our own classes' field names only
    return cast(type[R], scope["make"])


class _Record:
    """Pickled as (class, field values as plain tuples), as the reading processes send them back and the read
    cache keeps them: 70,000 at county scale, and packing and rebuilding them this way costs a fraction of the
    default."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return _restore, (type(self), _shape(type(self)).pack(self))
