"""What one person may learn about others, in the console run as a process.

Jan gets a pączek from Kasia in a panel; Ola proposes a group and the moderator declines it:
each one's `/privacy export` holds their own data and names nobody else (the giver, the
decider, the proposer are words). Then a group's meeting topic: Ewa plans Tajna's meeting
"zwolnienia"; Jan, outside the group, sees its date and host, a member sees the topic too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .test_console_cli import console

THREAD = "panel-1-biblioteka-po-godzinach"
EXPORTS = f"""\
/setup server log:#dziennik
/role grant user:@mod role:moderator
@ola /group propose name:Podbeskidzie city:Andrychów description:"Biblioteki znad Wieprzówki"
@mod /group proposal decline id:1 reason:"Za blisko innej grupy"
@mod /panel create topic:"Biblioteka po godzinach" when:"za 1 godzinę" panelists:"@jan"
@mod /panel start panel:1
@mod #{THREAD} /panel floor user:@jan
@kasia #{THREAD} /panel paczek
@jan /privacy export
@kasia /privacy export
@mod /privacy export
@ola /privacy export
"""
PEOPLE = ("jan", "kasia", "mod", "ola", "admin")

MEETING = """\
/group create name:Tajna city:Zawiercie initiator:@ewa
@ewa /group meeting plan name:Tajna hosts:"MBP Sekret" dates:"za 5 dni 10:00" \
topic:"zwolnienia w filiach"
@anna /group join name:Tajna
@jan /group info name:Tajna
@jan /group meeting next name:Tajna
@anna /group info name:Tajna
@anna /group meeting next name:Tajna
"""


def exported(events: list[dict[str, Any]], line: int) -> dict[str, list[dict[str, Any]]]:
    [event] = [e for e in events if e["reply_to"] == line and e["files"]]
    data: dict[str, list[dict[str, Any]]] = json.loads(Path(event["files"][0]).read_text("utf-8"))[
        "data"
    ]
    return data


def test_each_export_holds_the_persons_data_and_names_nobody_else(tmp_path: Path) -> None:
    events = console(tmp_path, EXPORTS)
    first = EXPORTS.count("\n") - 3
    for line, person in zip(range(first, first + 4), ("jan", "kasia", "mod", "ola"), strict=True):
        data = exported(events, line)
        text = json.dumps(data, ensure_ascii=False)
        values = {str(v) for rows in data.values() for row in rows for v in row.values()}
        assert f"console:{person}" in text
        for other in PEOPLE:
            if other != person:  # not by id (in a mention too), not by name
                assert f"console:{other}" not in text and other not in values, (person, other)
    [paczek] = exported(events, first)["panel_paczki"]
    assert paczek["giver_id"] == "inny członek" and paczek["receiver_id"] == "console:jan"
    [decided] = exported(events, first + 2)["group_proposals"]
    assert decided["status"] == "declined" and decided["decided_at"]
    assert decided["user_id"] == "inny członek" and "description" not in decided
    [proposed] = exported(events, first + 3)["group_proposals"]
    assert proposed["description"] == "Biblioteki znad Wieprzówki"
    assert proposed["decider_name"] == "moderator lub administrator"


def answer(events: list[dict[str, Any]], line: int) -> str:
    [event] = [e for e in events if e["reply_to"] == line]
    parts = [event["text"] or ""]
    for embed in event["embeds"]:
        parts += [field["value"] for field in embed["fields"]]
    return "\n".join(parts)


def test_only_the_group_sees_its_meetings_topic(tmp_path: Path) -> None:
    events = console(tmp_path, MEETING)
    first = MEETING.replace("\\\n", "").count("\n") - 3
    outside = [answer(events, first), answer(events, first + 1)]
    inside = [answer(events, first + 2), answer(events, first + 3)]
    for shown in outside:
        assert "gospodarz: MBP Sekret" in shown and "zwolnienia" not in shown
    for shown in inside:
        assert "gospodarz: MBP Sekret — zwolnienia w filiach" in shown
