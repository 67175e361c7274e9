"""`python -m bot matrix` as an operator runs it: settings from the environment, answers in
a room, a clean stop on SIGTERM (what systemd sends)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from .conftest import PASSWORD
from .homeserver import Synapse
from .people import Person, says

STOP_TIMEOUT_S = 20


def matrix_env(synapse: Synapse, user: str, password: str, workdir: Path) -> dict[str, str]:
    """The environment an operator's .env would give: Matrix settings, no Discord token."""
    return {
        **os.environ,
        "MATRIX_HOMESERVER": synapse.base_url,
        "MATRIX_USER": user,
        "MATRIX_PASSWORD": password,
        "DATABASE_PATH": str(workdir / "bot.sqlite3"),
        "DISCORD_TOKEN": "",
    }


async def test_the_matrix_bot_runs_from_the_command_line(synapse: Synapse, tmp_path: Path) -> None:
    bot_id = synapse.register("podaj", password=PASSWORD)
    marta = await Person.log_in(synapse.base_url, synapse.register("marta"), "secret")
    room = await marta.create_room("biblioteki", invite=[bot_id])
    env = matrix_env(synapse, bot_id, PASSWORD, tmp_path) | {"MATRIX_ROOMS": room}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    try:
        await marta.wait_for(lambda seen: seen.sender == bot_id, timeout_s=30)
        await marta.say(room, "!group guide")
        guide = await marta.wait_for(says("grup"), timeout_s=20)
        assert "!group" in guide.body or "grupa" in guide.body.lower()
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), STOP_TIMEOUT_S)
        await marta.close()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Podaj dalej on Matrix as" in log and "Traceback" not in log


async def test_a_wrong_password_is_one_clear_line_and_exit_code_2(
    synapse: Synapse, tmp_path: Path
) -> None:
    bot_id = synapse.register("podaj", password=PASSWORD)
    env = matrix_env(synapse, bot_id, "not-the-password", tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "matrix",
        env=env,
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), STOP_TIMEOUT_S)
    last = stderr.decode().strip().splitlines()[-1]
    assert process.returncode == 2
    assert last.startswith("podaj-dalej: MATRIX_PASSWORD was rejected by the homeserver")
    assert "Traceback" not in stderr.decode()
