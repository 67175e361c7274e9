"""What a start costs: `import bot.app`, the console's first answer, and the Discord front
end's memory at idle, each measured in fresh processes and given as min/median/max.

- `import_s`: `import bot.app` timed inside a fresh interpreter (its own start left out).
- `console_first_answer_s`: from spawning `python -m bot console` on a database that
  already exists (a second start, as an operator's) to the first line of its answer to
  `/help` piped on stdin.
- `import_cpu_s`, `console_cpu_s`: the CPU time of the same (the console's for its whole
  run: start, answer, exit) — steadier than wall time on a shared machine.
Bytecode is written and used, as on a server that has started the bot before.
- `rss_mb`: the resident memory of the real bot (`python -m tests.e2e.runner --bot podaj`,
  PodajBot against the Discord double) once it is ready and idle — its CPU time has not
  moved for a second, so the start's warm-up has finished; `baseline_rss_mb` is the same
  for the sample bot (ordinary discord.py with a slash-command tree and aiosqlite, no core)
  on the same double in the same run.

Goals (issue 21): rss_mb ≤ 90, import_s ≤ 0.3, console_first_answer_s ≤ 0.5.
`--repeat N` sets how many fresh processes each figure is measured in (default 5; 3 for
the memory figures, each of which starts a double and a bot).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.bots import BOTS, BotContext, make_clock
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double.harness import Harness

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"rss_mb": 90, "import_s": 0.3, "console_first_answer_s": 0.5}
IMPORT_PROBE = (
    "import time; started, cpu = time.perf_counter(), time.process_time(); import bot.app; "
    "print(time.perf_counter() - started, time.process_time() - cpu)"
)
IDLE_FOR = 1.0  # seconds without CPU time spent: the process is idle
IDLE_WITHIN = 60.0
MEMORY_RUNS = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per figure")


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


def _env() -> dict[str, str]:
    """The children's environment: bytecode is written and used, as on a server where the
    bot has started before (PYTHONDONTWRITEBYTECODE would time the compiler instead)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_seconds() -> tuple[float, float]:
    """Wall and CPU seconds of `import bot.app` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_env(),
    )
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def console_first_answer(database: Path) -> tuple[float, float]:
    """Seconds from spawning the console to the first line of its answer to /help, and
    the CPU seconds of the whole run (start, answer, exit)."""
    command = [sys.executable, "-m", "bot", "console", "--db", str(database)]
    env = {**_env(), "DISCORD_TOKEN": "", "MATRIX_HOMESERVER": "", "WEB_ENABLED": "false"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"/help\n")
    proc.stdin.close()  # the console answers, then ends at the end of its input
    first = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not first:
        raise RuntimeError(f"the console failed (exit {proc.returncode})")
    return elapsed, usage.ru_utime + usage.ru_stime


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def idle_rss_mb(pid: int) -> float:
    """The process's resident memory once its CPU time has stood still for IDLE_FOR."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + IDLE_WITHIN
    ticks, still_since = _cpu_ticks(pid), loop.time()
    while loop.time() - still_since < IDLE_FOR:
        if loop.time() > deadline:
            raise RuntimeError(f"the bot did not go idle within {IDLE_WITHIN:.0f} s")
        await asyncio.sleep(0.1)
        now_ticks = _cpu_ticks(pid)
        if now_ticks != ticks:
            ticks, still_since = now_ticks, loop.time()
    return _rss_mb(pid)


async def bot_idle_rss(bot: str) -> float:
    """Start `bot` in its own process against a fresh double; its idle resident memory."""
    with tempfile.TemporaryDirectory(prefix="bench-footprint-") as tmp:
        double = DiscordDouble()
        await double.start()
        ctx = BotContext(
            db_path=Path(tmp) / "bench.sqlite3",
            guild_id=double.seeded.guild_id,
            clock=make_clock(),
        )
        dc = Harness(double, BOTS[bot], ctx, workdir=Path(tmp), subprocess=True)
        try:
            await dc.start()
            proc = getattr(dc.runner, "proc", None)
            assert proc is not None
            return await idle_rss_mb(proc.pid)
        finally:
            await dc.close()
            await double.stop()


async def run(repeat: int = 5) -> dict[str, object]:
    import_seconds()  # writes the bytecode a server would have from its earlier starts
    imports = [import_seconds() for _ in range(repeat)]
    with tempfile.TemporaryDirectory(prefix="bench-footprint-") as tmp:
        database = Path(tmp) / "console.sqlite3"
        console_first_answer(database)  # the first start makes the database
        answers = [console_first_answer(database) for _ in range(repeat)]
    memory_runs = min(repeat, MEMORY_RUNS)
    podaj = [await bot_idle_rss("podaj") for _ in range(memory_runs)]
    sample = [await bot_idle_rss("sample") for _ in range(memory_runs)]
    return {
        "import_s": spread([wall for wall, _ in imports]),
        "import_cpu_s": spread([cpu for _, cpu in imports]),
        "console_first_answer_s": spread([wall for wall, _ in answers]),
        "console_cpu_s": spread([cpu for _, cpu in answers]),
        "rss_mb": spread(podaj, 1),
        "baseline_rss_mb": spread(sample, 1),
        "repeat": repeat,
        "memory_runs": memory_runs,
        "goals": GOALS,
    }


if __name__ == "__main__":
    print(asyncio.run(run()))
