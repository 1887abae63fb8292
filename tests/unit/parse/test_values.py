"""Values from a cache entry are untrusted: anything malformed evaluates to unknowable."""

from __future__ import annotations

import pytest

from mldebt.parse import values as v
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


def test_a_constant_doubling_module_after_module_is_looked_up_once_per_module() -> None:
    """`from m3 import A` then `A = A + A` in m4, and so on: there were two to the power of
    the chain's length lookups."""
    asked: list[str] = []

    def lookup(module: str, name: str) -> list:
        asked.append(module)
        level = int(module[1:])
        return ["s", "x"] if level == 0 else ["c", [["r", f"m{level - 1}", "A"], ["r", f"m{level - 1}", "A"]]]

    assert evaluate(["r", "m10", "A"], lookup) == "x" * 2**10
    assert sorted(asked, key=lambda m: int(m[1:])) == [f"m{n}" for n in range(11)]
    asked.clear()
    # Past the depth: unknowable, after at most one lookup per module.
    assert evaluate(["r", "m40", "A"], lookup) is None
    assert len(asked) == len(set(asked))


def test_text_longer_than_any_path_is_unknowable() -> None:
    halves = [["s", "x" * 40_000], ["r", "m", "A"]]
    assert evaluate(["c", halves], lambda module, name: ["s", "x" * 20_000]) == "x" * 60_000
    assert evaluate(["c", halves], lambda module, name: ["s", "x" * 40_000]) is None


def test_alternatives_multiply_through_a_path_and_stop_beyond_the_bound() -> None:
    splits = v.one_of([v.literal("train"), v.literal("test")])
    formats = v.one_of([v.literal(".csv"), v.literal(".parquet")])
    path = v.join([v.literal("data"), v.concat([splits, formats])])
    assert [v.text_of(p) for p in v.alternatives(path)] == [
        "data/train.csv", "data/train.parquet", "data/test.csv", "data/test.parquet",
    ]
    many = v.one_of([v.literal(str(i)) for i in range(v.MAX_ALTERNATIVES)])
    assert len(v.alternatives(many)) == v.MAX_ALTERNATIVES
    assert v.alternatives(v.concat([many, splits])) == [v.DYNAMIC]
    assert v.one_of([v.literal("a"), v.DYNAMIC]) == v.DYNAMIC
    assert v.evaluate(splits, lambda module, name: None) is None
