"""Benchmark of `mldebt impact` against a cold check, on the corpus of core.py.

    python bench/impact.py [--files 400] [--repeat 3] [--json PATH]

One run measures, --repeat times each, interleaved:

- cold: ``mldebt check --exit-zero CORPUS`` with an empty cache (the baseline);
- impact: ``mldebt impact MODULE`` on a warm cache, MODULE the corpus file most others import;
- new-since: one file edited (not committed), ``mldebt impact --new-since HEAD``: the merge
  base is HEAD, the one changed file is parsed again, everything else comes from the cache;
- peak RSS of each.

Targets, as ratios of medians from the same run (issue 11): impact <= 0.10x cold, new-since
<= 0.10x cold. It prints a Markdown table and writes the samples to a JSON file (bench/results/,
not committed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from core import REPO, check_command, checkout_env, describe_checkout
from corpus import build_corpus
from timing import CommandFailed, measure

TARGETS = {"impact / cold": 0.10, "new-since / cold": 0.10}


def most_imported(corpus: Path, files: list[Path]) -> Path:
    """The corpus file whose module name the most other files import (a plain text count of
    `import x` and `from x import`, enough to pick a module with a large reach)."""
    names = {path: ".".join(path.relative_to(corpus).with_suffix("").parts).removesuffix(".__init__") for path in files}
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]

    def importers(name: str) -> int:
        return sum(f"import {name}\n" in text or f"from {name} import" in text for text in texts)

    return max(files, key=lambda path: (importers(names[path]), str(path)))


def run(args: argparse.Namespace, corpus: Path, files: list[Path], tmp: Path) -> dict[str, Any]:
    cache = tmp / "mldebt-cache"
    env = {**checkout_env(tmp / "pycache"), "MLDEBT_CACHE_DIR": str(cache)}
    target = most_imported(corpus, files)
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    impact = [sys.executable, "-m", "mldebt", "impact", "-C", str(corpus), str(target.relative_to(corpus))]
    new_since = [sys.executable, "-m", "mldebt", "impact", "-C", str(corpus), "--new-since", "HEAD"]
    samples: dict[str, list[float]] = {"cold_s": [], "impact_s": [], "new_since_s": []}
    rss: dict[str, list[int]] = {"cold": [], "impact": [], "new_since": []}
    print("priming the bytecode cache ...", file=sys.stderr)
    measure([*check_command(corpus, None), "--no-cache"], env)
    measure(impact, env)
    for repetition in range(args.repeat):
        print(f"repetition {repetition + 1}/{args.repeat} ...", file=sys.stderr)
        shutil.rmtree(cache, ignore_errors=True)
        for key, command in (("cold", check_command(corpus, None)), ("impact", impact)):
            done = measure(command, env)
            samples[f"{key}_s"].append(done.seconds)
            rss[key].append(done.max_rss_kib)
        edited.write_bytes(original + f"\n# edited {repetition}\n".encode())
        try:
            done = measure(new_since, env)
        finally:
            edited.write_bytes(original)
        samples["new_since_s"].append(done.seconds)
        rss["new_since"].append(done.max_rss_kib)
    medians = {key: statistics.median(values) for key, values in samples.items()}
    return {"target": str(target.relative_to(corpus)), "edited": str(edited.relative_to(corpus)),
            "samples": samples, "max_rss_kib": rss, "medians": medians}


def render(report: dict[str, Any]) -> str:
    m = report["medians"]
    ratios = {"impact / cold": m["impact_s"] / m["cold_s"], "new-since / cold": m["new_since_s"] / m["cold_s"]}
    peak = {key: max(values) // 1024 for key, values in report["max_rss_kib"].items()}
    lines = [
        f"corpus: {report['files']} stdlib modules; impact on {report['target']}; "
        f"new-since with {report['edited']} edited; median of {report['repeat']}",
        "",
        "| measure | median | target |",
        "| --- | --- | --- |",
        f"| cold `mldebt check` | {m['cold_s']:.2f} s | |",
        f"| warm `mldebt impact MODULE` | {m['impact_s']:.2f} s | |",
        f"| `mldebt impact --new-since HEAD`, one file edited | {m['new_since_s']:.2f} s | |",
    ]
    for name, value in ratios.items():
        met = "met" if value <= TARGETS[name] else "MISSED"
        lines.append(f"| {name} | {value:.3f} | <= {TARGETS[name]} ({met}) |")
    lines.append(f"| peak RSS: cold / impact / new-since | {peak['cold']} / {peak['impact']} / {peak['new_since']} MiB | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=400, help="corpus size in stdlib modules (default: 400)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are reported (default: 3)")
    parser.add_argument("--json", type=Path, help="write the results here (default: bench/results/<date>-impact.json)")
    args = parser.parse_args()
    if args.repeat < 1 or args.files < 1:
        parser.error("--files and --repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="mldebt-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        files = build_corpus(args.files, corpus)
        try:
            measured = run(args, corpus, files, Path(tmp))
        except CommandFailed as exc:
            raise SystemExit(f"benchmark aborted: {exc}") from None
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "files": len(files),
              "repeat": args.repeat, "checkout": describe_checkout(), **measured}
    print(render(report))
    path = args.json or REPO / "bench" / "results" / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-impact.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nresults written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
