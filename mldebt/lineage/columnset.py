"""The columns of a data-frame-like value, as a lattice: NBLyzer's column sets, three-valued.

Each column name has a status: present, absent, maybe (either), or "as in source S" (the frame
has it exactly when the data it was read from does, a schema nobody wrote down). A set names
the columns whose status it knows and gives one status, the rest, to every other name: absent
for an exact set (`df[["a", "b"]]`), a source for a frame read whole (all of S, except the
columns it names as absent, plus those it names as present), maybe for a frame nothing is known
about. The order is pointwise, over a flat lattice of statuses with maybe on top; ``UNREACHABLE``
(no frame reaches here) is below everything, and is what a contradiction in ``meet`` gives.

A column list from another module (`from features import FEATURES`; `df[FEATURES]`) is a
*list reference*: it stands for all its columns at once, with one status, as if it were a
column of its own, until ``resolve`` is given the list. The lattice treats a reference as a
name apart from the column names; ``resolve`` then makes a column that a reference and the set
(or two references) disagree about a maybe, which is never wrong.

Transfer functions are the methods that return a new set (``select``, ``create``, ``drop``,
``rename``, ``with_unknown_columns``, ``union``, ``intersection``): what an API does to the
columns, as the column catalog (mldebt.catalogs.columns) says. An API the catalog does not know
makes ``UNKNOWN``, never an exact set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Statuses are strings, JSON as they stand; "source:<S>" is one per source, so the set is open.
PRESENT = "present"
ABSENT = "absent"
MAYBE = "maybe"
_SOURCE = "source:"

_Named = tuple[tuple[str, str], ...]


def of_source(source: str) -> str:
    """The status of a column that the frame has exactly when ``source`` has it."""
    return _SOURCE + source


def source_of(status: str) -> str | None:
    """The source of an "as in source" status; None for the others."""
    return status[len(_SOURCE):] if status.startswith(_SOURCE) else None


def _join(a: str, b: str) -> str:
    return a if a == b else MAYBE


def _meet(a: str, b: str) -> str | None:
    if a == b or b == MAYBE:
        return a
    return b if a == MAYBE else None


def _union(a: str, b: str) -> str:
    """A column of either frame (an outer concat, a merge)."""
    if a == b or b == ABSENT:
        return a
    if a == ABSENT:
        return b
    return PRESENT if PRESENT in (a, b) else MAYBE


def _intersection(a: str, b: str) -> str:
    """A column of both frames (`pd.concat(..., join="inner")`)."""
    if a == b or b == PRESENT:
        return a
    if a == PRESENT:
        return b
    return ABSENT if ABSENT in (a, b) else MAYBE


@dataclass(frozen=True)
class ColumnSet:
    """Build one with the constructors below (``exact``, ``from_source``, ``UNKNOWN``) and the
    transfer functions; the fields are its normal form: names sorted, none with the rest's
    status."""

    columns: _Named = ()
    # List references ("module.NAME") with their status; see the module's docstring.
    lists: _Named = ()
    rest: str = MAYBE
    unreachable: bool = False

    # ----- constructors -------------------------------------------------------------------

    @staticmethod
    def exact(names: Iterable[str], lists: Iterable[str] = ()) -> ColumnSet:
        """Exactly these columns (and the columns of these lists): `df[["a", "b"]]`."""
        return _normal(dict.fromkeys(names, PRESENT), dict.fromkeys(lists, PRESENT), ABSENT)

    @staticmethod
    def from_source(source: str) -> ColumnSet:
        """All the columns of ``source``, whatever they are: a file read whole."""
        return ColumnSet(rest=of_source(source))

    @staticmethod
    def from_plain(data: Mapping[str, Any]) -> ColumnSet:
        """Rebuild from the JSON form of the dataclass (the facts cache)."""
        columns = {str(name): str(status) for name, status in data["columns"]}
        lists = {str(name): str(status) for name, status in data["lists"]}
        if data["unreachable"]:
            return UNREACHABLE
        return _normal(columns, lists, str(data["rest"]))

    # ----- questions ------------------------------------------------------------------------

    def status(self, name: str) -> str:
        """What the set knows of column ``name``."""
        return dict(self.columns).get(name, self.rest)

    def list_status(self, reference: str) -> str:
        return dict(self.lists).get(reference, self.rest)

    @property
    def is_exact(self) -> bool:
        """Whether the set is known name by name: every column present or absent, no list
        left to resolve."""
        return not self.unreachable and self.rest == ABSENT and not self.lists and all(
            status == PRESENT for _, status in self.columns
        )

    def named(self, status: str) -> tuple[str, ...]:
        """The columns the set names with ``status`` (PRESENT, ABSENT, MAYBE or a source's)."""
        return tuple(name for name, s in self.columns if s == status)

    def leq(self, other: ColumnSet) -> bool:
        """Whether ``other`` describes every frame this set describes (the lattice's order)."""
        return self.join(other) == other

    # ----- the lattice ----------------------------------------------------------------------

    def join(self, other: ColumnSet) -> ColumnSet:
        """Either set: where two branches of the code meet again."""
        if self.unreachable:
            return other
        if other.unreachable:
            return self
        return self._pointwise(other, _join)

    def meet(self, other: ColumnSet) -> ColumnSet:
        """Both sets at once; UNREACHABLE when they contradict each other."""
        if self.unreachable or other.unreachable:
            return UNREACHABLE
        return self._pointwise(other, _meet)

    def _pointwise(self, other: ColumnSet, combine: Callable[[str, str], str | None]) -> ColumnSet:
        rest = combine(self.rest, other.rest)
        columns = {n: combine(self.status(n), other.status(n)) for n in _names(self.columns, other.columns)}
        lists = {n: combine(self.list_status(n), other.list_status(n)) for n in _names(self.lists, other.lists)}
        if rest is None or None in columns.values() or None in lists.values():
            return UNREACHABLE
        return _normal(columns, lists, rest)  # type: ignore[arg-type]

    # ----- transfer functions ---------------------------------------------------------------

    def select(self, names: Iterable[str], lists: Iterable[str] = ()) -> ColumnSet:
        """The frame restricted to these columns (a selection that names a missing column fails)."""
        return self if self.unreachable else ColumnSet.exact(names, lists)

    def create(self, names: Iterable[str], lists: Iterable[str] = ()) -> ColumnSet:
        """These columns added or overwritten: `df["x"] = ...`, `assign`, `withColumn`."""
        return self._set(names, lists, PRESENT)

    def drop(self, names: Iterable[str], lists: Iterable[str] = ()) -> ColumnSet:
        return self._set(names, lists, ABSENT)

    def _set(self, names: Iterable[str], lists: Iterable[str], status: str) -> ColumnSet:
        if self.unreachable:
            return self
        columns = {**dict(self.columns), **dict.fromkeys(names, status)}
        return _normal(columns, {**dict(self.lists), **dict.fromkeys(lists, status)}, self.rest)

    def rename(self, mapping: Mapping[str, str]) -> ColumnSet:
        """Columns renamed at once (`{"a": "b", "b": "a"}` swaps them)."""
        if self.unreachable:
            return self
        columns = dict(self.columns)
        for old in mapping:
            columns[old] = ABSENT
        for old, new in mapping.items():
            columns[new] = self.status(old)
        return _normal(columns, dict(self.lists), self.rest)

    def with_unknown_columns(self) -> ColumnSet:
        """Columns whose names the code does not say were added: whatever was not present
        may now be."""
        if self.unreachable:
            return self
        weaker = {name: PRESENT if status == PRESENT else MAYBE for name, status in self.columns}
        lists = {name: PRESENT if status == PRESENT else MAYBE for name, status in self.lists}
        return _normal(weaker, lists, MAYBE)

    def union(self, other: ColumnSet) -> ColumnSet:
        """The columns of either frame: a merge's, an outer concat's."""
        if self.unreachable or other.unreachable:
            return UNREACHABLE
        return self._pointwise(other, _union)

    def intersection(self, other: ColumnSet) -> ColumnSet:
        """The columns of both frames: an inner concat's."""
        if self.unreachable or other.unreachable:
            return UNREACHABLE
        return self._pointwise(other, _intersection)

    # ----- across files -----------------------------------------------------------------------

    def resolve(self, members: Callable[[str], tuple[str, ...] | None]) -> ColumnSet:
        """The set with each list reference whose columns ``members`` knows replaced by them.
        A column a reference and the set, or two references, give different statuses is a
        maybe; a reference ``members`` does not know stays one."""
        if self.unreachable or not self.lists:
            return self
        columns = dict(self.columns)
        lists: dict[str, str] = {}
        expanded: dict[str, str] = {}
        for reference, status in self.lists:
            names = members(reference)
            if names is None:
                lists[reference] = status
                continue
            for name in names:
                expanded[name] = _join(expanded.get(name, status), status)
        for name, status in expanded.items():
            columns[name] = _join(columns[name], status) if name in columns else status
        return _normal(columns, lists, self.rest)

    def renamed_sources(self, rename: Callable[[str], str]) -> ColumnSet:
        """The same set with each source's name passed through ``rename``."""
        if self.unreachable:
            return self

        def status(s: str) -> str:
            source = source_of(s)
            return s if source is None else of_source(rename(source))

        return _normal({n: status(s) for n, s in self.columns}, {n: status(s) for n, s in self.lists}, status(self.rest))


def _names(a: _Named, b: _Named) -> list[str]:
    return [*dict.fromkeys([n for n, _ in a] + [n for n, _ in b])]


def _normal(columns: Mapping[str, str], lists: Mapping[str, str], rest: str) -> ColumnSet:
    return ColumnSet(
        tuple(sorted((n, s) for n, s in columns.items() if s != rest)),
        tuple(sorted((n, s) for n, s in lists.items() if s != rest)),
        rest,
    )


UNKNOWN = ColumnSet()
UNREACHABLE = ColumnSet(unreachable=True)
EMPTY = ColumnSet.exact(())
