"""Benchmark of the analyzer core against libcst parsing, on a corpus every machine has.

    python bench/core.py [--files 400] [--repeat 3] [--jobs N]

The corpus is the first N modules (sorted by path) of the running Python's standard library,
leaving out tests, idlelib and site-packages, copied into a temporary git repository. In one
run it measures:

- parse-only: libcst.parse_module over every file, in one process (reading and decoding
  included, as the check must do them too);
- cold: `python -m mldebt check` with an empty cache (process start-up included);
- warm: the same again, nothing changed;
- pre-commit: one file edited, `mldebt check <that file>` as the pre-commit hook runs it
  (warm cache for everything else);
- peak memory (max RSS) of the cold and warm runs.

Times are medians over --repeat runs; the ratios cold/parse-only and warm/cold are computed
within the run, so a noisy shared machine affects both sides alike. Targets on a 2-core
machine: cold <= 1.5x parse-only, warm <= 10% of cold, pre-commit <= 10% of cold.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

_SKIP_PARTS = {"test", "tests", "idlelib", "site-packages", "dist-packages", "__pycache__"}
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def corpus_files(count: int) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p for p in stdlib.rglob("*.py") if not (_SKIP_PARTS & set(p.relative_to(stdlib).parts))
    )
    return files[:count]


def build_corpus(count: int, dest: Path) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    copied: list[Path] = []
    for source in corpus_files(count):
        target = dest / source.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "corpus"]):
        subprocess.run(["git", *args], cwd=dest, check=True, env=env)
    return copied


def parse_only(files: list[Path]) -> float:
    import libcst

    start = time.perf_counter()
    for path in files:
        with contextlib.suppress(libcst.ParserSyntaxError, UnicodeDecodeError):
            libcst.parse_module(path.read_bytes().decode("utf-8"))
    return time.perf_counter() - start


def run_check(corpus: Path, jobs: int | None, target: Path | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one `mldebt check`, measured from a wrapper process."""
    command = [sys.executable, "-m", "mldebt", "check", "--exit-zero", str(target or corpus)]
    if jobs:
        command += ["--jobs", str(jobs)]
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"mldebt check failed with exit code {code}")
    return float(elapsed), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mldebt-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        files = build_corpus(args.files, corpus)
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        parse, cold, warm, hook, cold_rss, warm_rss = [], [], [], [], [], []
        edited = files[len(files) // 2]
        for _ in range(args.repeat):
            parse.append(parse_only(files))
            shutil.rmtree(corpus / ".mldebt_cache", ignore_errors=True)
            seconds, rss = run_check(corpus, args.jobs)
            cold.append(seconds)
            cold_rss.append(rss)
            seconds, rss = run_check(corpus, args.jobs)
            warm.append(seconds)
            warm_rss.append(rss)
            with edited.open("a", encoding="utf-8") as handle:
                handle.write("\n# edited by the benchmark\n")
            hook.append(run_check(corpus, args.jobs, edited)[0])
    result = {
        "files": len(files),
        "lines": lines,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "parse_only_s": statistics.median(parse),
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "pre_commit_s": statistics.median(hook),
        "cold_peak_rss_mib": max(cold_rss) / 1024,
        "warm_peak_rss_mib": max(warm_rss) / 1024,
    }
    result["cold_over_parse"] = result["cold_s"] / result["parse_only_s"]
    result["warm_over_cold"] = result["warm_s"] / result["cold_s"]
    result["pre_commit_over_cold"] = result["pre_commit_s"] / result["cold_s"]
    print(f"corpus: {result['files']} stdlib modules, {lines} lines; {result['cpus']} CPUs; Python {result['python']}")
    print("| measure | median | target |\n| --- | --- | --- |")
    print(f"| parse-only (libcst, 1 process) | {result['parse_only_s']:.2f} s | |")
    print(f"| cold `mldebt check` | {result['cold_s']:.2f} s | |")
    print(f"| warm `mldebt check` | {result['warm_s']:.2f} s | |")
    print(f"| cold / parse-only | {result['cold_over_parse']:.2f} | <= 1.5 |")
    print(f"| pre-commit, one file edited | {result['pre_commit_s']:.2f} s | |")
    print(f"| warm / cold | {result['warm_over_cold']:.3f} | <= 0.10 |")
    print(f"| pre-commit / cold | {result['pre_commit_over_cold']:.3f} | <= 0.10 |")
    print(f"| peak RSS cold / warm | {result['cold_peak_rss_mib']:.0f} / {result['warm_peak_rss_mib']:.0f} MiB | |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
