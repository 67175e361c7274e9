"""Settings from the environment and `.env`, validated once in main (never at import)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import SUPPORTED_LOCALES
from bot.timelang.durations import parse_duration

# One per-command override in RATE_LIMITS: "learning case=5/1d" or "group join=off".
_RATE_LIMIT = re.compile(r"^\s*([a-z][a-z ]*[a-z])\s*=\s*(?:(\d{1,6})\s*/\s*(\S+)|(off))\s*$")


MAX_RATE_PERIOD = timedelta(days=30)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line meant for the operator."""


class Secret:
    """A value kept out of reprs and logs (a token, a password)."""

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass
class Settings:
    """Every setting with its default. Read from the keyword arguments, then the
    environment, then `.env` (`_env_file`; None reads none), in that order of precedence;
    names are the fields' in capitals (DATABASE_PATH), in any case. Each value is checked
    as it is read: a wrong one is a ConfigError naming the setting, in one line.

    Kept free of a settings library on purpose: this is read by every start, and pydantic
    alone cost a start more than the rest of the settings put together."""

    discord_token: Secret | None = None
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
    scheduler_horizon_hours: float = 24.0
    reminder_grace_hours: float = 6.0
    reminder_max_pending: int = 100
    signup_offer_hours: float = 24.0
    # Cooldowns: every declared period times this (0 turns them off), and per-command ones.
    # Bounded: a cooldown's end must stay a date the bot can compute and show.
    rate_limit_scale: float = 1.0
    rate_limits: str = ""
    # Caps on rows one person can pile up.
    learning_max_entries: int = 1000
    group_max_pending_requests: int = 5
    matrix_homeserver: str | None = None
    matrix_user: str | None = None
    matrix_password: Secret | None = None
    matrix_access_token: Secret | None = None
    # Rooms to join at start and whose admins (power level 100) administer the bot.
    matrix_rooms: str = ""
    # The public web page (web/): beside the bot when enabled, or alone with `python -m bot web`.
    web_enabled: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    # The page's address as the public sees it (behind a proxy), for calendar links;
    # empty: the address each request came to.
    web_public_url: str = ""

    def __init__(self, _env_file: str | Path | None = ".env", **values: object) -> None:
        found: dict[str, object] = {}
        found.update(_dotenv(Path(_env_file)) if _env_file is not None else {})
        found.update({k.lower(): v for k, v in os.environ.items() if k.lower() in _READERS})
        self._take(found, values)

    @classmethod
    def defaults(cls, **values: object) -> Settings:
        """The defaults and `values` alone, whatever the environment says."""
        settings = cls.__new__(cls)
        settings._take({}, values)
        return settings

    def _take(self, found: dict[str, object], values: dict[str, object]) -> None:
        given = {name.lower(): value for name, value in values.items()}
        unknown = sorted(set(given) - set(_READERS))
        if unknown:
            raise ConfigError(f"{unknown[0].upper()}: no such setting")
        found = {**found, **given}
        for name, read in _READERS.items():
            if name in found:
                try:
                    setattr(self, name, read(found[name]))
                except ValueError as exc:
                    raise ConfigError(f"{name.upper()}: {exc}") from None
            else:
                setattr(self, name, getattr(type(self), name))

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


# -- reading one value --------------------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def _optional(read: Callable[[object], object]) -> Callable[[object], object]:
    """A blank value is "not set"."""
    return lambda value: (
        None if value is None or (isinstance(value, str) and not value.strip()) else read(value)
    )


def _whole(low: int, high: int | None = None) -> Callable[[object], int]:
    def read(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("must be a whole number")
        text = str(value).strip()
        if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()):
            raise ValueError("must be a whole number")
        number = int(text)
        if number < low or (high is not None and number > high):
            raise ValueError(f"must be from {low}" + (f" to {high}" if high is not None else " up"))
        return number

    return read


def _number(
    *, above: float | None = None, low: float | None = None, high: float | None = None
) -> Callable[[object], float]:
    def read(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("must be a number")
        try:
            number = float(value)
        except ValueError:
            raise ValueError("must be a number") from None
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
        if above is not None and number <= above:
            raise ValueError(f"must be greater than {above:g}")
        if low is not None and number < low:
            raise ValueError(f"must be at least {low:g}")
        if high is not None and number > high:
            raise ValueError(f"must be at most {high:g}")
        return number

    return read


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("must be true or false")


def _secret_value(value: object) -> Secret:
    return value if isinstance(value, Secret) else Secret(_text(value))


def _path(value: object) -> Path:
    return value if isinstance(value, Path) else Path(_text(value))


def _locale(value: object) -> str:
    text = _text(value)
    if text not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
    return text


def _zone(value: object) -> str:
    text = _text(value)
    if not is_timezone(text):
        raise ValueError("must be an IANA time zone such as Europe/Warsaw")
    return text


def _level(value: object) -> str:
    level = _text(value).strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def _rate_limits(value: object) -> str:
    text = _text(value)
    parse_rate_limits(text)
    return text


def _web_url(value: object) -> str:
    text = _text(value).strip().rstrip("/")
    if text and not text.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://, e.g. https://podaj.example.org")
    return text


_READERS: dict[str, Callable[[object], object]] = {
    "discord_token": _optional(_secret_value),
    "database_path": _path,
    "default_locale": _locale,
    "default_timezone": _zone,
    "log_level": _level,
    "dev_guild_id": _optional(_whole(1)),
    "discord_members_intent": _flag,
    "shard_count": lambda value: parse_shard_count(value),
    "scheduler_horizon_hours": _number(above=0),
    "reminder_grace_hours": _number(low=0),
    "reminder_max_pending": _whole(1),
    "signup_offer_hours": _number(above=0),
    "rate_limit_scale": _number(low=0, high=1000),
    "rate_limits": _rate_limits,
    "learning_max_entries": _whole(1),
    "group_max_pending_requests": _whole(1),
    "matrix_homeserver": _optional(_text),
    "matrix_user": _optional(_text),
    "matrix_password": _optional(_secret_value),
    "matrix_access_token": _optional(_secret_value),
    "matrix_rooms": _text,
    "web_enabled": _flag,
    "web_host": _text,
    "web_port": _whole(1, 65535),
    "web_public_url": _web_url,
}


def _dotenv(path: Path) -> dict[str, str]:
    """The settings in a `.env` file: NAME=value lines, `#` comments, `export ` allowed,
    values optionally in single or double quotes. A missing file is no settings."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    found: dict[str, str] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#") or "=" not in text:
            continue
        name, _, value = text.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if name.strip().lower() in _READERS:
            found[name.strip().lower()] = value
    return found


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


def _secret(value: Secret | None) -> str | None:
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
    """The settings, or a ConfigError in one line naming the setting to fix."""
    return Settings(**overrides)  # type: ignore[arg-type]
