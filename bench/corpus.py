"""The benchmark corpus: the first N modules of the running Python's standard library.

    python bench/corpus.py DEST [--files 400]     # build it once, e.g. to profile a check on it

Every machine that runs mldebt has a standard library, so the corpus needs no download and no
network. Which modules are taken, exactly:

- every ``*.py`` file under ``sysconfig.get_paths()["stdlib"]``,
- leaving out any path with a directory part in ``SKIPPED_PARTS``: test suites (``test/``,
  ``tests/``, among them ``lib2to3/tests/`` whose data files are Python 2 on purpose), IDLE
  (``idlelib/``, a GUI application rather than library code), installed packages
  (``site-packages/``, ``dist-packages/``, which differ from one machine to the next) and
  ``__pycache__/``;
- sorted by root-relative POSIX path (plain string order, so the same on every OS), the first N.

The corpus depends on the Python version (3.12 dropped distutils; modules change size), so
results are only comparable between runs of the same Python: the JSON result records it, with
the corpus's file, line and byte counts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sysconfig
from pathlib import Path

SKIPPED_PARTS = frozenset({"test", "tests", "idlelib", "site-packages", "dist-packages", "__pycache__"})

# A fixed identity and no user or system configuration: the commit must succeed on a machine
# where git has never been configured, and no hook or signing setting may run.
_GIT = [
    "git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
    "-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null",
]


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_modules(count: int) -> list[str]:
    """Root-relative POSIX paths of the first ``count`` stdlib modules, in corpus order."""
    root = stdlib_root()
    relative = (p.relative_to(root) for p in root.rglob("*.py") if p.is_file())
    return sorted(p.as_posix() for p in relative if not SKIPPED_PARTS & set(p.parts))[:count]


def build_corpus(count: int, dest: Path) -> list[Path]:
    """Copy the corpus into ``dest`` and commit it there as a one-commit git repository, so
    that discovery goes through `git ls-files` as it does on a real project."""
    root = stdlib_root()
    copied: list[Path] = []
    for relative in stdlib_modules(count):
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, target)
        copied.append(target)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "corpus"]):
        subprocess.run([*_GIT, *args], cwd=dest, check=True, stdout=subprocess.DEVNULL)
    return copied


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the benchmark corpus (stdlib modules in a git repository).")
    parser.add_argument("dest", type=Path, help="an empty or missing directory")
    parser.add_argument("--files", type=int, default=400, help="how many modules (default: 400)")
    args = parser.parse_args()
    if args.dest.exists() and any(args.dest.iterdir()):
        raise SystemExit(f"{args.dest} is not empty")
    files = build_corpus(args.files, args.dest)
    print(f"{len(files)} modules from {stdlib_root()} in {args.dest}")


if __name__ == "__main__":
    main()
