"""Fingerprints: a finding's identity across edits, for baselines and --new-since.

Never a line number (radon's and ruff's choice): code + path + enclosing qualified name +
the flagged text without whitespace + the occurrence index among findings with that same key,
so that a baseline survives edits above a finding and reformatting of its line.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from mldebt.findings import Finding

_WHITESPACE = re.compile(r"\s+")


def normalise_snippet(text: str) -> str:
    """Flagged text with all whitespace removed, so reformatting keeps fingerprints stable."""
    return _WHITESPACE.sub("", text)


def fingerprint(code: str, path: str, scope: str, snippet: str, occurrence: int) -> str:
    """A stable identity for a finding: never a line number, so edits above it keep it."""
    key = "\x1f".join((code, path, scope, normalise_snippet(snippet), str(occurrence)))
    # surrogatepass: a file name that is not UTF-8 holds lone surrogates (surrogateescape),
    # which strict UTF-8 refuses; every other text encodes to the same bytes as before.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprinted(findings: Sequence[Finding]) -> list[Finding]:
    """The findings, in the same order, with fingerprints: identical keys in one file are told
    apart by their order of occurrence."""
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    out = list(findings)
    for i in sorted(range(len(out)), key=lambda i: out[i].sort_key):
        finding = out[i]
        key = (finding.code, finding.location.path, finding.scope, normalise_snippet(finding.snippet or finding.message))
        out[i] = replace(finding, fingerprint=fingerprint(*key, occurrences[key]))
        occurrences[key] += 1
    return out
