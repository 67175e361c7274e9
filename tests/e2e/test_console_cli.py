"""The console and the CLI as separate processes, exactly as a user starts them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.processes import CONSOLE_NOW, ROOT, bot_env

NOW = CONSOLE_NOW


def bot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**bot_env(), **(env or {})},
        cwd=cwd or ROOT,
        check=False,
    )


def console(tmp_path: Path, script: str, *extra: str) -> list[dict[str, Any]]:
    done = bot(
        "console",
        "--db",
        str(tmp_path / "c.sqlite3"),
        "--now",
        NOW,
        "--json",
        "--files",
        str(tmp_path / "files"),
        *extra,
        stdin=script,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_help_lists_the_commands() -> None:
    done = bot("--help")
    assert done.returncode == 0
    for word in ("run", "console", "migrate", "backup", "sync"):
        assert word in done.stdout


def test_a_piped_script_gets_one_json_answer_per_command(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/help",
                "@anna /settings language language:en",
                "@anna /settings show",
                "just chatting in #general",
                "@anna /role grant user:@anna role:admin",
                "/role grant user:@jan role:moderator",
                "/nonsense",
                "/clock advance by:2h",
                "@jan #jura /role list",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    by_line = {e["reply_to"]: e for e in events}
    assert sorted(by_line) == [1, 2, 3, 5, 6, 7, 8, 9]  # line 4 is chat: no answer
    assert set(events[0]) == {
        "at",
        "reply_to",
        "channel",
        "to",
        "ephemeral",
        "thread",
        "text",
        "embeds",
        "buttons",
        "files",
        "created",
    }
    assert by_line[1]["embeds"][0]["title"] == "Podaj dalej — pomoc"
    assert by_line[2]["text"] == "I will write to you in English."
    assert by_line[3]["to"] == "anna" and by_line[3]["channel"] == "general"
    assert by_line[5]["text"] == "This needs the role: admin. Ask a server admin."
    assert by_line[6]["text"] == "jan ma teraz rolę: moderator."
    assert by_line[7]["text"].startswith("Nie znam komendy „nonsense”")
    assert by_line[8]["at"] == "2026-01-15T12:00:00+01:00"
    assert (
        by_line[9]["text"]
        == "Do tego potrzebna jest rola: administrator. Poproś administratora serwera."
    )
    assert by_line[9]["channel"] == "jura"


def test_state_survives_a_restart(tmp_path: Path) -> None:
    console(tmp_path, "/role grant user:@jan role:moderator\n")
    events = console(tmp_path, "@jan /settings show\n")
    assert "Rola: moderator" in events[0]["text"]


def test_the_console_language_option(tmp_path: Path) -> None:
    events = console(tmp_path, "/nonsense\n", "--locale", "nl")
    assert events[0]["text"].startswith("Ik ken de opdracht „nonsense” niet")


def test_text_mode_is_readable(tmp_path: Path) -> None:
    done = bot(
        "console", "--db", str(tmp_path / "t.sqlite3"), "--now", NOW, stdin="/settings show\n"
    )
    assert done.returncode == 0
    assert "[2026-01-15 10:00] #general → admin (ephemeral)" in done.stdout
    assert "Rola: administrator" in done.stdout


def check_config_error(done: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_bad_settings_exit_2_with_one_line(tmp_path: Path) -> None:
    check_config_error(bot("console", env={"DEFAULT_TIMEZONE": "Mars/Base"}), "DEFAULT_TIMEZONE")
    check_config_error(bot("console", env={"DEFAULT_LOCALE": "de"}), "DEFAULT_LOCALE")
    check_config_error(bot("run", cwd=tmp_path), "DISCORD_TOKEN is not set")
    check_config_error(
        bot("run", env={"DISCORD_TOKEN": "nonsense"}, cwd=tmp_path),
        "does not look like a bot token",
    )
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    check_config_error(
        bot("migrate", env={"DATABASE_PATH": str(blocker / "db.sqlite3")}),
        "cannot create the folder",
    )


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    check_config_error(bot("migrate", env={"DATABASE_PATH": str(path)}), "newer version")


def test_migrate_and_backup(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "live.sqlite3")}
    assert bot("migrate", env=env).returncode == 0
    done = bot("backup", str(tmp_path / "copy.sqlite3"), env=env)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_reminders_arrive_at_their_time_across_a_restart(tmp_path: Path) -> None:
    first = console(
        tmp_path,
        '@anna /remind me when:"za 2 godziny" what:"Zadzwonić do Pilicy"\n'
        '@anna /remind me when:"jutro o 9" what:"Forum" every:"codziennie"\n'
        "/clock advance by:1h\n",
    )
    assert first[0]["created"] == {"type": "reminder", "id": 1}
    assert first[1]["created"] == {"type": "reminder", "id": 2}
    # The console stops with both pending; the next run starts an hour and a half later.
    done = bot(
        "console",
        "--db",
        str(tmp_path / "c.sqlite3"),
        "--now",
        "2026-01-15T12:30:00+01:00",
        "--json",
        stdin="/clock advance by:1d\n",
    )
    events = [json.loads(line) for line in done.stdout.splitlines()]
    deliveries = [e for e in events if e["reply_to"] is None]
    assert [(e["at"], e["to"], e["channel"]) for e in deliveries] == [
        ("2026-01-15T12:30:00+01:00", "anna", None),  # due 12:00, delivered at start, late
        ("2026-01-16T09:00:00+01:00", "anna", None),
    ]
    assert "Zadzwonić do Pilicy" in deliveries[0]["text"] and "opóźnieniem" in deliveries[0]["text"]
    assert [b["id"] for b in deliveries[1]["buttons"]][-1] == "remind:done:2"


def test_a_local_group_from_creation_to_a_rotated_meeting(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/group create name:Jura city:Zawiercie join:approval initiator:@ewa",
                "@anna /group join name:jura",
                "@ewa #jura /press id:group:approve:1:console:anna",
                "@anna /group near place:Lazy",
                '@ewa /group meeting plan name:Jura hosts:"Łazy; Pilica" first:"17 stycznia o 10"'
                ' every:"3 months"',
                "/clock advance by:3d",
                "@anna /group map",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    created = next(e for e in events if e["reply_to"] == 1 and e["created"])
    assert created["created"] == {"type": "group", "id": 1}
    welcome = next(e for e in events if e["channel"] == "jura" and "Witajcie" in e["text"])
    assert welcome["reply_to"] == 1
    request = next(e for e in events if e["channel"] == "jura" and e["buttons"])
    assert request["buttons"][0]["id"] == "group:approve:1:console:anna"
    approved = next(e for e in events if e["reply_to"] == 3 and e["to"] == "ewa")
    assert approved["text"] == "anna należy teraz do grupy **Jura**."
    decision = next(e for e in events if e["reply_to"] == 3 and e["channel"] is None)
    assert decision["to"] == "anna" and decision["text"].startswith("Przyjęto Cię")
    near = next(e for e in events if e["reply_to"] == 4)
    assert "**Jura**" in near["text"]
    scheduled = [e for e in events if e["reply_to"] is None]
    reminded = sorted((e["at"], e["to"]) for e in scheduled if e["to"])
    assert reminded == [("2026-01-16T10:00:00+01:00", "anna"), ("2026-01-16T10:00:00+01:00", "ewa")]
    rotated = [e for e in scheduled if e["channel"] == "jura"]
    assert "gospodarz: Pilica" in rotated[-1]["text"]
    [png] = next(e for e in events if e["reply_to"] == 7)["files"]
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_places_and_regions_answer_to_their_names_in_every_language(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                '/group create name:"Kraków Czyta" city:Cracow',
                '/group create name:Haga city:"\'s-Gravenhage"',
                "@anna /group list region:Małopolska",
                "@anna /group near place:Warsaw radius_km:300",
                "@anna /settings language language:bg",
                '@anna /group list region:"Южна Холандия"',
                "@anna /group near place:Варшава radius_km:300",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    replies = {e["reply_to"]: e for e in events if e["channel"] == "general"}
    assert [replies[n]["created"]["type"] for n in (1, 2)] == ["group", "group"]
    # Aliases only find: the group's town is named as the place names itself.
    listing = replies[3]["embeds"][0]
    assert [f["name"] for f in listing["fields"]] == ["małopolskie (PL)"]
    assert listing["fields"][0]["value"] == "• **Kraków Czyta** — Kraków"
    near = replies[4]["text"].splitlines()
    assert "Warszawa" in near[0] and "Kraków Czyta" in near[1]
    dutch = replies[6]["embeds"][0]
    assert [f["name"] for f in dutch["fields"]] == ["Zuid-Holland (NL)"]
    assert dutch["fields"][0]["value"] == "• **Haga** — Den Haag"
    in_bulgarian = replies[7]["text"].splitlines()
    assert "Warszawa" in in_bulgarian[0] and "Kraków Czyta" in in_bulgarian[1]


def test_privacy_export_forget_and_the_audit_log(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/setup server log:#dziennik",
                '@anna /remind me when:"jutro o 18" what:"forum"',
                "@anna /privacy export",
                "@anna /privacy forget confirm:yes",
                "@anna /privacy export",
                "/audit recent",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    first = next(e for e in events if e["reply_to"] == 3 and e["files"])
    assert first["channel"] is None and first["to"] == "anna"  # by DM
    assert json.loads(Path(first["files"][0]).read_text("utf-8"))["data"]["reminders"]
    forgot = next(e for e in events if e["reply_to"] == 4 and e["to"] == "anna")
    assert forgot["text"].startswith("Gotowe. Usunąłem:")
    second = next(e for e in events if e["reply_to"] == 5 and e["files"])
    assert json.loads(Path(second["files"][0]).read_text("utf-8"))["data"] == {}
    audit = next(e for e in events if e["reply_to"] == 6)
    lines = [line.split("🛡️ ", 1)[1] for line in audit["text"].splitlines()]
    assert lines == [
        "anna: /privacy export",  # after being forgotten she used the bot again
        "były członek: /privacy forget",
        "były członek: /privacy export",  # her earlier action, anonymized
        "admin: /setup server log:#dziennik",
    ]


def test_a_backup_taken_while_the_bot_writes_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--now", NOW, "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert writer.stdin is not None and writer.stdout is not None
    try:
        for i in range(60):
            writer.stdin.write(f'@user{i % 7} /remind me when:"za {i + 1} minut" what:"r{i}"\n')
        writer.stdin.flush()
        writer.stdout.readline()  # the first answer: the database exists, writes go on
        copies = [tmp_path / f"copy{n}.sqlite3" for n in range(3)]
        for copy in copies:
            done = bot("backup", str(copy), env={"DATABASE_PATH": str(db)})
            assert done.returncode == 0, done.stderr
        writer.stdin.close()
        writer.stdout.read()
        assert writer.wait(timeout=60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM reminders").fetchone()[0] <= 60


def test_a_supervision_sign_up_and_a_date_poll(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/role grant user:@ewa role:moderator",
                '@ewa /signup create title:"Superwizja" slots:"20 stycznia o 10" capacity:1',
                "@anna /press id:signup:join:1:1",
                "@jan /signup join sheet:1 slot:1",
                "@anna /signup leave sheet:1 slot:1",
                "/clock advance by:25h",
                "@ewa /signup export sheet:1",
                '@ewa /poll dates question:"Kiedy?" options:"21 stycznia o 10; 22 stycznia o 10"'
                ' closes:"za 1 godzinę"',
                "@anna /poll vote poll:1 option:2 answer:yes",
                "/clock advance by:2h",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    sheet = next(e for e in events if e["reply_to"] == 2 and e["buttons"])
    assert sheet["channel"] == "general"
    assert "signup:join:1:1" in [b["id"] for b in sheet["buttons"]]
    waiting = next(e for e in events if e["reply_to"] == 4 and e["to"] == "jan")
    assert "1" in waiting["text"]  # first on the waitlist
    offer = next(e for e in events if e["reply_to"] == 5 and e["channel"] is None)
    assert offer["to"] == "jan" and "signup:accept:1:1" in [b["id"] for b in offer["buttons"]]
    expired = [e for e in events if e["reply_to"] is None and e["to"] == "jan"]
    assert expired  # the unanswered offer ran out and Jan was told
    [csv_path] = next(e for e in events if e["reply_to"] == 7 and e["files"])["files"]
    assert (
        Path(csv_path)
        .read_text("utf-8-sig")
        .splitlines()[0]
        .startswith("imię i nazwisko;biblioteka;termin")
    )
    result = [e for e in events if e["reply_to"] is None and "Kiedy?" in e["text"]]
    assert result and "<t:" not in result[-1]["text"]  # times rendered for the reader


def test_a_learning_programme_from_registration_to_certificates(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/role grant user:@ewa role:moderator",
                "/setup server forum:#ogloszenia",
                '@ewa /program create name:"Liderzy 2026" themes:"Przywództwo; Coaching"'
                ' starts:"1 lutego 9:00" ends:"30 czerwca 17:00" capacity:2 threshold:1',
                "@anna /program join program:liderzy",
                '@ewa /program session add program:1 theme:przywództwo when:"10 lutego 10:00"'
                " duration:6h",
                '@anna /learning goals set goals:"Samodzielny zespół"',
                '@anna /learning log goal:1 text:"Pierwsza rozmowa o delegowaniu"',
                "/clock set at:2026-02-10T18:00",
                '@ewa /program attendance session:1 users:"@anna"',
                "@ewa /program certificates program:liderzy",
            ]
        )
        + "\n"
    )
    events = console(tmp_path, script)
    assert next(e for e in events if e["reply_to"] == 3 and e["created"])["created"]["type"] == (
        "program"
    )
    session = next(e for e in events if e["reply_to"] == 5 and e["created"])
    assert session["created"]["type"] == "event"
    post = next(e for e in events if e["channel"] == "ogloszenia" and e["thread"])
    assert "Liderzy 2026" in post["text"] + json.dumps(post["embeds"], ensure_ascii=False)
    certificate = next(
        e for e in events if e["reply_to"] == 10 and e["to"] == "anna" and e["files"]
    )
    [png] = certificate["files"]
    assert png.endswith(".png") and Path(png).read_bytes()[:4] == b"\x89PNG"
