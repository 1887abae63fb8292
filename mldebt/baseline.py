"""The baseline: the findings a team has accepted, so that CI fails only on new debt.

A baseline file lists fingerprints (never line numbers) with their code, path, message and
count, sorted, so that it diffs well in review. `split` tells new findings from known ones;
`shrink` is `--update-baseline`: it only ever removes entries, so fixed debt cannot come back
unnoticed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mldebt.findings import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used; the message says why."""


@dataclass(frozen=True, order=True)
class BaselineEntry:
    path: str
    code: str
    fingerprint: str
    message: str
    count: int = 1


@dataclass(frozen=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]
    debt_score: float = 0.0


@dataclass(frozen=True)
class BaselineSplit:
    new: tuple[Finding, ...]
    known: tuple[Finding, ...]
    fixed: tuple[BaselineEntry, ...]


def build_baseline(findings: Iterable[Finding], debt_score: float = 0.0) -> Baseline:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for finding in findings:
        counts[finding.fingerprint] += 1
        first.setdefault(finding.fingerprint, finding)
    entries = (
        BaselineEntry(f.location.path, f.code, fp, f.message, counts[fp]) for fp, f in first.items()
    )
    return Baseline(tuple(sorted(entries)), debt_score)


def dump_baseline(baseline: Baseline, version: str) -> str:
    document = {
        "version": FORMAT_VERSION,
        "mldebt": version,
        "debt_score": baseline.debt_score,
        "findings": [
            {"fingerprint": e.fingerprint, "code": e.code, "path": e.path, "count": e.count, "message": e.message}
            for e in baseline.entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline; create it with `mldebt baseline -o {path}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not an mldebt baseline (version {FORMAT_VERSION} with a findings list)")
    entries: list[BaselineEntry] = []
    for i, raw in enumerate(document["findings"]):
        try:
            count = raw.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise TypeError("count")
            entries.append(BaselineEntry(str(raw["path"]), str(raw["code"]), str(raw["fingerprint"]), str(raw.get("message", "")), count))
        except (KeyError, TypeError, AttributeError):
            raise BaselineError(f"{path}: findings[{i}] needs fingerprint, code, path and a positive count") from None
    score = document.get("debt_score", 0.0)
    return Baseline(tuple(sorted(entries)), float(score) if isinstance(score, (int, float)) else 0.0)


def split(findings: Sequence[Finding], baseline: Baseline) -> BaselineSplit:
    """A fingerprint with count n in the baseline absorbs up to n findings; the rest are new."""
    remaining = {e.fingerprint: e.count for e in baseline.entries}
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        if remaining.get(finding.fingerprint, 0) > 0:
            remaining[finding.fingerprint] -= 1
            known.append(finding)
        else:
            new.append(finding)
    # What the baseline still holds unclaimed has been fixed since (count = how many).
    fixed = tuple(
        BaselineEntry(e.path, e.code, e.fingerprint, e.message, remaining[e.fingerprint])
        for e in baseline.entries
        if remaining.get(e.fingerprint, 0) > 0
    )
    return BaselineSplit(tuple(new), tuple(known), fixed)


def shrink(baseline: Baseline, findings: Iterable[Finding], debt_score: float) -> Baseline:
    """The baseline without what was fixed; never with anything new."""
    current = Counter(f.fingerprint for f in findings)
    entries = tuple(
        BaselineEntry(e.path, e.code, e.fingerprint, e.message, min(e.count, current[e.fingerprint]))
        for e in baseline.entries
        if current[e.fingerprint] > 0
    )
    return Baseline(entries, min(baseline.debt_score, debt_score))
