"""`python -m bench NAME [--json]` runs one benchmark; `python -m bench all` runs every one.

Every benchmark module exposes `async def run() -> dict[str, object]`; the runner prints a
human summary and, as its last line, the figures as one JSON object. `make bench` writes
the collected figures to bench/report.json.
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


def available() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )


def run_one(name: str, as_json: bool) -> dict[str, object]:
    module = importlib.import_module(f"bench.{name}")
    figures: dict[str, object] = asyncio.run(module.run())
    if not as_json:
        for key, value in figures.items():
            print(f"{name}.{key}: {value}")
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=[*available(), "all"])
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args(argv)
    if args.name != "all":
        run_one(args.name, args.json)
        return 0
    report = {name: run_one(name, args.json) for name in available()}
    out = Path(__file__).with_name("report.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"report written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
