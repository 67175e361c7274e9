"""A small test-only bot that exercises every part of the double the real bot will use.

It is deliberately ordinary discord.py code (app commands, a cog, DynamicItem, modal, views,
aiosqlite), so the double and the harness are proven against the same library paths the
real PodajBot takes. Texts are Polish, like the real bot's default locale.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from .bots import BotContext, Clock

log = logging.getLogger("sample_bot")
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
ZONES = sorted(zoneinfo.available_timezones())

SCHEMA = """
CREATE TABLE IF NOT EXISTS reminders (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, due_at TEXT NOT NULL,
    what TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS settings (
    user_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (user_id, key));
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    event_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (event_id, user_id));
CREATE TABLE IF NOT EXISTS feedback (user_id INTEGER NOT NULL, text TEXT NOT NULL);
"""


def parse_when(text: str, now: datetime) -> datetime:
    """ "za 10 min", "za 2 h", "za 3 dni", "jutro o 18" (Warsaw time)."""
    local = now.astimezone(WARSAW)
    if m := re.fullmatch(r"za (\d+) ?(min|h|godz|dni|dzień)", text.strip()):
        amount, unit = int(m[1]), m[2]
        step = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "godz": timedelta(hours=1)}
        return now + amount * step.get(unit, timedelta(days=1))
    if m := re.fullmatch(r"jutro o (\d{1,2})(?::(\d\d))?", text.strip()):
        day = (local + timedelta(days=1)).date()
        at = datetime(day.year, day.month, day.day, int(m[1]), int(m[2] or 0), tzinfo=WARSAW)
        return at.astimezone(UTC)
    raise ValueError(text)


class SampleApp:
    """The sample bot's stand-in for the core App: owns the clock and the due jobs."""

    def __init__(self, bot: SampleBot, clock: Clock) -> None:
        self.bot = bot
        self.clock = clock

    async def advance(self, delta: timedelta) -> None:
        target = self.clock.now() + delta
        rows = await self.bot.db.execute_fetchall(
            "SELECT id, user_id, what, due_at FROM reminders WHERE done = 0 ORDER BY due_at"
        )
        for ident, user_id, what, due_at in rows:
            due = datetime.fromisoformat(due_at)
            if due > target:
                break
            self.clock.set(max(due, self.clock.now()))
            await self.bot.deliver_reminder(ident, user_id, what)
        self.clock.set(target)


class JoinButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"sample:join:(?P<id>\d+)"
):
    """Persistent "Join" button: the event id lives in the custom_id, so it survives restarts."""

    def __init__(self, event_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Dołącz",
                style=discord.ButtonStyle.success,
                custom_id=f"sample:join:{event_id}",
            )
        )
        self.event_id = event_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> JoinButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: SampleBot = interaction.client  # type: ignore[assignment]
        await bot.db.execute(
            "INSERT OR IGNORE INTO participants VALUES (?, ?)", (self.event_id, interaction.user.id)
        )
        await bot.db.commit()
        rows = await bot.db.execute_fetchall(
            "SELECT COUNT(*) FROM participants WHERE event_id = ?", (self.event_id,)
        )
        await interaction.response.send_message(
            f"Zapisano! Uczestników: {rows[0][0]}", ephemeral=True
        )


class FeedbackModal(discord.ui.Modal, title="Opinia"):
    opinion: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Twoja opinia", custom_id="opinion", style=discord.TextStyle.paragraph, max_length=500
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: SampleBot = interaction.client  # type: ignore[assignment]
        await bot.db.execute(
            "INSERT INTO feedback VALUES (?, ?)", (interaction.user.id, self.opinion.value)
        )
        await bot.db.commit()
        await interaction.response.send_message("Dziękujemy za opinię!", ephemeral=True)


class ColorView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="sample:color",
        placeholder="Wybierz kolor",
        options=[discord.SelectOption(label=c, value=c.lower()) for c in ("Czerwony", "Zielony")],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.edit_message(content=f"Wybrano: {select.values[0]}", view=None)


