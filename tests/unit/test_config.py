from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.__main__ import setup_logging
from bot.config import ConfigError, Settings, is_timezone, load_settings


def test_defaults_match_the_documented_ones() -> None:
    settings = Settings(_env_file=None)
    assert settings.discord_token is None
    assert settings.database_path == Path("data/podaj-dalej.sqlite3")
    assert settings.default_locale == "pl"
    assert settings.default_timezone == "Europe/Warsaw"
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LOCALE", "bg")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Sofia")
    monkeypatch.setenv("DEV_GUILD_ID", "")
    settings = load_settings(_env_file=None)
    assert (settings.default_locale, settings.default_timezone) == ("bg", "Europe/Sofia")
    assert settings.dev_guild_id is None


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("DISCORD_TOKEN=aaa.bbb.ccc\nLOG_LEVEL=debug\n", encoding="utf-8")
    settings = load_settings(_env_file=env)
    assert settings.token() == "aaa.bbb.ccc"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("default_timezone", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("default_locale", "de", "DEFAULT_LOCALE"),
        ("log_level", "loud", "LOG_LEVEL"),
    ],
)
def test_a_bad_setting_is_one_clear_line(name: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_blank_token_counts_as_missing() -> None:
    settings = load_settings(_env_file=None, discord_token="  ")
    assert settings.discord_token is None
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        settings.token()


def test_malformed_token_is_refused_before_connecting() -> None:
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        load_settings(_env_file=None, discord_token="not-a-token").token()


@pytest.mark.parametrize(
    ("zone", "ok"),
    [
        ("Europe/Warsaw", True),
        ("UTC", True),
        ("Europe/Nowhere", False),
        ("", False),
        ("../etc/passwd", False),
        (" Europe/Warsaw", False),
    ],
)
def test_is_timezone(zone: str, ok: bool) -> None:
    assert is_timezone(zone) is ok


def matrix(**values: str) -> Settings:
    base = {"matrix_homeserver": "https://matrix.example.org", "matrix_user": "@podaj:example.org"}
    return Settings(_env_file=None, **{**base, **values})


def test_matrix_login_reads_its_settings() -> None:
    login = matrix(
        matrix_password=" pw ", matrix_rooms="#ogloszenia:example.org, !abc"
    ).matrix_login()
    assert login.homeserver == "https://matrix.example.org"
    assert (login.user, login.password, login.access_token) == ("@podaj:example.org", "pw", None)
    assert login.rooms == ("#ogloszenia:example.org", "!abc")


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"matrix_user": ""}, "MATRIX_USER"),
        ({"matrix_homeserver": "matrix.example.org", "matrix_password": "pw"}, "URL"),
        ({"matrix_user": "podaj", "matrix_password": "pw"}, "@podaj:example.org"),
        ({}, "MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN"),
        ({"matrix_password": "pw", "matrix_rooms": "ogloszenia"}, "MATRIX_ROOMS"),
    ],
)
def test_a_wrong_matrix_setting_says_what_to_fix(values: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        matrix(**values).matrix_login()


def test_the_front_end_follows_the_settings() -> None:
    from bot.__main__ import default_command

    assert default_command(Settings(_env_file=None)) == "console"
    assert default_command(matrix(matrix_password="pw")) == "matrix"
    with_both = matrix(matrix_password="pw", discord_token="aaa.bbb.ccc")
    assert default_command(with_both) == "run"


@pytest.mark.parametrize(("level", "quiet"), [("INFO", True), ("WARNING", True), ("DEBUG", False)])
def test_the_libraries_chatter_stays_out_of_the_operators_log(
    tmp_path: Path, level: str, quiet: bool
) -> None:
    loggers = [logging.getLogger(name) for name in ("nio", "apscheduler")]
    before = [(lg, lg.level) for lg in loggers]
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        settings = Settings(_env_file=None, log_level=level)
        setup_logging(settings, to_file=tmp_path / "bot.log")
        chatty = logging.getLogger("nio.client.async_client")
        assert chatty.isEnabledFor(logging.INFO) is not quiet
        assert chatty.isEnabledFor(logging.WARNING)
        assert logging.getLogger("bot.app").isEnabledFor(logging.getLevelName(level))
    finally:
        for lg, lvl in before:
            lg.setLevel(lvl)
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", None), ("  ", None), ("auto", "auto"), (" Auto ", "auto"), ("1", 1), ("16", 16), (4, 4)],
)
def test_shard_count_is_a_number_or_auto(value: object, expected: object) -> None:
    assert load_settings(_env_file=None, shard_count=value).shard_count == expected


def test_shard_count_unset_is_one_connection() -> None:
    assert Settings(_env_file=None).shard_count is None


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5", "٣", 0, True])
def test_a_bad_shard_count_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, value: object
) -> None:
    monkeypatch.setenv("SHARD_COUNT", str(value))
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert str(caught.value) == (
        "SHARD_COUNT: must be a whole number of shards (1 or more) or auto"
    )


def test_dotenv_quotes_comments_and_precedence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# the bot's settings\n"
        'export DEFAULT_TIMEZONE="Europe/Sofia"\n'
        "default_locale='nl'\n"
        "WEB_ENABLED=yes  # the page too\n"
        "WEB_PORT=8081\n"
        "NOT_A_SETTING=1\n"
        "MATRIX_ROOMS=\n",
        encoding="utf-8",
    )
    settings = load_settings(_env_file=env)
    assert (settings.default_timezone, settings.default_locale) == ("Europe/Sofia", "nl")
    assert settings.web_enabled is True and settings.web_port == 8081
    # The environment beats .env, and what the code passes beats both.
    monkeypatch.setenv("web_port", "9000")
    assert load_settings(_env_file=env).web_port == 9000
    assert load_settings(_env_file=env, web_port=9100).web_port == 9100


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("web_port", "70000", "WEB_PORT: must be from 1 to 65535"),
        ("web_enabled", "maybe", "WEB_ENABLED: must be true or false"),
        ("reminder_max_pending", "1.5", "REMINDER_MAX_PENDING: must be a whole number"),
        ("scheduler_horizon_hours", "0", "SCHEDULER_HORIZON_HOURS: must be greater than 0"),
        ("rate_limit_scale", "nan", "RATE_LIMIT_SCALE: must be a finite number"),
        ("web_public_url", "podaj.example.org", "WEB_PUBLIC_URL: must start with http"),
        ("no_such_thing", "1", "NO_SUCH_THING: no such setting"),
    ],
)
def test_each_wrong_value_names_its_setting(name: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    assert str(caught.value).startswith(fragment), str(caught.value)


def test_secrets_stay_out_of_reprs() -> None:
    settings = load_settings(_env_file=None, discord_token="aaa.bbb.ccc", matrix_password="pw")
    assert "aaa.bbb.ccc" not in repr(settings) and "pw'" not in repr(settings)
    assert settings.token() == "aaa.bbb.ccc"


def test_the_defaults_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LOCALE", "bg")
    assert Settings.defaults().default_locale == "pl"
    assert Settings.defaults(default_locale="en").default_locale == "en"
