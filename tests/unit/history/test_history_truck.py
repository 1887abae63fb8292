from datetime import datetime, timezone

from mldebt.history import (
    group_truck_factors,
    inactive_developers,
    module_truck_factors,
    truck_factor,
)


def test_three_developers_with_disjoint_equal_shares_give_two():
    authors = {f"{dev}{i}.py": [dev] for dev in "ABC" for i in range(2)}

    result = truck_factor(authors)

    # After A: 2 of 6 files orphaned; after B: 4 of 6, more than half.
    assert (result.value, result.removed, result.orphaned, result.files) == (2, ("A", "B"), 4, 6)


def test_one_developer_with_most_of_the_code_gives_one():
    authors = {"a.py": ["A"], "b.py": ["A"], "c.py": ["A"], "d.py": ["A", "B"], "e.py": ["B"]}

    # Without A, 3 of 5 files have no author.
    assert truck_factor(authors).removed == ("A",)


def test_ties_are_broken_by_commits_then_name():
    authors = {"a.py": ["Zoe"], "b.py": ["Yan"], "c.py": ["Xia"], "d.py": ["Wim"]}

    result = truck_factor(authors, commits={"Xia": 9, "Yan": 9, "Zoe": 1})

    assert result.removed == ("Xia", "Yan", "Zoe")


def test_shared_files_need_every_author_gone():
    authors = {"a.py": ["A", "B"], "b.py": ["A", "B"]}

    assert truck_factor(authors).value == 2


def test_no_files_and_all_orphans_give_zero():
    assert truck_factor({}).value == 0
    assert truck_factor({"a.py": [], "b.py": []}).value == 0


def test_modules_and_groups():
    authors = {"a/x.py": ["A"], "a/y.py": ["A"], "b/z.py": ["B"], "b/w/q.py": ["C"], "r.py": ["A"]}

    modules = module_truck_factors(authors)
    groups = group_truck_factors(authors, {"train": ["a/x.py", "b/z.py", "not/at/head.py"]})

    assert {name: tf.value for name, tf in modules.items()} == {"a": 1, "b": 2, "b/w": 1}
    assert modules["b"].files == 2
    assert (groups["train"].files, groups["train"].value) == (2, 2)


def test_active_truck_factor_counts_the_inactive_as_gone(memory_history):
    history = memory_history(
        [
            ("A", 0, ["a1.py", "a2.py"]),
            ("B", 0, ["b1.py", "b2.py"]),
            ("C", 0, ["c1.py", "c2.py"]),
            ("B", 300, ["b1.py"]),
            ("C", 390, ["c1.py"]),
        ]
    )
    authors = {path: [path[0].upper()] for path in history.files}

    # As of HEAD (day 390), A's last commit is more than 12 months old.
    gone = inactive_developers(history)
    result = truck_factor(authors, history.commit_counts(), gone)
    assert gone == {"A"}
    assert (result.value, result.removed, result.inactive) == (1, ("B",), ("A",))

    earlier = datetime(2024, 7, 1, tzinfo=timezone.utc)
    assert inactive_developers(history, as_of=earlier) == frozenset()
    assert inactive_developers(history, months=1) == {"A", "B"}


def test_the_activity_window_is_in_calendar_months(memory_history):
    # HEAD is on 2024-03-31 (day 90); a month before is 2024-02-29, a leap day, same hour.
    history = memory_history(
        [("on-the-day", 59, ["a.py"]), ("day-before", 58, ["b.py"]), ("head", 90, ["c.py"])]
    )

    assert inactive_developers(history, months=1) == {"day-before"}


def test_exactly_half_orphaned_goes_on_as_in_the_reference():
    # The reference stops once coverage is below 50%: at exactly half it takes one more.
    authors = {"a.py": ["A"], "b.py": ["A"], "c.py": ["B"], "d.py": ["B", "C"]}

    result = truck_factor(authors)

    # Without A: 2 of 4 orphaned (coverage 50%, go on); without B too: 3 of 4.
    assert (result.value, result.removed, result.orphaned) == (2, ("A", "B"), 3)