class SampleCog(commands.Cog):
    # Groups as class attributes: discord.py copies and binds them per cog instance, which
    # matters because the harness builds a fresh bot on every restart.
    remind = app_commands.Group(name="remind", description="Przypomnienia")
    settings = app_commands.Group(name="settings", description="Ustawienia")
    meeting = app_commands.Group(name="meeting", description="Spotkania")
    group = app_commands.Group(name="group", description="Grupy")

    def __init__(self, bot: SampleBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not message.content.startswith("podaj dalej:"):
            return
        text = message.content.removeprefix("podaj dalej:").strip()
        await message.channel.send(
            f"{message.author.mention} mówi: {text}",
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(description="Odpowiada pong")
    async def ping(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @app_commands.command(description="Odpowiada po zadanym czasie")
    async def slow(self, interaction: discord.Interaction, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await interaction.response.send_message("w końcu")

    @remind.command(name="me", description="Przypomnij mi")
    @app_commands.describe(when="Kiedy, np. 'jutro o 18'", what="O czym")
    async def remind_me(self, interaction: discord.Interaction, when: str, what: str) -> None:
        now = self.bot.clock.now()
        try:
            due = parse_when(when, now)
        except ValueError:
            await interaction.response.send_message(f"Nie rozumiem: {when}", ephemeral=True)
            return
        await self.bot.db.execute(
            "INSERT INTO reminders (user_id, due_at, what) VALUES (?, ?, ?)",
            (interaction.user.id, due.isoformat(), what),
        )
        await self.bot.db.commit()
        local = due.astimezone(WARSAW).strftime("%d.%m %H:%M")
        await interaction.response.send_message(f"Przypomnę Ci: {what} ({local})", ephemeral=True)

    @settings.command(name="timezone", description="Strefa czasowa")
    async def settings_timezone(self, interaction: discord.Interaction, zone: str) -> None:
        if zone not in ZONES:
            await interaction.response.send_message("Nieznana strefa", ephemeral=True)
            return
        await self.bot.save_setting(interaction.user.id, "timezone", zone)
        await interaction.response.send_message(f"Strefa: {zone}", ephemeral=True)

    @settings_timezone.autocomplete("zone")
    async def zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        hits = [z for z in ZONES if z.lower().startswith(current.lower())][:25]
        return [app_commands.Choice(name=z, value=z) for z in hits]

    @settings.command(name="language", description="Język")
    @app_commands.choices(
        language=[
            app_commands.Choice(name="polski", value="pl"),
            app_commands.Choice(name="English", value="en"),
        ]
    )
    async def settings_language(
        self, interaction: discord.Interaction, language: app_commands.Choice[str]
    ) -> None:
        await self.bot.save_setting(interaction.user.id, "language", language.value)
        await interaction.response.send_message(f"Język: {language.name}", ephemeral=True)

    @app_commands.command(description="Wydarzenie z przyciskiem zapisu")
    async def event(self, interaction: discord.Interaction, title: str) -> None:
        cursor = await self.bot.db.execute("INSERT INTO events (title) VALUES (?)", (title,))
        await self.bot.db.commit()
        view = discord.ui.View(timeout=None)
        view.add_item(JoinButton(cursor.lastrowid or 0))
        await interaction.response.send_message(f"**{title}**", view=view)
        # GET @original: the bot learns the id of the message its button lives on.
        message = await interaction.original_response()
        log.info("event %s announced in message %s", cursor.lastrowid, message.id)

    @app_commands.command(description="Formularz opinii")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @app_commands.command(description="Raport (odroczony)")
    async def report(self, interaction: discord.Interaction, private: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=private)
        rows = await self.bot.db.execute_fetchall("SELECT COUNT(*) FROM reminders")
        await interaction.followup.send(f"Raport: przypomnień {rows[0][0]}")
        details = await interaction.followup.send("Szczegóły…", ephemeral=True, wait=True)
        await details.edit(content="Szczegóły w #log")

    @app_commands.command(description="Eksport do pliku")
    async def export(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.db.execute_fetchall("SELECT id, what FROM reminders")
        body = "id;what\n" + "".join(f"{i};{w}\n" for i, w in rows)
        file = discord.File(io.BytesIO(body.encode()), filename="przypomnienia.csv")
        await interaction.response.send_message("Eksport gotowy", file=file, ephemeral=True)

    @app_commands.command(description="Prześlij plik")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()  # downloaded from the double's CDN route
        await interaction.response.send_message(f"{file.filename}: {len(data)} B", ephemeral=True)

    @app_commands.command(description="Wyślij komuś prywatną wiadomość")
    async def dm(self, interaction: discord.Interaction, user: discord.Member, text: str) -> None:
        try:
            await user.send(text)
        except discord.Forbidden as exc:
            await interaction.response.send_message(
                f"Nie mogę napisać do {user.display_name} ({exc.code})", ephemeral=True
            )
            return
        await interaction.response.send_message("Wysłano", ephemeral=True)

    @app_commands.command(description="Ogłoszenie na forum")
    async def announce(
        self, interaction: discord.Interaction, title: str, text: str, tag: str
    ) -> None:
        forum = discord.utils.get(interaction.guild.forums, name="announcements")  # type: ignore[union-attr]
        assert forum is not None
        applied = [t for t in forum.available_tags if t.name == tag]
        post = await forum.create_thread(name=title, content=text, applied_tags=applied)
        await interaction.response.send_message(
            f"Opublikowano: {post.thread.mention}", ephemeral=True
        )

    @app_commands.command(description="Ankieta")
    async def poll(self, interaction: discord.Interaction, question: str, answers: str) -> None:
        poll = discord.Poll(question=question, duration=timedelta(hours=24))
        for answer in answers.split(","):
            poll.add_answer(text=answer.strip())
        await interaction.response.send_message(poll=poll)

    @app_commands.command(description="Tryb powolny")
    @app_commands.default_permissions(manage_channels=True)
    async def slowmode(self, interaction: discord.Interaction, seconds: int) -> None:
        await interaction.channel.edit(slowmode_delay=seconds)  # type: ignore[union-attr]
        await interaction.response.send_message(f"Tryb powolny: {seconds}s", ephemeral=True)

    @app_commands.command(description="Wybór koloru")
    async def color(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Jaki kolor?", view=ColorView())

    @group.command(name="create", description="Nowa grupa z rolą i kanałem")
    async def group_create(self, interaction: discord.Interaction, name: str) -> None:
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        role = await guild.create_role(name=f"grupa-{name}", mentionable=True)
        await interaction.user.add_roles(role)  # type: ignore[union-attr]
        category = discord.utils.get(guild.categories, name="Grupy")
        channel = await guild.create_text_channel(
            name,
            category=category,
            overwrites={
                guild.default_role: discord.PermissionOverwrite(view_channel=False),
                role: discord.PermissionOverwrite(view_channel=True),
                guild.me: discord.PermissionOverwrite(view_channel=True),
            },
        )
        await channel.send(f"Witajcie w grupie {role.mention}!")
        await interaction.edit_original_response(content=f"Grupa gotowa: {channel.mention}")

    @meeting.command(name="plan", description="Zaplanuj spotkanie")
    async def meeting_plan(
        self, interaction: discord.Interaction, name: str, in_hours: int
    ) -> None:
        start = self.bot.clock.now() + timedelta(hours=in_hours)
        event = await interaction.guild.create_scheduled_event(  # type: ignore[union-attr]
            name=name,
            start_time=start,
            end_time=start + timedelta(hours=1),
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Biblioteka Główna",
        )
        await interaction.response.send_message(f"Zaplanowano {event.id}", ephemeral=True)

    @meeting.command(name="move", description="Przesuń spotkanie")
    async def meeting_move(
        self, interaction: discord.Interaction, event_id: str, hours: int
    ) -> None:
        event = interaction.guild.get_scheduled_event(int(event_id))  # type: ignore[union-attr]
        assert event is not None
        start = event.start_time + timedelta(hours=hours)
        await event.edit(start_time=start, end_time=start + timedelta(hours=1))
        await interaction.response.send_message("Przesunięto", ephemeral=True)

    @meeting.command(name="cancel", description="Odwołaj spotkanie")
    async def meeting_cancel(self, interaction: discord.Interaction, event_id: str) -> None:
        event = interaction.guild.get_scheduled_event(int(event_id))  # type: ignore[union-attr]
        assert event is not None
        await event.delete()
        await interaction.response.send_message("Odwołano", ephemeral=True)


class SampleBot(commands.Bot):
    def __init__(self, ctx: BotContext) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        intents.members = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, **ctx.options)
        self.ctx = ctx
        self.clock = ctx.clock
        self.app = SampleApp(self, ctx.clock)
        self.db: aiosqlite.Connection

    async def setup_hook(self) -> None:
        self.db = await aiosqlite.connect(self.ctx.db_path)
        await self.db.execute("PRAGMA journal_mode=WAL")
        await self.db.execute("PRAGMA synchronous=NORMAL")
        await self.db.executescript(SCHEMA)
        await self.db.commit()
        await self.add_cog(SampleCog(self))
        self.add_dynamic_items(JoinButton)
        self.add_view(ColorView())
        guild = discord.Object(self.ctx.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def close(self) -> None:
        await super().close()
        db = getattr(self, "db", None)
        if db is not None:
            await db.close()

    async def save_setting(self, user_id: int, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO settings VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
            (user_id, key, value),
        )
        await self.db.commit()

    async def deliver_reminder(self, ident: int, user_id: int, what: str) -> None:
        user = self.get_user(user_id) or await self.fetch_user(user_id)
        try:
            await user.send(f"Przypomnienie: {what}")
        except discord.Forbidden:
            log_channel = discord.utils.get(self.get_all_channels(), name="log")
            if isinstance(log_channel, discord.TextChannel):
                await log_channel.send(f"Nie mogę wysłać przypomnienia do {user.name}")
        await self.db.execute("UPDATE reminders SET done = 1 WHERE id = ?", (ident,))
        await self.db.commit()
