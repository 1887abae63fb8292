"""The ledger's algebra: folding a history in two parts and combining them is folding it whole,
which is what makes the incremental update of the history cache exact."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mldebt.history.ledger import RawCommit, combine, fold

PATHS = ("a.py", "b.py", "c.py", "d/e.py")
PEOPLE = (("Alice", "alice@x"), ("Bob", "bob@x"), ("Bob", "bob@y"), ("Carol", "carol@x"))


@st.composite
def commits(draw):
    """One commit: each path appears at most once in it, either changed or as one side of a
    rename (swaps included), as in a real `git log --numstat -M`."""
    order = draw(st.permutations(PATHS))
    used = draw(st.integers(0, len(PATHS)))
    changes = []
    rest = list(order[:used])
    while rest:
        path = rest.pop()
        if rest and draw(st.booleans()):
            other = rest.pop()
            changes.append((other, path, draw(st.integers(0, 3)), draw(st.integers(0, 3))))
        else:
            changes.append((None, path, draw(st.integers(-1, 5)), draw(st.integers(-1, 5))))
    name, email = draw(st.sampled_from(PEOPLE))
    when = draw(st.integers(0, 10**6))
    return RawCommit("0" * 40, draw(st.integers(1, 2)), name, email, when, when, tuple(changes))


@settings(max_examples=3 * settings.default.max_examples, deadline=None)
@given(st.lists(commits(), max_size=12), st.integers(0, 12), st.integers(0, len(PATHS)))
def test_combining_the_folds_of_two_parts_is_the_fold_of_the_whole(history, cut, cap):
    """Pair counts included, with a change-set cap that some commits exceed."""
    newer, older = history[:cut], history[cut:]

    assert combine(fold(newer, cap), fold(older, cap)) == fold(history, cap)


def _commit(day, *changes):
    return RawCommit(f"{day:040x}", 1, "Alice", "a@x", day, day, tuple(changes))


def test_pairs_are_counted_per_commit_within_the_cap():
    history = [
        _commit(4, (None, "a.py", 1, 0), (None, "b.py", 1, 0), (None, "c.py", 1, 0)),  # over the cap of 2
        _commit(3, (None, "b.py", 1, 0), (None, "a.py", 1, 0)),
        _commit(2, (None, "a.py", 1, 0)),
        _commit(1, (None, "a.py", 1, 0), (None, "b.py", 1, 0)),
    ]

    ledger = fold(history, max_changeset_size=2)

    assert ledger.shared == {("a.py", "b.py"): 2}
    assert {path: t.revisions for path, t in ledger.paths.items()} == {"a.py": 3, "b.py": 2, "c.py": 0}
    assert {path: t.commits for path, t in ledger.paths.items()} == {"a.py": 4, "b.py": 3, "c.py": 1}


def test_pairs_follow_renames_and_keep_the_pair_sorted():
    """z.py was a.py: its older pair with b.py becomes (b.py, z.py)."""
    older = [_commit(1, (None, "a.py", 1, 0), (None, "b.py", 1, 0))]
    newer = [_commit(3, (None, "z.py", 1, 0), (None, "b.py", 1, 0)), _commit(2, ("a.py", "z.py", 0, 0))]

    ledger = combine(fold(newer), fold(older))

    assert ledger.shared == {("b.py", "z.py"): 2}
    assert ledger.paths["z.py"].revisions == 3
    assert ledger == fold(newer + older)


def test_ledgers_with_different_caps_do_not_combine():
    with pytest.raises(ValueError, match="change-set caps"):
        combine(fold([], 30), fold([], 10))


def test_a_rename_in_the_newer_part_carries_the_older_tallies():
    older = [RawCommit("0" * 40, 1, "Alice", "a@x", 1, 1, ((None, "a.py", 3, 0),))]
    newer = [
        RawCommit("1" * 40, 1, "Bob", "b@x", 3, 3, ((None, "b.py", 1, 1),)),
        RawCommit("2" * 40, 1, "Carol", "c@x", 2, 2, (("a.py", "b.py", 0, 0),)),
    ]

    ledger = combine(fold(newer), fold(older))

    assert ledger.identities == [("Bob", "b@x"), ("Carol", "c@x"), ("Alice", "a@x")]
    assert list(ledger.paths) == ["b.py"]
    tally = ledger.paths["b.py"]
    assert (tally.creator, tally.commits, tally.added, tally.deleted, tally.last) == (2, 3, 4, 1, 3)
    assert tally.changes == {0: [3], 1: [2], 2: [1]}
    assert ledger.renamed == {"b.py": None, "a.py": "b.py"}
