from mldebt.history import churn, maintainers


def by_name(history):
    return {developer.name: developer for developer in history.developers}


def test_churn_counts_commits_lines_dates_and_people(memory_history):
    history = memory_history(
        [
            ("Alice", 0, ["a.py", "b.py"]),
            ("Bob", 5, ["a.py"]),
            ("dependabot[bot]", 9, ["a.py"]),
        ]
    )

    result = churn(history, files=["a.py"])

    assert list(result) == ["a.py"]
    a = result["a.py"]
    assert (a.commits, a.added, a.deleted) == (3, 3, 0)
    assert a.last_change == history.head_time == by_name(history)["dependabot[bot]"].last_commit
    assert a.authors == ("Alice", "Bob")


def test_maintainers_have_enough_commits_to_the_files_inside_the_window(memory_history):
    history = memory_history(
        [
            ("Alice", 0, ["a.py"]),
            ("Alice", 1, ["a.py"]),
            ("Alice", 2, ["a.py"]),  # three, but before the window
            ("Bob", 100, ["a.py", "b.py"]),  # one commit to both files counts once
            ("Bob", 101, ["b.py"]),
            ("Bob", 102, ["a.py"]),
            ("Carol", 100, ["a.py"]),
            ("Carol", 101, ["a.py"]),  # two: fewer than three
            ("dependabot[bot]", 100, ["a.py"]),
            ("dependabot[bot]", 101, ["a.py"]),
            ("dependabot[bot]", 102, ["a.py"]),
        ]
    )
    window = (by_name(history)["Bob"].first_commit, history.head_time)

    assert maintainers(history, ["a.py", "b.py"], window) == ("Bob",)
    assert maintainers(history, ["a.py", "b.py"], window, minimum=2) == ("Bob", "Carol")
    assert maintainers(history, ["b.py"], window) == ()
    assert maintainers(history, ["a.py"], (0, history.head_time + 1), minimum=3) == ("Alice",)
