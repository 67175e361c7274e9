"""`python -m bot [run|matrix|console|web|migrate|backup PATH|export-data PATH|sync|docs|import]`.

With no command: the Discord bot when DISCORD_TOKEN is set, the Matrix bot when
MATRIX_HOMESERVER is, else the console.
A broken setting, or a database that another running bot holds, prints one line on stderr
and exits with code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from bot import reference
from bot.config import ConfigError, Settings, load_settings
from bot.db import Database, DatabaseError, backup
from bot.i18n import SUPPORTED_LOCALES
from bot.instance import hold
from bot.reference import DOCS

EXIT_CONFIG = 2
FRONT_ENDS = {"discord": "cogs.client", "matrix": "matrix.bot", "web": "web.server"}
# These run the bot (or change its schema): one process per database at a time. `backup`,
# `export-data` and `web` (the public page alone) only read, so they work beside a running bot.
EXCLUSIVE = {"run", "console", "matrix", "migrate", "sync", "import"}
# The bot's own front ends: the public page runs beside them when WEB_ENABLED is true.
BOTS = {"run", "console", "matrix"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Podaj dalej — a community chatbot for networks of library directors.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    sub.add_parser("matrix", help="start the Matrix bot (needs MATRIX_HOMESERVER, MATRIX_USER…)")
    console = sub.add_parser("console", help="the terminal front end (the default without a token)")
    add_console_options(console)
    sub.add_parser("migrate", help="apply the database migrations and exit")
    backup_cmd = sub.add_parser("backup", help="consistent online copy of the live database")
    backup_cmd.add_argument("path", type=Path, help="where to write the copy")
    export = sub.add_parser("export-data", help="the community's data as JSON, for migration")
    export.add_argument("path", type=Path, help="where to write the JSON file")
    sub.add_parser("web", help="the public web page alone, reading the bot's database")
    importer = sub.add_parser("import", help="seed the directory from a file")
    import_sub = importer.add_subparsers(dest="what", metavar="WHAT", required=True)
    groups_cmd = import_sub.add_parser(
        "groups", help="groups from a CSV file: name, town, region, initiator, join mode"
    )
    groups_cmd.add_argument("file", type=Path, help="the CSV file (UTF-8, with a header line)")
    groups_cmd.add_argument(
        "--dry-run", action="store_true", help="check every line, change nothing"
    )
    groups_cmd.add_argument("--guild", help="the server's id (default: the only configured one)")
    groups_cmd.add_argument("--db", type=Path, help="database file (default: DATABASE_PATH)")
    sync = sub.add_parser("sync", help="register slash commands globally (or to DEV_GUILD_ID)")
    sync.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="sync globally even when DEV_GUILD_ID is set",
    )
    docs = sub.add_parser("docs", help="write the command reference, docs/commands/<locale>.md")
    docs.add_argument(
        "--out", type=Path, default=DOCS, help=f"the folder to write to (default: {DOCS})"
    )
    return parser


def add_console_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="database file (default: DATABASE_PATH)")
    parser.add_argument("--now", help="start the settable clock here (ISO 8601 with offset)")
    parser.add_argument("--json", action="store_true", help="one JSON object per output line")
    parser.add_argument("--user", default="admin", help="the acting admin's name (default admin)")
    parser.add_argument("--locale", choices=SUPPORTED_LOCALES, help="the console's language")
    parser.add_argument("--files", type=Path, help="where attachments are written")


def setup_logging(settings: Settings, *, to_file: Path | None = None) -> None:
    handler: logging.Handler
    if to_file is not None:
        to_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(to_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # Below DEBUG, the operator's log keeps the bot's own lines and the libraries' warnings:
    # matrix-nio logs every room and sync, APScheduler every job, at INFO.
    if settings.log_level != "DEBUG":
        for noisy in ("nio", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except (ConfigError, DatabaseError) as exc:
        print(f"podaj-dalej: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "docs":
        # Made from the code alone: no settings, no database of the operator's.
        return write_docs(args.out)
    overrides = {"database_path": args.db} if getattr(args, "db", None) else {}
    settings = load_settings(**overrides)
    command = args.command or default_command(settings)
    if command in EXCLUSIVE:
        # A missing token is told before anything is created on disk.
        if command in ("run", "sync"):
            settings.token()
        elif command == "matrix":
            settings.matrix_login()
        # Taken before anything starts (for `run`, before logging in to Discord) and held
        # until the process ends; a second one stops here with one line and exit code 2.
        hold(settings.database_path)
    if command in BOTS and settings.web_enabled:
        front_end("web").install(settings)
    if command == "web":
        setup_logging(settings)
        return int(asyncio.run(front_end("web").run_web(settings)))
    if command == "import":
        from bot.importer import run_import

        setup_logging(settings)
        ok, lines = asyncio.run(
            run_import(settings, args.file, dry_run=args.dry_run, guild=args.guild)
        )
        print("\n".join(lines))
        return 0 if ok else 1
    if command == "console":
        return console(settings, args)
    if command == "migrate":
        setup_logging(settings)
        return asyncio.run(migrate(settings))
    if command == "export-data":
        document = asyncio.run(read_everything(settings))
        try:
            args.path.parent.mkdir(parents=True, exist_ok=True)
            args.path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
        except OSError as exc:
            raise DatabaseError(f"cannot write {args.path}: {exc.strerror}") from None
        print(f"{len(document['tables'])} tables written to {args.path}")
        return 0
    if command == "backup":
        backup(settings.database_path, args.path)
        print(f"backup of {settings.database_path} written to {args.path}")
        # The Matrix bot's encryption keys belong with the database they were made for.
        keys = front_end("matrix").back_up_keys(settings, args.path)
        if keys is not None:
            print(f"Matrix encryption keys written to {keys}")
        return 0
    if command == "matrix":
        matrix_front_end = front_end("matrix")
        setup_logging(settings)
        return int(asyncio.run(matrix_front_end.run_matrix(settings)))
    discord_front_end = front_end("discord")
    setup_logging(settings)
    if command == "sync":
        print(asyncio.run(discord_front_end.sync_commands(settings, everywhere=args.everywhere)))
        return 0
    return int(asyncio.run(discord_front_end.run_discord(settings)))


def default_command(settings: Settings) -> str:
    if settings.discord_token:
        return "run"
    return "matrix" if settings.wants_matrix else "console"


def front_end(name: str) -> ModuleType:
    """The front end's module, looked up by name: this entry point wires the front ends
    together, while the core itself never depends on one (DESIGN.md rule 1). It also keeps
    discord.py unloaded in the console."""
    return importlib.import_module(FRONT_ENDS[name])


def console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console.main import ConsoleOptions, parse_now, run_console

    options = ConsoleOptions(
        now=parse_now(args.now) if getattr(args, "now", None) else None,
        as_json=getattr(args, "json", False),
        user=getattr(args, "user", "admin"),
        locale=getattr(args, "locale", None),
        files=getattr(args, "files", None),
    )
    # The terminal is the conversation: logs go to a file beside the database.
    setup_logging(settings, to_file=settings.database_path.with_suffix(".log"))
    return asyncio.run(run_console(settings, options))


def write_docs(folder: Path) -> int:
    from bot.console.main import every_command

    for path in reference.write(asyncio.run(every_command()), folder):
        print(f"{path} written")
    return 0


async def read_everything(settings: Settings) -> dict[str, Any]:
    """Every table, every row, as one JSON-ready document (`export-data`)."""
    db = await Database.open(settings.database_path)
    try:
        document = {
            "schema": await db.schema_version(),
            "tables": {
                table: [dict(row) for row in await db.fetchall(f'SELECT * FROM "{table}"')]
                for (table,) in await db.fetchall(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            },
        }
    finally:
        await db.close()
    return document


async def migrate(settings: Settings) -> int:
    db = await Database.open(settings.database_path)
    version = await db.schema_version()
    await db.close()
    print(f"{settings.database_path}: schema version {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
