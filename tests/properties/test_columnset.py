"""ColumnSet is a lattice, its transfer functions are monotone, and nothing unknown is exact."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from mldebt.lineage.columnset import (
    ABSENT,
    MAYBE,
    PRESENT,
    UNKNOWN,
    UNREACHABLE,
    ColumnSet,
    of_source,
)

_NAMES = st.sampled_from(["a", "b", "c", "id"])
_LISTS = st.sampled_from(["features.NUMERIC", "features.CATEGORICAL"])
_STATUSES = st.sampled_from([PRESENT, ABSENT, MAYBE, of_source("s"), of_source("t")])


@st.composite
def column_sets(draw: st.DrawFn) -> ColumnSet:
    """Any set, built only through the public constructors and transfer functions."""
    if draw(st.integers(0, 9)) == 0:
        return UNREACHABLE
    start = draw(st.sampled_from(["exact", "source", "unknown"]))
    names = draw(st.lists(_NAMES, max_size=3))
    lists = draw(st.lists(_LISTS, max_size=1))
    made = {
        "exact": ColumnSet.exact(names, lists),
        "source": ColumnSet.from_source(draw(st.sampled_from(["s", "t"]))),
        "unknown": UNKNOWN,
    }[start]
    for _ in range(draw(st.integers(0, 3))):
        step = draw(st.sampled_from(["create", "drop", "rename", "unknown-columns", "join"]))
        chosen = draw(st.lists(_NAMES, max_size=2))
        chosen_lists = draw(st.lists(_LISTS, max_size=1))
        if step == "create":
            made = made.create(chosen, chosen_lists)
        elif step == "drop":
            made = made.drop(chosen, chosen_lists)
        elif step == "rename":
            made = made.rename(dict(zip(chosen, draw(st.lists(_NAMES, min_size=2, max_size=2)))))
        elif step == "unknown-columns":
            made = made.with_unknown_columns()
        else:
            made = made.join(ColumnSet.exact(chosen, chosen_lists))
    return made


sets = column_sets()


@given(sets, sets)
def test_join_and_meet_commute(a: ColumnSet, b: ColumnSet) -> None:
    assert a.join(b) == b.join(a)
    assert a.meet(b) == b.meet(a)


@given(sets, sets, sets)
def test_join_and_meet_associate(a: ColumnSet, b: ColumnSet, c: ColumnSet) -> None:
    assert a.join(b).join(c) == a.join(b.join(c))
    assert a.meet(b).meet(c) == a.meet(b.meet(c))


@given(sets, sets)
def test_absorption_and_idempotence(a: ColumnSet, b: ColumnSet) -> None:
    assert a.join(a) == a and a.meet(a) == a
    assert a.join(a.meet(b)) == a
    assert a.meet(a.join(b)) == a


@given(sets)
def test_bounds(a: ColumnSet) -> None:
    assert UNREACHABLE.leq(a) and a.leq(UNKNOWN)
    assert a.join(UNREACHABLE) == a and a.meet(UNKNOWN) == a


@given(sets, sets, st.lists(_NAMES, max_size=2), st.lists(_NAMES, min_size=2, max_size=2))
def test_transfer_functions_are_monotone(a: ColumnSet, b: ColumnSet, names: list[str], renamed: list[str]) -> None:
    """What a branch merge loses, no transfer function gives back: f(a) <= f(a join b)."""
    wider = a.join(b)
    for transfer in (
        lambda s: s.create(names),
        lambda s: s.drop(names),
        lambda s: s.rename(dict(zip(names, renamed))),
        lambda s: s.select(names),
        lambda s: s.with_unknown_columns(),
        lambda s: s.union(b),
        lambda s: s.intersection(b),
    ):
        assert transfer(a).leq(transfer(wider))


@given(sets, st.lists(_NAMES, max_size=2))
def test_unknown_columns_are_never_exact(a: ColumnSet, names: list[str]) -> None:
    """Columns of unknown names, whatever else is done after them but a selection, keep the
    set inexact."""
    assert not a.with_unknown_columns().is_exact
    assert not a.with_unknown_columns().create(names).drop(names).is_exact
    assert not UNKNOWN.join(a).is_exact


@given(sets)
def test_resolving_unknown_lists_changes_nothing(a: ColumnSet) -> None:
    assert a.resolve(lambda reference: None) == a


@given(sets)
def test_round_trip_through_json(a: ColumnSet) -> None:
    plain = json.loads(json.dumps({"columns": a.columns, "lists": a.lists, "rest": a.rest, "unreachable": a.unreachable}))
    assert ColumnSet.from_plain(plain) == a
