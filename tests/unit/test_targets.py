import pytest

from mldebt.targets import DYNAMIC, TargetKind, classify, table


@pytest.mark.parametrize(
    ("raw", "base", "kind", "value"),
    [
        ("./data/raw.csv", "", TargetKind.PATH, "data/raw.csv"),
        ("data//x/../y.csv", "", TargetKind.PATH, "data/y.csv"),
        ("x.csv", "src", TargetKind.PATH, "src/x.csv"),
        ("../x.csv", "src", TargetKind.PATH, "x.csv"),
        ("S3://bucket/key/", "", TargetKind.URI, "s3://bucket/key"),
        ("file:///tmp/x", "", TargetKind.PATH, "/tmp/x"),
        ("/abs/x", "src", TargetKind.PATH, "/abs/x"),
        ("~/x.csv", "src", TargetKind.PATH, "~/x.csv"),
        ("C:\\data\\y.csv", "", TargetKind.PATH, "C:/data/y.csv"),
        # The working directory itself is the root, or the directory it is.
        (".", "", TargetKind.PATH, "."),
        ("./", "", TargetKind.PATH, "."),
        ("src/..", "", TargetKind.PATH, "."),
        ("file://.", "", TargetKind.PATH, "."),
        ("..", "src", TargetKind.PATH, "."),
        (".", "src", TargetKind.PATH, "src"),
    ],
)
def test_classify(raw, base, kind, value):
    target = classify(raw, base)
    assert (target.kind, target.value) == (kind, value)


def test_absolute_home_and_outside_are_not_in_repo():
    assert classify("/mnt/x").is_absolute
    assert classify("~/x").is_user_home
    assert not classify("../x").is_in_repo
    assert classify("data/x").is_in_repo


def test_empty_is_dynamic_and_tables_are_lowercased():
    assert classify("  ") == DYNAMIC
    assert table("Analytics.Events").value == "table:analytics.events"
