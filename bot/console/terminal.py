"""The interactive console at a terminal: line editing, history and Tab completion.

`Completion` is the rule for what Tab offers (command words, then the command's option
names, then an option's declared choices), read from the core's command registry and
tested as a unit. `LineReader` reads the lines: through Python's `readline` when both ends
are a terminal (editing, history kept beside the database, Tab), else plain lines as piped.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from bot.commands import Command
from bot.console.parser import parse_command, split_line
from bot.errors import UserError

PROMPT = "> "
HISTORY_LINES = 1000


class Completion:
    """What Tab offers after a line's beginning, for the commands one can type here."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = {c.path: c for c in commands}

    def candidates(self, before: str, word: str) -> list[str]:
        """The ways to finish `word`, the text after `before` (the line up to the word).

        `@person` and `#channel` may lead the line; inside a quoted value or in chat,
        nothing is offered."""
        line = split_line(before)
        if not line.text:  # nothing yet, or only `@person #channel`
            return self._first_words(word)
        if not line.text.startswith("/"):
            return []
        try:
            typed = parse_command(line.text)
        except UserError:
            return []  # an open quote: the word is part of a value
        path = " ".join(typed.words)
        command = self._commands.get(path)
        if command is None:
            return [] if typed.options else self._next_words(typed.words, word)
        return self._options(command, set(typed.options), word)

    def _first_words(self, word: str) -> list[str]:
        if not word.startswith("/"):
            return []
        return ["/" + w for w in self._next_words([], word[1:])]

    def _next_words(self, words: list[str], word: str) -> list[str]:
        size = len(words)
        following = {
            parts[size]
            for parts in (path.split() for path in self._commands)
            if parts[:size] == words and len(parts) > size
        }
        return sorted(f"{w} " for w in following if w.startswith(word.lower()))

    def _options(self, command: Command, used: set[str], word: str) -> list[str]:
        name, colon, value = word.partition(":")
        if colon:
            option = command.option(name.lower())
            choices = option.choices if option else ()
            return [f"{name}:{c} " for c in choices if c.startswith(value.lower())]
        return [
            f"{o.name}:"
            for o in command.options
            if o.name not in used and o.name.startswith(word.lower())
        ]


class LineReader:
    """Reads the console's lines; at a terminal, with readline's editing, history and Tab."""

    def __init__(self, completion: Completion, history: Path) -> None:
        self._completion = completion
        self._history = history
        self._matches: list[str] = []
        self._readline = _terminal_readline()
        self._restore_terminal: Callable[[], None] | None = None
        if self._readline is not None:
            self._restore_terminal = _terminal_as_now()
            self._install(self._readline)

    @property
    def interactive(self) -> bool:
        return sys.stdin.isatty()

    async def read(self) -> str | None:
        """The next line with its newline, or None at the end of the input."""
        if self._readline is not None:
            try:
                return await _detached(lambda: input(PROMPT)) + "\n"
            except EOFError:
                sys.stdout.write("\n")  # the shell's prompt starts on a line of its own
                return None
        if self.interactive:
            sys.stderr.write(PROMPT)
            sys.stderr.flush()
        raw = await _detached(sys.stdin.readline)
        return raw or None

    def close(self) -> None:
        if self._readline is None:
            return
        # History is a convenience: a folder one cannot write to costs only that.
        with contextlib.suppress(OSError):
            self._readline.write_history_file(self._history)
        if self._restore_terminal is not None:
            # Ctrl-C leaves readline mid-line, with the terminal still set up for editing.
            self._restore_terminal()

    def _install(self, readline: ModuleType) -> None:
        # Whole words between spaces: `/remind`, `when:` and `@anna` are each one word.
        readline.set_completer_delims(" \t\n")
        readline.set_completer(self._complete)
        if "libedit" in (readline.__doc__ or ""):  # macOS's readline speaks another syntax
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
        readline.set_history_length(HISTORY_LINES)
        with contextlib.suppress(OSError):  # none yet
            readline.read_history_file(self._history)

    def _complete(self, word: str, state: int) -> str | None:
        """readline's completer: asked for match 0, 1, … until it gets None."""
        if self._readline is None:
            return None
        if state == 0:
            before = self._readline.get_line_buffer()[: self._readline.get_begidx()]
            self._matches = self._completion.candidates(before, word)
        return self._matches[state] if state < len(self._matches) else None


async def _detached(read: Callable[[], str]) -> str:
    """A blocking read in a daemon thread. Ctrl-C then ends the console at once: a thread
    of asyncio's executor would be waited for at exit, until the person pressed Enter."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def settle(line: str | None, error: BaseException | None) -> None:
        if done.done():
            return  # the console stopped waiting
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(line or "")

    def work() -> None:
        try:
            outcome: tuple[str | None, BaseException | None] = (read(), None)
        except Exception as error:  # EOFError, a closed terminal: raised where it is awaited
            outcome = (None, error)
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=work, name="console-input", daemon=True).start()
    return await done


def _terminal_as_now() -> Callable[[], None]:
    """How to put the terminal back as it is now (termios exists where readline does)."""
    import termios

    saved = termios.tcgetattr(sys.stdin)

    def restore() -> None:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(sys.stdin, termios.TCSADRAIN, saved)

    return restore


def _terminal_readline() -> ModuleType | None:
    """Python's readline, when a person types at a terminal and reads one (`input` uses it
    only then); None when piped, redirected, or where readline does not exist."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        import readline
    except ImportError:
        return None
    return readline
