"""Benchmark of the analyzer core against libcst parsing, on a corpus every machine has.

    python bench/core.py [--files 400] [--repeat 3] [--jobs N] [--hyperfine] [--json PATH]

The corpus is the first N modules of the running Python's standard library (see corpus.py for
exactly which), copied into a temporary git repository. One run measures, --repeat times each,
interleaved (parse, cold, warm, pre-commit, then again) so that a noisy neighbour slows all of
them alike:

- parse-only: in one fresh process, read + decode (PEP 263) + ``libcst.parse_module`` of every
  file; the interpreter's start-up and ``import libcst`` are not counted (the import is
  reported apart): the cheapest a libcst-based analyzer could possibly be;
- cold: ``python -m mldebt check --exit-zero CORPUS`` with an empty cache directory, default jobs
  (all cores) unless --jobs; start-up, discovery, history, rules and output all count;
- warm: the same again with nothing changed;
- pre-commit: one file edited, ``mldebt check THAT_FILE`` as the pre-commit hook runs it;
- peak RSS of the parse-only process and of the cold and warm checks.

Bytecode is cached for the checks (in a temporary PYTHONPYCACHEPREFIX, primed by one untimed
run), whatever PYTHONDONTWRITEBYTECODE says, because an installed mldebt has its .pyc files.

It prints a Markdown table and writes every sample to a JSON file (bench/results/, not
committed). Targets, as ratios of medians from the same run, on a 2-core machine:
cold <= 1.5x parse-only, warm <= 0.10x cold, pre-commit <= 0.10x cold.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from pathlib import Path
from typing import Any

from corpus import build_corpus, stdlib_root
from timing import CommandFailed, have_hyperfine, hyperfine, measure, median

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGETS = {"cold_over_parse": 1.5, "warm_over_cold": 0.10, "pre_commit_over_cold": 0.10}


def parse_worker() -> None:
    """The parse-only measurement, run in its own process: paths on stdin, JSON on stdout."""
    paths = sys.stdin.read().splitlines()
    start = time.perf_counter()
    import libcst

    imported = time.perf_counter()
    failures = 0
    for path in paths:
        data = Path(path).read_bytes()
        # The same decoding the check does (analyze._decode), so that both sides pay for it.
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        try:
            libcst.parse_module(data.decode(encoding))
        except libcst.ParserSyntaxError:
            failures += 1
    done = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump({"import_s": imported - start, "parse_s": done - imported, "failures": failures,
               "max_rss_kib": rss // 1024 if sys.platform == "darwin" else rss}, sys.stdout)


def parse_only(files: list[Path], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--parse-worker"], input="\n".join(map(str, files)),
                         capture_output=True, text=True, env=env, check=True)
    parsed: dict[str, Any] = json.loads(out.stdout)
    return parsed


def check_command(target: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "mldebt", "check", "--exit-zero", str(target)]
    return [*command, "--jobs", str(jobs)] if jobs else command


def checkout_env(pycache: Path) -> dict[str, str]:
    """The environment of the checks: this checkout's mldebt first on the path, whatever is
    installed, so that a branch is measured as it is on disk; and bytecode cached (in a
    temporary directory, not in the checkout), as it is for an installed package. With
    PYTHONDONTWRITEBYTECODE set, every run would compile mldebt's own modules again: about
    45 ms, 14 % of a warm run, that no user pays."""
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else ""),
           "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def describe_checkout() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    try:
        libcst = importlib.metadata.version("libcst")
    except importlib.metadata.PackageNotFoundError:
        libcst = None
    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain", "--", "mldebt")),
            "libcst": libcst}


def cache_entries(cache: Path) -> int:
    return sum(1 for _ in (cache / "facts").rglob("*.json"))


def run(args: argparse.Namespace, corpus: Path, files: list[Path], tmp: Path) -> dict[str, Any]:
    pycache = tmp / "pycache"
    # The corpus's cache, in the temporary directory: emptied for each cold run.
    cache = tmp / "mldebt-cache"
    env = {**checkout_env(pycache), "MLDEBT_CACHE_DIR": str(cache)}
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    samples: dict[str, list[float]] = {k: [] for k in ("parse_s", "import_libcst_s", "cold_s", "warm_s", "pre_commit_s")}
    rss: dict[str, list[int]] = {"parse": [], "cold": [], "warm": []}
    # Untimed: compiles the bytecode of everything a check imports, in the workers too.
    print("priming the bytecode cache ...", file=sys.stderr)
    measure([*check_command(corpus, args.jobs), "--no-cache"], env)
    for repetition in range(args.repeat):
        print(f"repetition {repetition + 1}/{args.repeat} ...", file=sys.stderr)
        parsed = parse_only(files, env)
        if parsed["failures"]:
            print(f"note: libcst rejected {parsed['failures']} corpus files", file=sys.stderr)
        samples["parse_s"].append(parsed["parse_s"])
        samples["import_libcst_s"].append(parsed["import_s"])
        rss["parse"].append(int(parsed["max_rss_kib"]))

        shutil.rmtree(cache, ignore_errors=True)
        cold = measure(check_command(corpus, args.jobs), env)
        # Every file must now be cached, or the warm run below would not be warm.
        if cache_entries(cache) != len(files):
            raise SystemExit(f"cold check cached {cache_entries(cache)} of {len(files)} files")
        warm = measure(check_command(corpus, args.jobs), env)
        for name, sample in (("cold", cold), ("warm", warm)):
            samples[f"{name}_s"].append(sample.seconds)
            rss[name].append(sample.max_rss_kib)

        edited.write_bytes(original + b"\n# edited by the benchmark\n")
        try:
            samples["pre_commit_s"].append(measure(check_command(edited, args.jobs), env).seconds)
        finally:
            edited.write_bytes(original)

    result: dict[str, Any] = {
        "medians": {k: median(v) for k, v in samples.items()},
        "samples": samples,
        "peak_rss_mib": {k: max(v) / 1024 for k, v in rss.items()},
    }
    if args.hyperfine:
        print("hyperfine cross-check ...", file=sys.stderr)
        wipe = [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(cache)]
        result["hyperfine"] = {
            "cold_s": hyperfine(check_command(corpus, args.jobs), args.repeat, prepare=wipe, env=env),
            "warm_s": hyperfine(check_command(corpus, args.jobs), args.repeat, warmup=1, env=env),
        }
    return result


def ratios(medians: dict[str, float]) -> dict[str, float]:
    return {
        "cold_over_parse": medians["cold_s"] / medians["parse_s"],
        "warm_over_cold": medians["warm_s"] / medians["cold_s"],
        "pre_commit_over_cold": medians["pre_commit_s"] / medians["cold_s"],
    }


def render(report: dict[str, Any]) -> str:
    corpus, medians, samples = report["corpus"], report["medians"], report["samples"]
    ratio, rss = report["ratios"], report["peak_rss_mib"]

    def row(label: str, key: str) -> str:
        values = samples[key]
        return f"| {label} | {medians[key]:.2f} s | {min(values):.2f} - {max(values):.2f} s | |"

    def target(label: str, key: str) -> str:
        verdict = "met" if ratio[key] <= TARGETS[key] else "MISSED"
        return f"| {label} | {ratio[key]:.3f} | | <= {TARGETS[key]} ({verdict}) |"

    lines = [
        f"corpus: {corpus['files']} stdlib modules, {corpus['lines']} lines, {corpus['bytes'] / 1e6:.1f} MB; "
        f"Python {report['python']}, libcst {report['checkout']['libcst']}; {report['cpus']} CPUs; "
        f"jobs {report['jobs'] or 'default (all cores)'}; median of {report['repeat']}",
        "",
        "| measure | median | range | target |",
        "| --- | --- | --- | --- |",
        row("parse-only (read, decode, libcst.parse_module; 1 process)", "parse_s"),
        row("`import libcst` (not in parse-only)", "import_libcst_s"),
        row("cold `mldebt check` (empty cache, start-up included)", "cold_s"),
        row("warm `mldebt check` (nothing changed)", "warm_s"),
        row("pre-commit: one file edited, `mldebt check FILE`", "pre_commit_s"),
        target("cold / parse-only", "cold_over_parse"),
        target("warm / cold", "warm_over_cold"),
        target("pre-commit / cold", "pre_commit_over_cold"),
        f"| peak RSS: parse-only / cold / warm | {rss['parse']:.0f} / {rss['cold']:.0f} / {rss['warm']:.0f} MiB | | |",
    ]
    if "hyperfine" in report:
        for name, times in report["hyperfine"].items():
            lines.append(f"| hyperfine: {name.removesuffix('_s')} `mldebt check` | {median(times):.2f} s "
                         f"| {min(times):.2f} - {max(times):.2f} s | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=400, help="corpus size in stdlib modules (default: 400)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are reported (default: 3)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to mldebt check (default: all cores)")
    parser.add_argument("--corpus", type=Path, help="use this corpus (built by bench/corpus.py) instead of a temporary one")
    parser.add_argument("--hyperfine", action="store_true", help="also time cold and warm checks with hyperfine")
    parser.add_argument("--json", type=Path, help="write the results here (default: bench/results/<date>-core.json)")
    parser.add_argument("--parse-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse_worker:
        parse_worker()
        return
    if args.repeat < 1 or args.files < 1:
        parser.error("--files and --repeat must be at least 1")
    if args.hyperfine and not have_hyperfine():
        parser.error("--hyperfine: hyperfine is not on PATH")

    with tempfile.TemporaryDirectory(prefix="mldebt-bench-") as tmp:
        if args.corpus:
            corpus = args.corpus.resolve()
            files = sorted(corpus.rglob("*.py"))
        else:
            corpus = Path(tmp) / "corpus"
            files = build_corpus(args.files, corpus)
        try:
            measured = run(args, corpus, files, Path(tmp))
        except CommandFailed as exc:
            raise SystemExit(f"benchmark aborted: {exc}") from None
        corpus_info = {"source": str(args.corpus or stdlib_root()), "files": len(files),
                       "lines": sum(p.read_bytes().count(b"\n") for p in files),
                       "bytes": sum(p.stat().st_size for p in files)}

    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "repeat": args.repeat,
        "bytecode_cached": True,
        "checkout": describe_checkout(),
        "corpus": corpus_info,
        **measured,
        "ratios": ratios(measured["medians"]),
        "targets": TARGETS,
    }
    print(render(report))
    destination = args.json or RESULTS / f"{datetime.datetime.now():%Y-%m-%d-%H%M%S}-core.json"
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {destination}", file=sys.stderr)


if __name__ == "__main__":
    main()
