"""Where the bot under test runs: in the test's event loop, or in a subprocess one can kill."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
import yarl

from .watch import bot_tasks_busy

if TYPE_CHECKING:
    from .harness import Harness
    from .server import DiscordDouble

REPO_ROOT = Path(__file__).resolve().parents[3]
# A bot subprocess imports everything and opens its database: seconds on a busy machine.
# A bound, not a wait: a ready bot is seen at once.
START_TIMEOUT = 30.0
WAIT_TIMEOUT = 5.0


def point_discord_at(double: DiscordDouble) -> Callable[[], None]:
    """Aims discord.py's REST base and gateway URL at the double; returns the undo."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = double.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(double.gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


class InProcessBot:
    """The bot in the test's own event loop: fast, and tests can reach `bot` directly."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.bot: Any = None
        self.task: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        spec = self.harness.spec
        self._stopping = False
        self.bot = spec.factory(self.harness.context)
        self.task = asyncio.create_task(
            self.bot.start(self.harness.context.token), name="bot-under-test"
        )
        self.task.add_done_callback(self._on_done)
        await self.harness.wait_until(
            self.bot.is_ready, within=START_TIMEOUT, what="the bot to become ready"
        )

    def _on_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            trace = "".join(traceback.format_exception(exc)).rstrip()
            self.harness.double.problem("bot-crashed", f"bot.start() died:\n{trace}")
        elif not self._stopping:
            self.harness.double.problem("bot-crashed", "bot.start() returned unexpectedly")

    async def stop(self) -> None:
        if self.bot is None or self.task is None:
            return
        self._stopping = True
        try:
            await asyncio.wait_for(self.bot.close(), WAIT_TIMEOUT)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.task), WAIT_TIMEOUT)
        finally:
            if not self.task.done():
                self.task.cancel()

    def busy(self) -> bool:
        return bot_tasks_busy()

    async def settle_bot(self) -> None:
        return None

    async def advance(self, delta: timedelta) -> None:
        await self.harness.spec.advance(self.bot, delta)

    async def kill(self) -> None:
        raise RuntimeError(
            "kill_and_restart needs the bot in a subprocess: use the *_proc fixture "
            "(e.g. sample_dc_proc) or Harness(..., subprocess=True)"
        )


class SubprocessBot:
    """The bot in `python -m tests.e2e.runner`, so a test can SIGKILL it mid-flight."""

    MARK = "@@double@@ "

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.proc: asyncio.subprocess.Process | None = None
        self.reader: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.next_id = 0
        self.stderr_path = harness.workdir / "bot-stderr.log"
        self.stopping = False
        self.bot = None

    async def start(self) -> None:
        ctx = self.harness.context
        double = self.harness.double
        args = [
            sys.executable,
            "-m",
            "tests.e2e.runner",
            "--bot", self.harness.spec.name,
            "--api-base", double.api_base,
            "--gateway", double.gateway_url,
            "--db", str(ctx.db_path),
            "--guild", str(ctx.guild_id),
            "--clock", ctx.clock.now().isoformat(),
            "--token", ctx.token,
            "--shards", str(ctx.shard_count or ""),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
        self.ready.clear()
        self.stopping = False
        with self.stderr_path.open("ab") as stderr:
            self.proc = await asyncio.create_subprocess_exec(
                *args,
                cwd=REPO_ROOT,
                env=env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
            )
        self.reader = asyncio.create_task(self._read(self.proc), name="bot-subprocess-reader")
        await self.harness.wait_until(
            self.ready.is_set, within=START_TIMEOUT, what="the bot subprocess to become ready"
        )

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            text = line.decode(errors="replace").rstrip("\n")
            if not text.startswith(self.MARK):
                continue
            msg = json.loads(text[len(self.MARK) :])
            event = msg.get("event")
            if event == "ready":
                self.ready.set()
            elif event == "log-error":
                self.harness.double.problem("log-error", f"[subprocess] {msg['text']}")
            elif event == "crashed":
                self.stopping = True  # reported here; the exit itself is no news
                self.harness.double.problem("bot-crashed", f"[subprocess] {msg['text']}")
            elif event == "done":
                fut = self.replies.pop(msg["id"], None)
                if fut is not None and not fut.done():
                    fut.set_result(msg)
        code = await proc.wait()
        if not self.stopping:
            tail = self.stderr_path.read_text(errors="replace")[-2000:]
            self.harness.double.problem("bot-crashed", f"bot subprocess exited with {code}\n{tail}")
        for fut in self.replies.values():
            if not fut.done():
                fut.set_exception(RuntimeError("bot subprocess exited"))

    async def command(self, cmd: str, **args: Any) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        self.next_id += 1
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[self.next_id] = fut
        line = json.dumps({"cmd": cmd, "id": self.next_id, **args}) + "\n"
        self.proc.stdin.write(line.encode())
        await self.proc.stdin.drain()
        reply = await asyncio.wait_for(fut, WAIT_TIMEOUT)
        if reply.get("error"):
            raise AssertionError(f"bot subprocess failed {cmd}: {reply['error']}")
        return reply

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.stopping = True
        with contextlib.suppress(Exception):
            await self.command("stop")
        try:
            await asyncio.wait_for(self.proc.wait(), WAIT_TIMEOUT)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.reader, WAIT_TIMEOUT)

    async def kill(self) -> None:
        assert self.proc is not None
        self.stopping = True
        self.proc.kill()  # SIGKILL: no close(), no commit, no goodbye to the gateway
        await asyncio.wait_for(self.proc.wait(), WAIT_TIMEOUT)
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.reader, WAIT_TIMEOUT)

    def busy(self) -> bool:
        return False

    async def settle_bot(self) -> None:
        await self.command("settle")

    async def advance(self, delta: timedelta) -> None:
        await self.command("advance", seconds=delta.total_seconds())
        clock = self.harness.context.clock
        clock.set(clock.now() + delta)
