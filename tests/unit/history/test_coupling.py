"""Co-change coupling: code-maat's own test cases re-expressed, its thresholds and rounding at
their boundaries, and a hand-computed history mined from a real repository."""

import pytest

from mldebt.history import mine_history
from mldebt.history.coupling import CoChanges, Coupling, coupling
from mldebt.history.ledger import RawCommit, fold

# code-maat's test-data/options-with-low-thresholds (max-changeset-size 10 goes to the fold).
LOW = {"min_revs": 1, "min_shared_revs": 1, "min_coupling": 50, "max_coupling": 100}


def _co_changes(*change_sets, cap=30):
    """The counts of change sets given oldest first, as code-maat's :rev order has them."""
    commits = [
        RawCommit(f"{i:040x}", 1, "A", "a@x", i, i, tuple((None, path, 1, 0) for path in files))
        for i, files in reversed(list(enumerate(change_sets)))
    ]
    ledger = fold(commits, cap)
    revisions = {path: tally.revisions for path, tally in ledger.paths.items() if tally.revisions}
    return CoChanges(cap, revisions, ledger.shared)


def _rows(results):
    return [(r.entity, r.coupled, r.degree, r.average_revs, r.entity_revs, r.coupled_revs, r.shared_revs) for r in results]


def test_code_maat_coupling_algos_counts():
    """coupling_algos_test: frequencies [[A B] 2] [[A C] 1] [[B C] 1], revisions {A 2, B 2, C 1}."""
    counts = _co_changes(["A", "B", "C"], ["A", "B"], cap=10)

    assert counts.shared == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1}
    assert counts.revisions == {"A": 2, "B": 2, "C": 1}


def test_code_maat_calculates_coupling_by_degree_verbose():
    """logical_coupling_test: [A B 100 2 2 2] [A C 66 2 2 1 1] [B C 66 2 2 1 1]."""
    results = coupling(_co_changes(["A", "B", "C"], ["A", "B"], cap=10), **LOW)

    assert _rows(results) == [
        ("A", "B", 100, 2, 2, 2, 2),
        ("A", "C", 66, 2, 2, 1, 1),
        ("B", "C", 66, 2, 2, 1, 1),
    ]


def test_code_maat_single_change_set_with_a_single_entity_is_empty():
    assert coupling(_co_changes(["This/is/a/single/entity"], cap=10), **LOW) == []


def test_defaults_are_code_maats():
    """min-revs 5, min-shared-revs 5, min-coupling 30, max-coupling 100, change sets over 30 skipped."""
    five_together = [["a.py", "b.py"]] * 5
    assert _rows(coupling(_co_changes(*five_together))) == [("a.py", "b.py", 100, 5, 5, 5, 5)]
    assert coupling(_co_changes(*five_together[:4])) == []
    # 31 files: the change set is skipped whole, revisions included.
    wide = [f"f{i:02}.py" for i in range(29)]
    assert coupling(_co_changes(*[["a.py", "b.py", *wide]] * 5)) == []
    assert len(coupling(_co_changes(*[["a.py", "b.py", *wide[:28]]] * 5))) == 435


def test_min_revs_compares_the_exact_average():
    """Revisions 5 and 4: the average 4.5 fails min-revs 5 although it is printed rounded up, 5."""
    history = [["a.py", "b.py"]] * 4 + [["a.py"]]
    assert coupling(_co_changes(*history), min_revs=5, min_shared_revs=1) == []
    assert _rows(coupling(_co_changes(*history), min_revs=4, min_shared_revs=1)) == [("a.py", "b.py", 88, 5, 5, 4, 4)]


def test_min_coupling_compares_the_exact_percentage_and_the_degree_is_truncated():
    """Shared 1 of revisions 1 and 5: 1 / 3 = 33.3 %, reported as 33, kept by min-coupling 33
    and dropped by 34; shared 2 of 2 and 5: 57.14 %, reported as 57."""
    one_of_three = _co_changes(["a.py", "b.py"], *[["b.py"]] * 4)
    assert _rows(coupling(one_of_three, min_revs=1, min_shared_revs=1, min_coupling=33)) == [("a.py", "b.py", 33, 3, 1, 5, 1)]
    assert coupling(one_of_three, min_revs=1, min_shared_revs=1, min_coupling=34) == []
    two_of_seven = _co_changes(*[["a.py", "b.py"]] * 2, *[["b.py"]] * 3)
    assert [r.degree for r in coupling(two_of_seven, min_revs=1, min_shared_revs=1)] == [57]


