"""Identity merging on real histories, against gambit (Gote and Zingg, MSR 2021).

    python bench/identities.py REPO [REPO ...] [--gambit-python PYTHON] [--gambit-cache DIR] [--sample 20]

For each repository: its (name, e-mail) identities as mining sees them (`git log` after
.mailmap), grouped by mldebt.history.identities; how many merges, bots and machine identities
that gives; and a random sample of merged pairs, with their reasons, to check by hand.

With --gambit-python (an interpreter where `pip install gambit-disambig` was run: it needs
pandas, numpy, python-Levenshtein and pyjarowinkler, which mldebt does not depend on), the same
identities go through gambit's own `gambit()` at its defaults (threshold 0.95, Levenshtein), and
the two groupings are compared pair by pair: identity pairs both merge, pairs only one merges,
and the groups where they differ, for review. Bots and machines are people to gambit, which has
no notion of either; pairs that involve them are counted apart.

Nothing is asserted: this is a measurement, its results go into the note.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mldebt.history.identities import Kind, group_identities

_GAMBIT = """
import json, sys
import pandas as pd
from gambit.algorithms.gambit import gambit
identities = json.load(sys.stdin)
frame = pd.DataFrame({"alias_name": [n for n, _ in identities], "alias_email": [e for _, e in identities]})
import contextlib, io
with contextlib.redirect_stderr(io.StringIO()):
    result = gambit(frame)
print(json.dumps([int(x) for x in result["author_id"]]))
"""


def identities_of(repo: Path) -> tuple[list[tuple[str, str]], list[int]]:
    """The distinct (name, e-mail) pairs of HEAD's history, newest first, with their commits."""
    out = subprocess.run(
        ["git", "-C", str(repo), "log", "--use-mailmap", "--format=%aN%x00%aE"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    counts: dict[tuple[str, str], int] = {}
    for line in out.splitlines():
        name, _, email = line.partition("\0")
        counts[(name, email)] = counts.get((name, email), 0) + 1
    return list(counts), list(counts.values())


def gambit_groups(python: str, identities: list[tuple[str, str]], cache: Path | None) -> list[int]:
    text = json.dumps(identities)
    kept = cache / (hashlib.sha256(text.encode()).hexdigest()[:16] + ".json") if cache else None
    if kept is not None and kept.exists():
        return json.loads(kept.read_text())
    done = subprocess.run([python, "-c", _GAMBIT], input=text, capture_output=True, text=True, check=True)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(done.stdout)
    return json.loads(done.stdout)


def pairs(groups: list[int], keep: list[bool]) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for i, group in enumerate(groups):
        if keep[i]:
            members.setdefault(group, []).append(i)
    return {pair for listed in members.values() for pair in itertools.combinations(listed, 2)}


def show(identity: tuple[str, str]) -> str:
    return f"{identity[0]} <{identity[1]}>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--gambit-python", help="an interpreter with gambit-disambig installed")
    parser.add_argument("--sample", type=int, default=20, help="merged pairs to show for review")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gambit-cache", type=Path, help="a directory to keep gambit's groupings in (it is slow)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total = {"identities": 0, "ours": 0, "gambit": 0, "both": 0, "only_ours": 0, "only_gambit": 0}
    for repo in args.repos:
        identities, commits = identities_of(repo)
        grouping = group_identities(identities)
        kinds = [grouping.kinds[d] for d in grouping.developers]
        people = [kind is Kind.PERSON for kind in kinds]
        merged = len(identities) - len(grouping.kinds)
        print(f"\n== {repo}: {len(identities)} identities, {len(grouping.kinds)} developers, {merged} merges, "
              f"{sum(k is Kind.BOT for k in grouping.kinds)} bots, {sum(k is Kind.MACHINE for k in grouping.kinds)} machines")
        for i, kind in enumerate(kinds):
            if kind is Kind.MACHINE:
                print(f"   machine: {show(identities[i])} ({commits[i]} commits)")
        ours = pairs(list(grouping.developers), people)
        total["identities"] += len(identities)
        total["ours"] += len(ours)
        sample = rng.sample(grouping.merges, min(args.sample, len(grouping.merges)))
        print(f"   {len(sample)} of our merges, at random:")
        for merge in sample:
            print(f"     {show(identities[merge.identity])}  ==  {show(identities[merge.other])}: {merge.reason}")
        if not args.gambit_python:
            continue
        theirs = pairs(gambit_groups(args.gambit_python, identities, args.gambit_cache), people)
        both, only_ours, only_theirs = ours & theirs, ours - theirs, theirs - ours
        total["gambit"] += len(theirs)
        total["both"] += len(both)
        total["only_ours"] += len(only_ours)
        total["only_gambit"] += len(only_theirs)
        print(f"   pairs of people merged: ours {len(ours)}, gambit {len(theirs)}, both {len(both)}, "
              f"only ours {len(only_ours)}, only gambit {len(only_theirs)}")
        for label, listed in (("only ours", only_ours), ("only gambit", only_theirs)):
            for a, b in sorted(listed)[:40]:
                print(f"     {label}: {show(identities[a])}  ==  {show(identities[b])}")
    print("\ntotal:", json.dumps(total))


if __name__ == "__main__":
    main()
