"""Wall time and peak memory of one command, and hyperfine when it is installed.

A command is timed from a small wrapper process: the wrapper's only child is the command, so
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the command's own peak (the largest single process
among it and its descendants, not their sum: with a worker pool, the busiest of main and workers).
"""

from __future__ import annotations

import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "elapsed = time.perf_counter() - start\n"
    "sys.stderr.buffer.write(run.stderr[-4000:])\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, run.returncode)\n"
)


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_kib: int


class CommandFailed(Exception):
    pass


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` once (stdout discarded); raise CommandFailed with its stderr unless it
    exits 0."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, env=env, check=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise CommandFailed(f"{shlex.join(command)} exited {code}:\n{out.stderr}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss_kib = int(rss) // 1024 if sys.platform == "darwin" else int(rss)
    return Run(float(seconds), rss_kib)


def have_hyperfine() -> bool:
    return shutil.which("hyperfine") is not None


def hyperfine(command: list[str], runs: int, prepare: list[str] | None = None, warmup: int = 0,
              env: dict[str, str] | None = None) -> list[float]:
    """The wall times of ``runs`` runs of ``command`` as hyperfine measures them (no shell)."""
    with tempfile.TemporaryDirectory(prefix="mldebt-hyperfine-") as tmp:
        export = Path(tmp) / "out.json"
        args = ["hyperfine", "--shell=none", "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
                "--export-json", str(export)]
        if prepare:
            args += ["--prepare", shlex.join(prepare)]
        subprocess.run([*args, shlex.join(command)], check=True, env=env, stdout=subprocess.DEVNULL)
        return [float(t) for t in json.loads(export.read_text())["results"][0]["times"]]


def median(values: list[float]) -> float:
    return statistics.median(values)
