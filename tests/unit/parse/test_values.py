"""Values from a cache entry are untrusted: anything malformed evaluates to unknowable."""

from __future__ import annotations

import pytest

from mldebt.parse.values import evaluate, join, literal, with_suffix


def _no_lookup(module: str, name: str) -> None:
    return None


@pytest.mark.parametrize(
    "value",
    [["c", "abc"], ["j"], ["r", "m"], ["x", ["s", "a"]], ["P"], ["zz", 1], ["c", [["s", "a"], 3]], [], ["r", "<argv>", "x"]],
)
def test_malformed_values_are_unknowable(value: list) -> None:
    lookup = (lambda module, name: ["s", "a"]) if value[:2] == ["r", "m"] else _no_lookup
    assert evaluate(value, lookup) is None


def test_with_suffix_appends_only_what_is_missing() -> None:
    assert evaluate(with_suffix(literal("out/emb"), ".npy"), _no_lookup) == "out/emb.npy"
    assert evaluate(with_suffix(literal("out/emb.npy"), ".npy"), _no_lookup) == "out/emb.npy"
    built = with_suffix(join([["r", "config", "OUT"], literal("emb")]), ".npz")
    assert evaluate(built, lambda module, name: ["s", "data"]) == "data/emb.npz"
