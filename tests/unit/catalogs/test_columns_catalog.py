"""The column catalog: the bundled entries load, a user's come first, bad ones are reported."""

from __future__ import annotations

import pytest

from mldebt.catalogs import load_catalog, validate_extension


def test_bundled_entries_are_found_by_name_and_pattern() -> None:
    columns = load_catalog().columns
    assert columns.function("pandas.read_csv").op == "read"  # type: ignore[union-attr]
    assert columns.function("polars.scan_parquet").op == "read"  # type: ignore[union-attr]
    assert columns.function("pandas.io.read_csv") is None
    # pandas' filter(items=) selects columns; anything else filtering is about rows.
    assert [entry.op for entry in columns.methods_named("filter")] == ["select", "pass"]
    assert "values" in columns.pass_attributes
    assert "shape" in columns.frame_attributes and "age" not in columns.frame_attributes


def test_a_users_entries_come_first() -> None:
    extension = {"columns": {"method": [{"match": ["keep_only"], "op": "select", "arg": 0}], "pass_attributes": ["df"]}}
    columns = load_catalog(extension).columns
    assert [entry.op for entry in columns.methods_named("keep_only")] == ["select"]
    assert "df" in columns.pass_attributes
    assert load_catalog(extension).digest != load_catalog().digest


@pytest.mark.parametrize(
    ("extension", "problem"),
    [
        ({"columns": []}, "[tool.mldebt.catalog.columns] must be a table"),
        ({"columns": {"methods": []}}, "[tool.mldebt.catalog.columns]: unknown key(s) methods"),
        (
            {"columns": {"method": [{"match": ["x"], "op": "explode"}]}},
            "[tool.mldebt.catalog.columns] method[0]: 'op' must be one of",
        ),
        (
            {"columns": {"function": [{"match": ["x"], "op": "drop", "arg": -1}]}},
            "[tool.mldebt.catalog.columns] function[0]: 'arg' must be a non-negative integer",
        ),
        (
            {"columns": {"method": [{"match": ["x"], "op": "drop", "varargs": "yes"}]}},
            "[tool.mldebt.catalog.columns] method[0]: 'varargs' must be true or false",
        ),
        (
            {"columns": {"method": [{"match": "x", "op": "drop"}]}},
            "[tool.mldebt.catalog.columns] method[0]: 'match' must be a non-empty list of names",
        ),
        (
            {"columns": {"method": [{"match": ["x"], "op": "drop", "colums": ["a"]}]}},
            "[tool.mldebt.catalog.columns] method[0]: unknown key(s) colums",
        ),
        (
            {"columns": {"frame_attributes": "shape"}},
            "[tool.mldebt.catalog.columns]: 'frame_attributes' must be a list of strings",
        ),
    ],
)
def test_bad_entries_are_reported(extension: dict[str, object], problem: str) -> None:
    (found,) = validate_extension(extension)
    assert found.startswith(problem)
