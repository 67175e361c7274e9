"""`python -m bench NAME [--json] [--runs N] [options]` runs one benchmark; `python -m bench
all` runs every one with its defaults.

Every benchmark module exposes `async def run(**options) -> dict[str, object]` and, when it
takes options (`--pending`, `--attempts`, …), `add_arguments(parser)`. The runner prints a
human summary and, as its last line, the figures as one JSON object with the machine they
were measured on. With `--runs N` (N > 1) each run is its own process and every numeric
figure is given as min/median/max. `make bench` writes the collected figures to
bench/report.json.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import pkgutil
import sys
from pathlib import Path

import bench
from bench._runs import in_fresh_process, machine, summarize


def available() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )


def measure(name: str, args: list[str]) -> dict[str, object]:
    """One run in this process, with the benchmark's own options read from `args`."""
    module = importlib.import_module(f"bench.{name}")
    parser = argparse.ArgumentParser(prog=f"python -m bench {name}")
    add_arguments = getattr(module, "add_arguments", None)
    if add_arguments is not None:
        add_arguments(parser)
    options = vars(parser.parse_args(args))
    figures: dict[str, object] = asyncio.run(module.run(**options))
    return figures


def run_one(
    name: str, as_json: bool, runs: int = 1, args: list[str] | None = None
) -> dict[str, object]:
    args = args or []
    if runs > 1:
        figures = summarize([in_fresh_process(name, args) for _ in range(runs)])
    else:
        figures = measure(name, args)
    figures["machine"] = machine()
    if not as_json:
        for key, value in figures.items():
            print(f"{name}.{key}: {value}")
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=[*available(), "all"])
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--runs", type=int, default=1, help="runs, each its own process")
    args, rest = parser.parse_known_args(argv)
    if args.name != "all":
        run_one(args.name, args.json, args.runs, rest)
        return 0
    report = {name: run_one(name, args.json, args.runs) for name in available()}
    out = Path(__file__).with_name("report.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"report written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
