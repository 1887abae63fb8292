from mldebt.history import churn


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
