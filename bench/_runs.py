"""What every benchmark's figures carry: the machine they were measured on, and — with
`--runs N` — each figure's min/median/max over N runs, each in a fresh process (so a run's
peak memory and warm caches are its own)."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path


def machine() -> dict[str, object]:
    """The machine as far as the figures depend on it; the load average says how busy it
    was with other work while they were measured."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def _cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def in_fresh_process(name: str, args: list[str]) -> dict[str, object]:
    """One run of a benchmark as its own process; its figures (the last line it prints)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", name, "--json", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    for said_once in ("bench", "machine"):
        figures.pop(said_once, None)
    return figures


def summarize(runs: list[dict[str, object]]) -> dict[str, object]:
    """Each numeric figure as {min, median, max} over the runs; any other figure as it
    was when every run agrees, else the list of what each run said."""
    summary: dict[str, object] = {"runs": len(runs)}
    for key in runs[0]:
        values = [run.get(key) for run in runs]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numbers) == len(values):
            summary[key] = {
                "min": min(numbers),
                "median": statistics.median(numbers),
                "max": max(numbers),
            }
        elif all(v == values[0] for v in values):
            summary[key] = values[0]
        else:
            summary[key] = values
    return summary
