"""Benchmark of history mining on a real repository with a long history.

    python bench/history.py PATH_TO_A_GIT_REPOSITORY [--steps 5] [--pydriller-commits 1000]

Works on a temporary clone of the repository, checked out --steps first-parent commits behind
its HEAD, and measures in one run:

- git log: the single `git log` the mining runs (same options), output discarded;
- mining: `mine_history` cold, in process (parsing, renames, identities, co-change pairs; no
  cache), and code-maat's coupling computed from its pair counts;
- cold `mldebt ownership --format json` with an empty cache (facts and history);
- reruns: HEAD moved forward by one commit, `mldebt ownership` again (the history cache is
  extended, the files the commit changed are parsed again), once per step up to HEAD;
- pydriller (if installed): its traversal of the newest N commits, reading each commit's
  modified files and line counts, scaled per commit.

What a rerun costs depends on the commit: mostly on the size of the Python files it changed,
which are parsed again. Each step is shown with the bytes of Python it changed; the target is
checked on the median and the worst step.

Targets: mining <= 1.5x git log; >= 20x faster than pydriller per commit; the incremental
rerun <= 10% of cold.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def timed_command(command: list[str], cwd: Path) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{command} failed with exit code {code}")
    return float(seconds), int(rss)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def pydriller_per_commit(repo: Path, count: int) -> float | None:
    try:
        from pydriller import Repository
    except ImportError:
        return None
    start = time.perf_counter()
    seen = 0
    for commit in Repository(str(repo), order="reverse").traverse_commits():
        for modified in commit.modified_files:
            _ = (modified.new_path, modified.added_lines, modified.deleted_lines)
        seen += 1
        if seen >= count:
            break
    return (time.perf_counter() - start) / max(seen, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repository", type=Path)
    parser.add_argument("--steps", type=int, default=5, help="reruns, one new commit each (default 5)")
    parser.add_argument("--pydriller-commits", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from mldebt.history.coupling import coupling
    from mldebt.history.mine import _LOG_OPTIONS, mine_history

    with tempfile.TemporaryDirectory(prefix="mldebt-history-bench-") as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(args.repository.resolve()), str(repo)], check=True)
        steps = git(repo, "rev-list", "--first-parent", "--reverse", f"HEAD~{args.steps}..HEAD").split()
        git(repo, "checkout", "-q", "--detach", f"HEAD~{args.steps}")
        commits = int(git(repo, "rev-list", "--count", "HEAD"))

        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            subprocess.run(["git", *_LOG_OPTIONS, "HEAD", "--"], cwd=repo, stdout=sink, check=True)
        git_log = time.perf_counter() - start

        start = time.perf_counter()
        co_changes = mine_history(repo, cache=None).co_changes
        mining = time.perf_counter() - start
        mining_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        coupled = len(coupling(co_changes))
        coupling_seconds = time.perf_counter() - start

        # The runs' cache starts empty, and is deleted with the clone.
        os.environ["MLDEBT_CACHE_DIR"] = str(Path(tmp) / "cache")
        command = [sys.executable, "-m", "mldebt", "ownership", "--format", "json", "-o", os.devnull]
        cold, cold_rss = timed_command(command, repo)
        reruns = []
        for sha in steps:
            changed = git(repo, "diff", "--name-only", "-z", "HEAD", sha).split("\0")
            git(repo, "checkout", "-q", "--detach", sha)
            python_bytes = sum((repo / p).stat().st_size for p in changed if p.endswith(".py") and (repo / p).is_file())
            seconds, rss = timed_command(command, repo)
            reruns.append((sha[:10], python_bytes, seconds, rss))
        pydriller = pydriller_per_commit(repo, args.pydriller_commits)

    per_commit = mining / commits
    ratios = sorted(seconds / cold for _, _, seconds, _ in reruns)
    print(f"repository: {args.repository} ({commits} commits mined cold, then {len(reruns)} more, one at a time)")
    print("| measure | value | target |\n| --- | --- | --- |")
    print(f"| git log alone | {git_log:.2f} s | |")
    print(f"| mining, cold, in process | {mining:.2f} s ({per_commit * 1e6:.0f} us/commit) | |")
    print(f"| mining / git log | {mining / git_log:.2f} | <= 1.5 |")
    print(f"| coupling: pairs folded, coupled at code-maat's defaults, time | {len(co_changes.shared)}, {coupled}, "
          f"{coupling_seconds:.3f} s | |")
    print(f"| cold `mldebt ownership` (analysis included) | {cold:.2f} s | |")
    for sha, python_bytes, seconds, _ in reruns:
        print(f"| rerun after {sha} ({python_bytes / 1024:.0f} KiB of Python changed) | {seconds:.2f} s, {seconds / cold:.3f} of cold | |")
    print(f"| rerun / cold: median, worst | {statistics.median(ratios):.3f}, {ratios[-1]:.3f} | <= 0.10 |")
    if pydriller is not None:
        print(f"| pydriller, newest {args.pydriller_commits} commits | {pydriller * 1e3:.2f} ms/commit | |")
        print(f"| pydriller / mining, per commit | {pydriller / per_commit:.0f}x | >= 20x |")
    worst_rss = max(rss for _, _, _, rss in reruns)
    print(f"| peak RSS: mining in process / cold / worst rerun | {mining_rss // 1024} / {cold_rss // 1024} / {worst_rss // 1024} MiB | |")

if __name__ == "__main__":
    main()
