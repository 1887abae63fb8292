"""The token bound on nesting: above the analysis limit well before libcst's parser would
crash, and low for flat code however long."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mldebt.parse.analyze import MAX_NESTING
from mldebt.parse.nesting import nesting_bound

# Each construct nested n levels deep, with the depth from which libcst 1.9 crashes on it
# (measured in a child process on an 8 MiB stack). A Python 2 print ends every source, so
# that CPython rejects it.
CRASHING: dict[str, tuple[Callable[[int], str], int]] = {
    "brackets": (lambda n: "(" * n + "1" + ")" * n, 1287),
    "calls": (lambda n: "f(" * n + "1" + ")" * n, 1196),
    "subscripts": (lambda n: "a[" * n + "1" + "]" * n, 1470),
    "dicts": (lambda n: "{1:" * n + "1" + "}" * n, 1348),
    "comprehensions": (lambda n: "[a for a in " * n + "b" + "]" * n, 1379),
    "parenthesised lambdas": (lambda n: "(lambda: " * n + "1" + ")" * n, 1044),
    "f-strings": (lambda n: 'f"{' * n + "1" + '}"' * n, 1135),
    "t-strings": (lambda n: 't"{' * n + "1" + '}"' * n, 1135),
    "brackets in an f-string": (lambda n: 'f"{' + "(" * n + "1" + ")" * n + '}"', 1000),
    "lambdas": (lambda n: "lambda: " * n + "1", 3542),
    "lambdas with parameters": (lambda n: "lambda a, b: " * n + "1", 3542),
    "nots": (lambda n: "not " * n + "1", 8218),
}


@pytest.mark.parametrize("construct", CRASHING)
def test_nesting_a_third_as_deep_as_crashes_libcst_is_over_the_limit(construct: str) -> None:
    nest, crashes_from = CRASHING[construct]
    bound = nesting_bound(f"x = {nest(crashes_from // 3)}\nprint 'x'\n")
    # Unknown (Python 3.12+ tokenizers stop at 200 nested brackets) is as safe: libcst is then
    # tried in a child process.
    assert bound is None or bound > MAX_NESTING


@pytest.mark.parametrize(
    "source",
    [
        "x = [" + ", ".join(str(-n) for n in range(20_000)) + "]\n",
        "TABLE = {\n" + "".join(f"    'key{n}': ('value', {n}, [1.5, -2]),\n" for n in range(5_000)) + "}\n",
        "import os\n" + "".join(f"def f{n}(a, b=1):\n    if a:\n        return os.path.join(a, 'x')\n" for n in range(2_000)),
        "print 'x'\n" * 10_000,
        'SQL = f"""\n' + "SELECT a, b FROM t WHERE c = {c} AND d = 'x' -- (note)\n" * 500 + '"""\n',
    ],
    ids=["long-list", "big-dict", "many-functions", "many-statements", "long-f-string"],
)
def test_flat_code_stays_far_below_the_limit(source: str) -> None:
    bound = nesting_bound(source)
    assert bound is not None and bound < 40


def test_a_source_the_tokenizer_stops_in_is_unknown() -> None:
    assert nesting_bound("if x:\n        a = 1\n    b = 2\nc = (((1)))\n") is None
    assert nesting_bound("x = (1,\n") == 5
