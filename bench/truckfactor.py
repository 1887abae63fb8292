"""mldebt's truck factor against the values Avelino et al. published (ICPC 2016).

    python bench/truckfactor.py MIRRORS REFERENCE [--date 2015-03-01] [--model reference|creator]
                                [--files reference|mldebt] [--systems owner/name ...]

MIRRORS holds one git repository per system, as `owner+name/repo` (bare, or with a `.git`
inside); REFERENCE is a clone of the authors' tool, aserg-ufmg/Truck-Factor, whose history
holds the published data:

- the truck factors, from the project page of April 2016 (gh-pages, `index.html`);
- the files the authors removed by hand in each system and the aliases they merged (or kept
  apart), from `gittruckfactor/filtered-files.txt`, `alias.txt` and `notalias.txt` as they were
  before the tool's repo_info files were emptied.

Each system found in MIRRORS is cloned (no checkout) into a temporary directory and mined at the
last first-parent commit before --date. The paper does not give that date: the removed-files
list names files that only exist, together, between 2014-12-25 (ipython/ipython) and 2015-03-12
(spotify/luigi, alexreisner/geocoder), so the default is 2015-03-01.

What is compared, and what is not the same as the reference (see mldebt/history/authorship.py):

- files: `--files reference` (default) counts what linguist counts (REFERENCE_INCLUDE minus
  REFERENCE_EXCLUDE, an approximation of linguist by path) minus the paper's removed files;
  `--files mldebt` the default selection. Files with no commit under their path are left out,
  as the reference leaves them out;
- authorship: `--model reference` (default) or `creator`, as `[tool.mldebt.history]
  authorship-model` (AuthorshipModel);
- identities: mldebt's identity merging plus the paper's aliases, no bots (the reference has
  none); the reference merges only same e-mail or same name, and reads no .mailmap;
- re-adds: a file deleted and added again by someone else gives the reference a second first
  author; mldebt's ledger does not tell additions from changes, so there is one creator.

Prints a Markdown table (system, date of the commit, commit, published, ours, difference) and
how many are exact and within one.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mldebt.history import (  # noqa: E402 (the checkout's mldebt, installed or not)
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    DEFAULT_MODEL,
    MODELS,
    REFERENCE_EXCLUDE,
    REFERENCE_INCLUDE,
    NoHistory,
    authorship,
    mine_history,
    select_files,
    truck_factor,
)

# The project page's data as the ICPC 2016 paper published it.
PUBLISHED_PAGE = ("90d4c55241f908dc5183477f29b1d404df60d8ae", "index.html")
REPO_INFO = ("gittruckfactor/filtered-files.txt", "gittruckfactor/alias.txt", "gittruckfactor/notalias.txt")
DEFAULT_DATE = "2015-03-01"
_TF_LINE = re.compile(r"TF = (\d+)(?:</strong>)? ?:([^<]*)")


@dataclass(frozen=True)
class Row:
    system: str
    date: str
    commit: str
    published: int
    ours: int | None  # None: the system could not be mined
    note: str


def git(cwd: Path, *args: str) -> str:
    # alias.txt has a line of mangled bytes (a commented-out one); the rest is UTF-8.
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout
    return out.decode("utf-8", "replace")


def published_values(reference: Path) -> dict[str, int]:
    """system -> published truck factor, from the project page."""
    commit, path = PUBLISHED_PAGE
    page = git(reference, "show", f"{commit}:{path}")
    values = {}
    for value, systems in _TF_LINE.findall(page):
        for system in re.sub(r"\([^)]*\)", "", systems).split(","):
            if system.strip():
                values[system.strip()] = int(value)
    return values


def repo_info(reference: Path) -> tuple[dict[str, set[str]], dict[str, dict[str, list[str]]]]:
    """(system -> paths removed, system -> aliases for mine_history) from the last version of
    the tool's repo_info files that had the paper's data."""
    texts = []
    for path in REPO_INFO:
        last = git(reference, "log", "-1", "--format=%H", "--diff-filter=AM", "--", path).strip()
        texts.append(git(reference, "show", f"{last}:{path}"))
    removed: dict[str, set[str]] = {}
    for line in texts[0].splitlines():
        fields = line.split(";")
        if len(fields) >= 2 and not line.startswith("#"):
            removed.setdefault(fields[0], set()).add(fields[1])
    aliases: dict[str, dict[str, list[str]]] = {}
    for line in texts[1].splitlines():
        fields = line.split(";")
        if len(fields) == 3 and not line.startswith("#"):
            aliases.setdefault(fields[0], {}).setdefault(fields[1], []).append(fields[2])
    for line in texts[2].splitlines():
        fields = line.split(";")
        if len(fields) == 3 and not line.startswith("#"):
            people = aliases.setdefault(fields[0], {})
            for name in fields[1:]:
                # Listed under a person of its own: never merged with the other.
                if not any(name == person or name in listed for person, listed in people.items()):
                    people[name] = []
    return removed, aliases


def mirror_of(mirrors: Path, system: str) -> Path | None:
    base = mirrors / system.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def measure(
    system: str,
    mirror: Path,
    date: str,
    published: int,
    removed: set[str],
    aliases: Mapping[str, Sequence[str]],
    args: argparse.Namespace,
) -> Row:
    with tempfile.TemporaryDirectory(prefix="mldebt-tf-") as scratch:
        clone = Path(scratch) / "repo"
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(mirror), str(clone)], check=True)
        commit = git(clone, "rev-list", "-1", "--first-parent", f"--before={date}T00:00:00Z", "HEAD").strip()
        if not commit:
            return Row(system, "-", "-", published, None, f"no commit before {date}")
        when = datetime.fromtimestamp(int(git(clone, "log", "-1", "--format=%ct", commit)), timezone.utc)
        try:
            history = mine_history(clone, bots=(), aliases=aliases, revision=commit)
        except NoHistory as exc:
            return Row(system, when.date().isoformat(), commit[:10], published, None, str(exc)[:60])
    include, exclude = (REFERENCE_INCLUDE, REFERENCE_EXCLUDE) if args.files == "reference" else (DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    files = [
        path
        for path in select_files(history.files, include, exclude)
        if path in history.paths and (args.files != "reference" or path not in removed)
    ]
    doa = authorship(history, files, MODELS[args.model])
    result = truck_factor({path: entry.authors for path, entry in doa.items()}, history.commit_counts())
    return Row(system, when.date().isoformat(), commit[:10], published, result.value, f"{len(files)} files")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", type=Path, help="directory of owner+name/repo mirrors")
    parser.add_argument("reference", type=Path, help="a clone of aserg-ufmg/Truck-Factor")
    parser.add_argument("--date", default=DEFAULT_DATE, help="analyse the last commit before this day (UTC)")
    parser.add_argument("--model", choices=tuple(MODELS), default=DEFAULT_MODEL)
    parser.add_argument("--files", choices=("reference", "mldebt"), default="reference")
    parser.add_argument("--systems", nargs="*", help="owner/name as published (default: every one mirrored)")
    args = parser.parse_args(argv)

    published = published_values(args.reference)
    removed, aliases = repo_info(args.reference)
    rows = []
    for system in args.systems or sorted(published, key=str.lower):
        if system not in published:
            print(f"{system}: not in the published list", file=sys.stderr)
            continue
        mirror = mirror_of(args.mirrors, system)
        if mirror is None:
            continue
        print(f"{system} ...", file=sys.stderr, flush=True)
        rows.append(measure(system, mirror, args.date, published[system], removed.get(system, set()), aliases.get(system, {}), args))

    print(f"model={args.model} files={args.files} date<{args.date}\n")
    print("| system | date | commit | published | ours | diff | note |")
    print("| --- | --- | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        ours = "-" if row.ours is None else str(row.ours)
        diff = "-" if row.ours is None else f"{row.ours - row.published:+d}"
        print(f"| {row.system} | {row.date} | {row.commit} | {row.published} | {ours} | {diff} | {row.note} |")
    measured = [row for row in rows if row.ours is not None]
    if measured:
        exact = sum(row.ours == row.published for row in measured)
        close = sum(abs(row.ours - row.published) <= 1 for row in measured if row.ours is not None)
        count = len(measured)
        print(f"\n{count} systems: {exact} exact ({exact / count:.0%}), {close} within one ({close / count:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
