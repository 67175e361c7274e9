"""Runs one bot against a Discord double in its own process, for hard-kill restart tests.

    python -m tests.e2e.runner --bot sample --api-base http://127.0.0.1:PORT/api/v10 \
        --gateway ws://127.0.0.1:PORT/gateway --db bot.sqlite3 --guild ID --clock ISO

Talks to the harness over stdio: JSON lines on stdin are commands ({"cmd": "advance",
"seconds": 60, "id": 1}, "settle", "stop"); lines on stdout starting with the marker are
events ("ready", "done", "log-error"). Anything else the bot prints is ignored.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import yarl

from bot.config import parse_shard_count

from .bots import BOTS, BotContext, make_clock
from .discord_double.runners import START_TIMEOUT
from .discord_double.watch import bot_tasks_busy, watched

MARK = "@@double@@ "


def emit(**event: Any) -> None:
    sys.stdout.write(MARK + json.dumps(event) + "\n")
    sys.stdout.flush()


class ErrorsToHarness(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if watched(record.name):
            emit(event="log-error", text=self.format(record))


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        text = "".join(traceback.format_exception(task.exception()))
        emit(event="crashed", text=text.rstrip())


async def settle() -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    calm = 0
    while calm < 3 and loop.time() < deadline:
        calm = 0 if bot_tasks_busy() else calm + 1
        await asyncio.sleep(0.005)


async def serve(args: argparse.Namespace) -> None:
    discord.http.Route.BASE = args.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(args.gateway)
    spec = BOTS[args.bot]
    ctx = BotContext(
        db_path=Path(args.db),
        guild_id=args.guild,
        clock=make_clock(datetime.fromisoformat(args.clock)),
        token=args.token,
        shard_count=parse_shard_count(args.shards),
    )
    bot: Any = spec.factory(ctx)
    runner = asyncio.create_task(bot.start(ctx.token))
    ready = asyncio.create_task(bot.wait_until_ready())
    # Race readiness against the start task, so a crash is reported at once, not as a timeout.
    await asyncio.wait({runner, ready}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if runner.done():
        exc = runner.exception()
        text = "".join(traceback.format_exception(exc)) if exc else "bot.start() returned"
        emit(event="crashed", text=text.rstrip())
        ready.cancel()
        await bot.close()
        raise SystemExit(1)
    if not ready.done():
        emit(event="crashed", text="the bot did not become ready within 10 s")
        raise SystemExit(1)
    emit(event="ready")
    runner.add_done_callback(_report_crash)

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        msg = json.loads(line)
        reply: dict[str, Any] = {"event": "done", "id": msg.get("id")}
        try:
            if msg["cmd"] == "advance":
                await spec.advance(bot, timedelta(seconds=msg["seconds"]))
                await settle()
            elif msg["cmd"] == "settle":
                await settle()
            elif msg["cmd"] == "stop":
                await bot.close()
                emit(**reply)
                break
        except Exception as exc:
            reply["error"] = repr(exc)
        emit(**reply)
    if not bot.is_closed():
        await bot.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(runner, 5)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.runner")
    parser.add_argument("--bot", choices=sorted(BOTS), required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--guild", type=int, required=True)
    parser.add_argument("--clock", required=True)
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--shards", default="", help="SHARD_COUNT: a number or auto")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger().addHandler(ErrorsToHarness())
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
