"""The baseline: the findings a team has accepted, so that CI fails only on new debt.

A baseline file lists fingerprints (never line numbers) with their code, path, message and
count, sorted, so that it diffs well in review. `split` tells new findings from known ones;
`shrink` is `--update-baseline`: it only ever removes entries, so fixed debt cannot come back
unnoticed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mldebt.escaping import json_text
from mldebt.findings import Finding
from mldebt.safefile import MiB, RefusedFile, read_checked

FORMAT_VERSION = 1
MAX_BASELINE_BYTES = 64 * MiB


class BaselineError(Exception):
    """The baseline file cannot be used; the message says why."""


# order=True, and the fields in this order, make sorted() give the file's order:
# (path, code, fingerprint), so that entries of one file stay together in a diff.
@dataclass(frozen=True, order=True)
class BaselineEntry:
    """Accepted findings that share one fingerprint; ``count`` says how many."""

    path: str
    code: str
    fingerprint: str
    message: str
    count: int = 1


@dataclass(frozen=True)
class Baseline:
    """The entries, sorted, and the debt score when the baseline was taken (for the ratchet)."""

    entries: tuple[BaselineEntry, ...]
    debt_score: float = 0.0


@dataclass(frozen=True)
class BaselineSplit:
    """A run's findings against a baseline, and the baseline entries no longer found."""

    new: tuple[Finding, ...]
    known: tuple[Finding, ...]
    fixed: tuple[BaselineEntry, ...]


def build_baseline(findings: Iterable[Finding], debt_score: float = 0.0) -> Baseline:
    """One entry per fingerprint; ``count`` is how many findings share it (normally 1)."""
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    # Sorted first, so that the message kept for a shared fingerprint does not depend on
    # the order the findings came in.
    for finding in sorted(findings, key=lambda f: f.sort_key):
        counts[finding.fingerprint] += 1
        first.setdefault(finding.fingerprint, finding)
    entries = (BaselineEntry(f.location.path, f.code, fp, f.message, counts[fp]) for fp, f in first.items())
    return Baseline(tuple(sorted(entries)), debt_score)


def dump_baseline(baseline: Baseline, version: str) -> str:
    """The baseline file's text: sorted, indented, newline-terminated, the same bytes for the same input."""
    document = {
        "version": FORMAT_VERSION,
        "mldebt": version,
        "debt_score": baseline.debt_score,
        "findings": [
            {"fingerprint": e.fingerprint, "code": e.code, "path": e.path, "count": e.count, "message": e.message}
            for e in sorted(baseline.entries)
        ],
    }
    return json_text(document, indent=2) + "\n"


def load_baseline(path: Path, root: Path | None = None, *, configured: bool = False) -> Baseline:
    """Read a baseline file; every way it can be unusable is a BaselineError naming the file.

    ``path`` is relative to ``root`` when the repository's configuration gave it (``configured``),
    and must then stay inside the repository; either way no symlink inside the repository is
    followed (see `mldebt.safefile`)."""
    try:
        data = read_checked(root or path.parent, path, MAX_BASELINE_BYTES, configured=configured)
        document = json.loads(data.decode("utf-8"))
    except RefusedFile as exc:
        raise BaselineError(f"{path}: cannot read: {exc.strerror}") from None
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline; create it with `mldebt baseline -o {path}`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"{path}: not JSON: {exc}") from None
    if not isinstance(document, dict) or "version" not in document:
        raise BaselineError(f"{path}: not an mldebt baseline (a JSON object with a version and a findings list)")
    if document["version"] != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: baseline format version {document['version']!r} is not supported "
            f"(this mldebt reads version {FORMAT_VERSION}); recreate it with `mldebt baseline -o {path}`"
        )
    if not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not an mldebt baseline: findings must be a list")
    score = document.get("debt_score", 0.0)
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise BaselineError(f"{path}: debt_score must be a number, not {score!r}")
    # A hand-merged file may list a fingerprint twice: its counts add up.
    merged: dict[str, BaselineEntry] = {}
    for i, raw in enumerate(document["findings"]):
        entry = _entry(raw)
        if entry is None:
            raise BaselineError(
                f"{path}: findings[{i}] needs string fingerprint, code, path and message, and a positive integer count"
            )
        seen = merged.get(entry.fingerprint)
        merged[entry.fingerprint] = entry if seen is None else replace(seen, count=seen.count + entry.count)
    return Baseline(tuple(sorted(merged.values())), float(score))


def split(findings: Iterable[Finding], baseline: Baseline) -> BaselineSplit:
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
    fixed = tuple(replace(e, count=remaining[e.fingerprint]) for e in baseline.entries if remaining[e.fingerprint] > 0)
    return BaselineSplit(tuple(new), tuple(known), fixed)


def shrink(baseline: Baseline, findings: Iterable[Finding], debt_score: float) -> Baseline:
    """The baseline without what was fixed, never with anything new; the score only goes down."""
    current = Counter(f.fingerprint for f in findings)
    entries = tuple(
        replace(e, count=min(e.count, current[e.fingerprint])) for e in baseline.entries if current[e.fingerprint] > 0
    )
    return Baseline(entries, min(baseline.debt_score, debt_score))


def _entry(raw: Any) -> BaselineEntry | None:
    if not isinstance(raw, dict):
        return None
    path, code, fingerprint = raw.get("path"), raw.get("code"), raw.get("fingerprint")
    message, count = raw.get("message", ""), raw.get("count", 1)
    if not (isinstance(path, str) and isinstance(code, str) and isinstance(fingerprint, str) and isinstance(message, str)):
        return None
    # bool is an int to Python, but `true` is no count.
    if not (path and code and fingerprint) or isinstance(count, bool) or not isinstance(count, int) or count < 1:
        return None
    return BaselineEntry(path, code, fingerprint, message, count)