def test_max_coupling_compares_the_truncated_degree():
    """66.67 % passes max-coupling 66 (floor 66 <= 66), 100 % does not pass 99."""
    counts = _co_changes(["A", "B", "C"], ["A", "B"])
    assert [(r.entity, r.coupled) for r in coupling(counts, **{**LOW, "max_coupling": 66})] == [("A", "C"), ("B", "C")]
    assert coupling(counts, **{**LOW, "max_coupling": 99, "min_coupling": 67}) == []


def test_min_shared_revs():
    counts = _co_changes(*[["a.py", "b.py"]] * 3, *[["a.py"]] * 3)
    assert coupling(counts, min_revs=1, min_shared_revs=4) == []
    assert [r.shared_revs for r in coupling(counts, min_revs=1, min_shared_revs=3)] == [3]


def test_files_restricts_both_sides_of_a_pair():
    counts = _co_changes(*[["a.py", "b.py", "c.md"]] * 5)
    assert [(r.entity, r.coupled) for r in coupling(counts, files={"a.py", "b.py"})] == [("a.py", "b.py")]


def test_results_are_strongest_first_then_by_average_revs_then_by_path():
    counts = _co_changes(*[["c.py", "d.py"]] * 5, *[["a.py", "b.py"]] * 5, *[["e.py", "f.py"]] * 6, ["e.py"])
    assert [(r.entity, r.degree, r.average_revs) for r in coupling(counts)] == [
        ("a.py", 100, 5), ("c.py", 100, 5), ("e.py", 92, 7)
    ]


def test_a_result_serialises_with_its_raw_counts():
    result = Coupling("a.py", "b.py", 66, 2, 2, 1, 1)
    assert result.to_json() == {
        "entity": "a.py", "coupled": "b.py", "degree": 66, "average_revs": 2,
        "entity_revs": 2, "coupled_revs": 1, "shared_revs": 1,
    }


@pytest.fixture
def hand_computed(repo, commit):
    """Seven commits, counted by hand below (C = commit, oldest first):

    C1 model.py + train.py            C5 features.py + model.py + train.py (3 files, over a cap of 2)
    C2 model.py + train.py            C6 train.py renamed to fit.py, with model.py
    C3 model.py                       C7 fit.py + model.py
    C4 features.py

    With a cap of 2 files: model.py has revisions C1 C2 C3 C6 C7 = 5; fit.py (train.py before the
    rename) C1 C2 C6 C7 = 4; features.py C4 = 1. Shared (fit.py, model.py): C1 C2 C6 C7 = 4, so
    degree = 4 / 4.5 = 88.9 % -> 88, average revs 4.5 -> 5. With the cap of 30, C5 counts too:
    5 / 5.5 = 90.9 % -> 90, average 6, and features.py is coupled in C5 only.
    """
    return repo(
        [
            commit("Alice", 0, {"model.py": "1\n", "train.py": "1\n"}),
            commit("Alice", 1, {"model.py": "2\n", "train.py": "2\n"}),
            commit("Bob", 2, {"model.py": "3\n"}),
            commit("Bob", 3, {"features.py": "1\n"}),
            commit("Alice", 4, {"features.py": "2\n", "model.py": "4\n", "train.py": "3\n"}),
            commit("Bob", 5, {"model.py": "5\n"}, renames={"train.py": "fit.py"}),
            commit("Alice", 6, {"model.py": "6\n", "fit.py": "3\n4\n"}),
        ]
    )


def test_a_hand_computed_history(hand_computed):
    capped = mine_history(hand_computed, max_changeset_size=2).co_changes
    assert capped.revisions == {"model.py": 5, "fit.py": 4, "features.py": 1}
    assert _rows(coupling(capped, min_revs=1, min_shared_revs=1)) == [("fit.py", "model.py", 88, 5, 4, 5, 4)]

    full = mine_history(hand_computed).co_changes
    assert _rows(coupling(full, min_revs=1, min_shared_revs=1, min_coupling=1)) == [
        ("fit.py", "model.py", 90, 6, 5, 6, 5),
        ("features.py", "fit.py", 28, 4, 2, 5, 1),
        ("features.py", "model.py", 25, 4, 2, 6, 1),
    ]
