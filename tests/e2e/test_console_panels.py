"""A virtual pączek panel in the console, run as a process the way a user starts it: on
Tłusty Czwartek, in a thread people write in as `#panel-1-…`, with the transcript written
under --files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.processes import ROOT, bot_env

FAT_THURSDAY = "2026-02-12T10:00:00+01:00"
THREAD = "panel-1-biblioteka-po-godzinach"

SCRIPT = f"""\
/role grant user:@ewa role:moderator
@ewa /panel create topic:"Biblioteka po godzinach" when:12:00 panelists:"@jan @anna" duration:30m
/clock advance by:2h
@ewa /panel start panel:1
@zosia #{THREAD} /panel hand
@ewa #{THREAD} /panel next
@piotr #{THREAD} Brawo! <i>świetnie</i> & "dalej"
@piotr #{THREAD} /panel paczek
@piotr #{THREAD} /panel ask text:"Jak liczyć godziny?"
@anna #{THREAD} /panel upvote question:1
@jan #{THREAD} /panel next
/clock advance by:3m
@ewa #{THREAD} /panel question next
@ewa #{THREAD} /panel end
"""


def run_console(tmp_path: Path, script: str) -> list[dict[str, Any]]:
    env = bot_env()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "console",
            "--db",
            str(tmp_path / "c.sqlite3"),
            "--now",
            FAT_THURSDAY,
            "--json",
            "--files",
            str(tmp_path / "files"),
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_console_panel_from_plan_to_transcript_files(tmp_path: Path) -> None:
    events = run_console(tmp_path, SCRIPT)
    answers = {e["reply_to"]: e for e in events if e["ephemeral"]}
    assert 7 not in answers  # chat is heard, not answered
    greeting, announcement = events[1]["text"].split("\n\n", 1)
    assert greeting.startswith("🍩 Szczęśliwego Tłustego Czwartku!")
    assert announcement.startswith("🍩 **Panel przy wirtualnym pączku: Biblioteka po godzinach**")
    assert answers[2]["created"] == {"type": "panel", "id": 1}
    reminders = [e for e in events if e["channel"] is None]
    assert sorted(e["to"] for e in reminders) == ["anna", "ewa", "jan"]
    card = next(e for e in events if e["thread"] == THREAD)
    assert card["channel"] == "general"
    assert [b["id"] for b in card["buttons"]] == [
        "panel:hand:1",
        "panel:lower:1",
        "panel-ask-1",
        "panel:paczek:1",
        "panel:next:1",
    ]
    assert answers[5]["text"] == "✋ Ręka w górze — jesteś 1. w kolejce."
    assert answers[5]["thread"] == THREAD
    assert answers[8]["text"] == "🍩 zosia dostaje od Ciebie pączka — ma już 1 pączek."
    assert answers[11]["text"].startswith("Głos przydziela i panel prowadzi jego moderator")
    timed = [e["text"] for e in events if e["reply_to"] is None and e["thread"] == THREAD]
    assert "⏳ @zosia, zostało 30 sekund." in timed
    assert "⏰ Czas! @zosia kończy wypowiedź." in timed
    assert answers[14]["text"].endswith("Podsumowanie i zapis: #general.")

    record = next(e for e in events if e["files"])
    assert record["channel"] == "general" and record["thread"] is None
    assert "• zosia — 1 wypowiedź, 3:00" in record["text"]
    assert "Pytania: zadane 1, omówione 1." in record["text"]
    md_path, html_path = (Path(p) for p in record["files"])
    assert md_path.parent == tmp_path / "files" and md_path.name.endswith("panel-1.md")
    assert html_path.name.endswith("panel-1.html")
    md = md_path.read_text(encoding="utf-8")
    assert "**🎤 Głos ma zosia (z kolejki)**" in md
    assert '**piotr:** Brawo! \\<i>świetnie\\</i> & "dalej"' in md
    assert "❔ piotr zadaje pytanie #1: Jak liczyć godziny?" in md
    assert "**❓ PYTANIE #1 (piotr): Jak liczyć godziny?**" in md
    page = html_path.read_text(encoding="utf-8")
    assert "Brawo! &lt;i&gt;świetnie&lt;/i&gt; &amp; &quot;dalej&quot;" in page
    assert "<i>" not in page


def test_a_panel_started_a_day_early_is_asked_about_first(tmp_path: Path) -> None:
    script = """\
/role grant user:@ewa role:moderator
@ewa /panel create topic:"Budżety" when:"jutro 12:00" panelists:"@jan" duration:30m
@ewa /panel start panel:1
@jan /press id:panel:early:1:0:1
@ewa /press id:panel:early:1:0:1
"""
    events = run_console(tmp_path, script)
    answers = {e["reply_to"]: e for e in events if e["ephemeral"]}
    asked = answers[3]
    # Planned for tomorrow: the answer names the time and starts nothing by itself.
    assert asked["text"].startswith("Panel **Budżety** jest zaplanowany na później — ")
    assert "piątek, 13 lutego 2026 12:00" in asked["text"]
    assert [(b["id"], b["label"]) for b in asked["buttons"]] == [
        ("panel:early:1:0:1", "Zacznij teraz")
    ]
    assert "prowadzi jego moderator (ewa)" in answers[4]["text"]  # only its moderator may press it
    assert "trwa" in answers[5]["text"]
