"""Settings from the environment and `.env`, validated once in main (never at import)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import SUPPORTED_LOCALES
from bot.timelang.durations import parse_duration

# One per-command override in RATE_LIMITS: "learning case=5/1d" or "group join=off".
_RATE_LIMIT = re.compile(r"^\s*([a-z][a-z ]*[a-z])\s*=\s*(?:(\d{1,6})\s*/\s*(\S+)|(off))\s*$")


MAX_RATE_PERIOD = timedelta(days=30)


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line meant for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", validate_default=True
    )

    discord_token: SecretStr | None = None
    database_path: Path = Path("data/podaj-dalej.sqlite3")
    default_locale: str = "pl"
    default_timezone: str = "Europe/Warsaw"
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    # Discord's privileged Server Members intent, switched on in the developer portal too:
    # the welcome greets people as they join.
    discord_members_intent: bool = False
    # Gateway shards (discord.py's AutoShardedBot): a number, or "auto" for the count Discord
    # recommends; unset, one connection. Discord requires shards from 2 500 servers on.
    shard_count: int | Literal["auto"] | None = None
    scheduler_horizon_hours: float = Field(default=24.0, gt=0)
    reminder_grace_hours: float = Field(default=6.0, ge=0)
    reminder_max_pending: int = Field(default=100, ge=1)
    signup_offer_hours: float = Field(default=24.0, gt=0)
    # Cooldowns: every declared period times this (0 turns them off), and per-command ones.
    # Bounded: a cooldown's end must stay a date the bot can compute and show.
    rate_limit_scale: float = Field(default=1.0, ge=0, le=1000)
    rate_limits: str = ""
    # Caps on rows one person can pile up.
    learning_max_entries: int = Field(default=1000, ge=1)
    group_max_pending_requests: int = Field(default=5, ge=1)
    matrix_homeserver: str | None = None
    matrix_user: str | None = None
    matrix_password: SecretStr | None = None
    matrix_access_token: SecretStr | None = None
    # Rooms to join at start and whose admins (power level 100) administer the bot.
    matrix_rooms: str = ""
    # The public web page (web/): beside the bot when enabled, or alone with `python -m bot web`.
    web_enabled: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    # The page's address as the public sees it (behind a proxy), for calendar links;
    # empty: the address each request came to.
    web_public_url: str = ""

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "matrix_homeserver", "matrix_user", "matrix_password", "matrix_access_token", mode="before"
    )
    @classmethod
    def _blank_matrix_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        return parse_shard_count(value)

    @field_validator("web_public_url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        text = value.strip().rstrip("/")
        if text and not text.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. https://podaj.example.org")
        return text

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_timezone(value):
            raise ValueError("must be an IANA time zone such as Europe/Warsaw")
        return value

    @field_validator("rate_limits")
    @classmethod
    def _readable_rate_limits(cls, value: str) -> str:
        parse_rate_limits(value)
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    def token(self) -> str:
        """The Discord token, or a ConfigError that says how to get one."""
        if self.discord_token is None:
            raise ConfigError(
                "DISCORD_TOKEN is not set: put the bot token from the Discord developer "
                "portal in the environment or in .env"
            )
        value = self.discord_token.get_secret_value().strip()
        if value.count(".") != 2 or any(not part for part in value.split(".")):
            raise ConfigError(
                "DISCORD_TOKEN does not look like a bot token (three parts separated by dots); "
                "copy it again from the Bot page of your application"
            )
        return value

    def matrix_login(self) -> MatrixLogin:
        """Where and as whom to log in to Matrix, or a ConfigError saying what is missing."""
        if not self.matrix_homeserver or not self.matrix_user:
            raise ConfigError("MATRIX_HOMESERVER and MATRIX_USER must both be set for Matrix")
        if not self.matrix_homeserver.startswith(("http://", "https://")):
            raise ConfigError("MATRIX_HOMESERVER must be a URL such as https://matrix.example.org")
        user = self.matrix_user.strip()
        if not (user.startswith("@") and ":" in user):
            raise ConfigError("MATRIX_USER must be a full Matrix id such as @podaj:example.org")
        if self.matrix_password is None and self.matrix_access_token is None:
            raise ConfigError("set MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN for the bot's account")
        rooms = tuple(r.strip() for r in self.matrix_rooms.split(",") if r.strip())
        # Room ids are "!…" (newer room versions drop the ":server" part); aliases "#name:server".
        bad = [r for r in rooms if not (r.startswith("!") or (r.startswith("#") and ":" in r))]
        if bad:
            raise ConfigError(f"MATRIX_ROOMS: {bad[0]!r} is no room id (!…) or #alias:server")
        return MatrixLogin(
            homeserver=self.matrix_homeserver.rstrip("/"),
            user=user,
            password=_secret(self.matrix_password),
            access_token=_secret(self.matrix_access_token),
            rooms=rooms,
        )

    @property
    def wants_matrix(self) -> bool:
        return bool(self.matrix_homeserver)

    def rate_limit_overrides(self) -> dict[str, tuple[int, timedelta] | None]:
        """RATE_LIMITS by command path: (uses, period), or None for no limit."""
        return parse_rate_limits(self.rate_limits)


def parse_rate_limits(text: str) -> dict[str, tuple[int, timedelta] | None]:
    """`learning case=5/1d, group join=off` → {"learning case": (5, 1 day), "group join": None}.
    Raises ValueError naming the part it cannot read."""
    found: dict[str, tuple[int, timedelta] | None] = {}
    for part in (p for p in text.split(",") if p.strip()):
        match = _RATE_LIMIT.match(part)
        if match is None:
            raise ValueError(f"cannot read {part.strip()!r}; write e.g. 'learning case=3/1d'")
        path, uses, period, off = match.groups()
        path = " ".join(path.split())
        if off:
            found[path] = None
            continue
        per = parse_duration(period)
        if per is None:
            raise ValueError(f"{part.strip()!r}: {period!r} is no period; write e.g. 10m, 1h, 1d")
        if int(uses) < 1 or per > MAX_RATE_PERIOD:
            raise ValueError(f"{part.strip()!r}: at least 1 use per at most 30 days")
        found[path] = (int(uses), per)
    return found


def parse_shard_count(value: object) -> int | Literal["auto"] | None:
    """SHARD_COUNT: blank → None (one connection), "auto" → "auto", a whole number ≥ 1.
    Raises ValueError saying what is accepted."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text == "auto":
            return "auto"
        if text.isascii() and text.isdigit() and int(text) >= 1:
            return int(text)
    raise ValueError("must be a whole number of shards (1 or more) or auto")


@dataclass(frozen=True)
class MatrixLogin:
    homeserver: str
    user: str
    password: str | None
    access_token: str | None
    rooms: tuple[str, ...]


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value().strip() if value is not None else None


def is_timezone(name: str) -> bool:
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning pydantic's report into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "setting"
        raise ConfigError(f"{name}: {first['msg']}") from None
