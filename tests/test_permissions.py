"""Every command × every role: allowed or refused, as the table says.

A new command fails `test_the_table_covers_every_command` until it is added here, so each
feature states who may use it.
"""

from __future__ import annotations

import pytest

from bot.roles import Role
from tests.helpers.console import ConsoleSession

# command → the lowest role that may use it
MINIMUM_ROLE: dict[str, Role] = {
    "help": Role.DIRECTOR,
    "settings show": Role.DIRECTOR,
    "settings language": Role.DIRECTOR,
    "settings timezone": Role.DIRECTOR,
    "settings digest": Role.DIRECTOR,
    "role grant": Role.ADMIN,
    "role revoke": Role.ADMIN,
    "role list": Role.ADMIN,
    "setup server": Role.ADMIN,
    "setup role": Role.ADMIN,
    "start": Role.DIRECTOR,
    "clock set": Role.DIRECTOR,
    "clock advance": Role.DIRECTOR,
    "press": Role.DIRECTOR,
    "remind me": Role.DIRECTOR,
    "remind channel": Role.INITIATOR,  # an initiator only in their group's channel
    "remind list": Role.DIRECTOR,
    "remind cancel": Role.DIRECTOR,
    "remind edit": Role.DIRECTOR,
    "remind snooze": Role.DIRECTOR,
    # A new group goes through the moderators (directors and initiators propose one);
    # initiators manage only their own groups; that scope is tested in test_groups.
    "group create": Role.MODERATOR,
    "group edit": Role.INITIATOR,
    "group archive": Role.INITIATOR,
    "group repair": Role.INITIATOR,
    "group initiator add": Role.ADMIN,
    "group initiator remove": Role.ADMIN,
    "group list": Role.DIRECTOR,
    "group info": Role.DIRECTOR,
    "group members": Role.DIRECTOR,
    "group join": Role.DIRECTOR,
    "group leave": Role.DIRECTOR,
    "group approve": Role.INITIATOR,
    "group decline": Role.INITIATOR,
    "group near": Role.DIRECTOR,
    "group map": Role.DIRECTOR,
    "group guide": Role.DIRECTOR,
    "group propose": Role.DIRECTOR,
    "group proposals": Role.MODERATOR,
    "group proposal approve": Role.MODERATOR,
    "group proposal decline": Role.MODERATOR,
    # An initiator sees only the groups they initiate; that scope is in test_group_proposals.
    "group checklist": Role.INITIATOR,
    "group meeting plan": Role.INITIATOR,
    "group meeting next": Role.DIRECTOR,
    "group meeting skip": Role.INITIATOR,
    "group meeting swap": Role.INITIATOR,
    "profile set": Role.DIRECTOR,
    "profile show": Role.DIRECTOR,
    # Sign-ups: initiators create and manage sheets only in their own group's channel;
    # that scope is tested in test_signups.
    "signup create": Role.INITIATOR,
    "signup join": Role.DIRECTOR,
    "signup leave": Role.DIRECTOR,
    "signup status": Role.DIRECTOR,
    "signup accept": Role.DIRECTOR,
    "signup decline": Role.DIRECTOR,
    "signup close": Role.INITIATOR,
    "signup reopen": Role.INITIATOR,
    "signup add": Role.INITIATOR,
    "signup remove": Role.INITIATOR,
    "signup move": Role.INITIATOR,
    "signup export": Role.INITIATOR,
    "signup delete": Role.INITIATOR,
    # Polls: initiators in their own group's channel, moderators anywhere.
    "poll dates": Role.INITIATOR,
    "poll quick": Role.INITIATOR,
    "poll vote": Role.DIRECTOR,
    "poll close": Role.INITIATOR,
    # Events: initiators only for a group they run, moderators anywhere; that scope is
    # tested in test_events.
    "event create": Role.INITIATOR,
    "event edit": Role.INITIATOR,
    "event cancel": Role.INITIATOR,
    "event rsvp": Role.DIRECTOR,
    "event attendees": Role.INITIATOR,
    "event nudge": Role.INITIATOR,
    "event ics": Role.DIRECTOR,
    "event calendar": Role.DIRECTOR,
    "event list": Role.DIRECTOR,
    "event info": Role.DIRECTOR,
    "event series create": Role.INITIATOR,
    "event series stop": Role.INITIATOR,
    "program create": Role.MODERATOR,
    "program session add": Role.MODERATOR,
    "program join": Role.DIRECTOR,
    "program leave": Role.DIRECTOR,
    "program info": Role.DIRECTOR,
    "program list": Role.DIRECTOR,
    "program sessions": Role.DIRECTOR,
    "program attendance": Role.MODERATOR,
    "program record": Role.DIRECTOR,
    "program certificates": Role.MODERATOR,
    "program overview": Role.MODERATOR,
    "learning goals set": Role.DIRECTOR,
    "learning log": Role.DIRECTOR,
    "learning line": Role.DIRECTOR,
    "learning share": Role.DIRECTOR,
    "learning case": Role.DIRECTOR,
    # Panels: initiators plan them in their own group's channel, moderators anywhere; the
    # floor, start and end belong to the panel's own moderator (tested in test_panels).
    "panel create": Role.INITIATOR,
    "panel start": Role.DIRECTOR,
    "panel end": Role.DIRECTOR,
    "panel list": Role.DIRECTOR,
    "panel hand": Role.DIRECTOR,
    "panel lower": Role.DIRECTOR,
    "panel next": Role.DIRECTOR,
    "panel floor": Role.DIRECTOR,
    "panel round": Role.DIRECTOR,
    "panel ask": Role.DIRECTOR,
    "panel upvote": Role.DIRECTOR,
    "panel question next": Role.DIRECTOR,
    "panel question pick": Role.DIRECTOR,
    "panel paczek": Role.DIRECTOR,
    "privacy export": Role.DIRECTOR,
    "privacy forget": Role.DIRECTOR,
    "privacy transcripts": Role.DIRECTOR,
    "audit recent": Role.ADMIN,
}

ACTORS = {
    Role.DIRECTOR: "dora",
    Role.INITIATOR: "ina",
    Role.MODERATOR: "mod",
    Role.ADMIN: "admin",
}


async def test_the_table_covers_every_command(console: ConsoleSession) -> None:
    assert {c.path for c in console.app.registry.all()} == set(MINIMUM_ROLE)


@pytest.mark.parametrize("command", sorted(MINIMUM_ROLE))
async def test_allowed_and_refused(console: ConsoleSession, command: str) -> None:
    await console.say("/role grant user:@ina role:initiator")
    await console.say("/role grant user:@mod role:moderator")
    needed = MINIMUM_ROLE[command]
    refusal_start = "Do tego potrzebna jest rola"
    for role, name in ACTORS.items():
        events = await console.say(f"@{name} /{command}")
        assert events, f"/{command} by {role.key} got no answer"
        refused = events[0]["text"].startswith(refusal_start)
        assert refused == (role < needed), f"/{command} by {role.key}: refused={refused}"
