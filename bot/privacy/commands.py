"""/privacy export, forget and transcripts; /audit recent."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.service import AuditLog, describe, line
from bot.commands import Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import UserError
from bot.i18n import t
from bot.ports import DeliveryFailed, Messenger
from bot.privacy.service import ForgetReport, PrivacyService
from bot.refs import FORMER, UserRef
from bot.replies import Attachment, Button, ButtonStyle, Reply
from bot.roles import Role
from bot.timelang.timestamps import stamp

YES = ("yes", "tak", "ja", "да")


class PrivacyCommands:
    def __init__(self, service: PrivacyService, audit: AuditLog, messenger: Messenger) -> None:
        self._service = service
        self._audit = audit
        self._messenger = messenger

    def register(self, registry: Registry) -> None:
        registry.add(
            # Reads every table, and each export is a line in the log channel.
            Command(
                "privacy export",
                Role.DIRECTOR,
                self.export,
                audit=True,
                limit=Limit(3, timedelta(days=1)),
            ),
            Command(
                "privacy forget", Role.DIRECTOR, self.forget, (Option("confirm", choices=("yes",)),)
            ),
            Command(
                "privacy transcripts",
                Role.DIRECTOR,
                self.transcripts,
                (Option("allowed", choices=("on", "off"), required=True),),
            ),
            Command(
                "audit recent",
                Role.ADMIN,
                self.recent,
                (Option("limit", OptionType.INTEGER, min_value=1, max_value=50),),
            ),
        )
        registry.add_button(r"privacy:forget:(?P<user_id>.+)", self.press_forget)

    async def export(self, ctx: Invocation) -> Reply:
        data = await self._service.export(ctx.actor.user.id)
        file = Attachment(
            "podaj-dalej-my-data.json", self._service.export_json(ctx.actor.user, data)
        )
        tables = sum(1 for rows in data.values() if rows)
        try:
            # The file goes privately; where DMs are closed it comes with this answer.
            await self._messenger.send_dm(
                ctx.actor.user.id, Reply(t("privacy.export.dm"), files=(file,))
            )
        except DeliveryFailed:
            return Reply(t("privacy.export.here", tables=tables), files=(file,), ephemeral=True)
        return Reply(t("privacy.export.sent", tables=tables), ephemeral=True)

    async def forget(self, ctx: Invocation, confirm: str | None = None) -> Reply:
        if confirm is None or confirm.strip().lower() not in YES:
            button = Button(
                f"privacy:forget:{ctx.actor.user.id}",
                t("privacy.forget.button"),
                ButtonStyle.DANGER,
            )
            return Reply(t("privacy.forget.ask"), buttons=(button,), ephemeral=True)
        former = t("privacy.former")
        report = await self._service.forget(ctx.actor.user, former_member=former)
        if not report.removed and not report.anonymized:
            return Reply(t("privacy.forget.nothing"), ephemeral=True)
        # Traceable, yet naming nobody: the log keeps that a forget happened.
        await self._audit.record(
            ctx.guild_id, UserRef(FORMER, former), "privacy forget", describe({})
        )
        return Reply(_report(report), ephemeral=True)

    async def press_forget(self, ctx: Invocation, user_id: str) -> Reply:
        if user_id != ctx.actor.user.id:
            raise UserError("error.privacy.not_yours")
        return await self.forget(ctx, confirm="yes")

    async def transcripts(self, ctx: Invocation, allowed: str) -> Reply:
        await self._service.set_transcripts(ctx.actor.user, allowed=allowed == "on")
        return Reply(t(f"privacy.transcripts.{allowed}"), ephemeral=True)

    async def recent(self, ctx: Invocation, limit: int = 20) -> Reply:
        entries = await self._audit.recent(ctx.guild_id, limit)
        if not entries:
            return Reply(t("audit.empty"), ephemeral=True)
        lines = [f"{stamp(e.at, 'f')} {line(e.actor_name, e.action, e.details)}" for e in entries]
        return Reply("\n".join(lines), ephemeral=True)


def _report(report: ForgetReport) -> str:
    removed = ", ".join(f"{_label(table)} ({n})" for table, n in report.removed.items())
    kept = ", ".join(f"{_label(table)} ({n})" for table, n in report.anonymized.items())
    lines = [t("privacy.forget.done", removed=removed or "—")]
    if kept:
        lines.append(t("privacy.forget.anonymized", kept=kept))
    return "\n".join(lines)


def _label(table: str) -> str:
    """A table's name for people (every table has one: tests/unit/test_privacy.py)."""
    return t(f"privacy.table.{table}")
