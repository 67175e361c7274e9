"""Which columns of each table name a person, and what that makes of the row: the one
description `/privacy export` and `/privacy forget` both follow (docs/privacy.md).

A *subject* column says whose the row is: forgetting that person deletes it. Any other
person column records them in someone else's row, or beside the subject (who decided, who
granted, who gave a pączek): forgetting them keeps the row with an anonymous token. An
export holds every row that names the person; wherever such a row names someone else, that
other person becomes a neutral word (`Word`) and what is theirs (`owns`: their name, their
text) is left out, so a moderator's export of a proposal they decided keeps what they
decided and when, not who proposed what.

Every table has an entry, also those that name nobody: tests/unit/test_privacy_export.py
fails for a new table, or a new column that looks like a person's, until it has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Word(StrEnum):
    """How someone else is named in a person's export (`privacy.other.<word>`)."""

    MEMBER = "member"  # another member of the community
    # A moderator or an admin, where only they can have done it (decided a proposal,
    # marked attendance); the audit log and role grants also hold initiators' actions,
    # so there the actor is a MEMBER.
    STAFF = "staff"


@dataclass(frozen=True)
class Person:
    """A column that holds a person's id."""

    column: str
    # The row is theirs: forget deletes it. Otherwise forget anonymizes only them.
    subject: bool = False
    # The column that copies their display name (replaced along with the id).
    name: str | None = None
    # Columns that are theirs (what they wrote, when): left out of anyone else's export.
    owns: tuple[str, ...] = ()
    word: Word = Word.MEMBER


@dataclass(frozen=True)
class Table:
    people: tuple[Person, ...] = ()
    # Columns of free text that name people as `<@id>` (the audit log's details).
    mentions: tuple[str, ...] = ()


def _subject(column: str, name: str | None = None, owns: tuple[str, ...] = ()) -> Person:
    return Person(column, subject=True, name=name, owns=owns)


def _named(column: str, name: str | None = None, word: Word = Word.MEMBER) -> Person:
    return Person(column, name=name, word=word)


_USER = Table((_subject("user_id"),))
_NAMED_USER = Table((_subject("user_id", "name"),))
_CREATED = Table((_named("created_by"),))
_NOBODY = Table()

TABLES: dict[str, Table] = {
    "audit_log": Table(
        (_named("actor_id", "actor_name"),),
        mentions=("details",),
    ),
    "digest_readers": _USER,
    "digests": _NOBODY,
    "event_drafts": _USER,
    "event_reminders": _NOBODY,
    "event_rsvps": _NAMED_USER,
    "event_series": _CREATED,
    "events": _CREATED,
    "group_declines": _USER,
    "group_members": _USER,
    "group_proposals": Table(
        (
            # The proposer: what they proposed is theirs, not the decider's to export.
            _subject(
                "user_id",
                owns=(
                    "name",
                    "name_key",
                    "place_id",
                    "city",
                    "description",
                    "join_mode",
                    "created_at",
                ),
            ),
            _named("decider_id", "decider_name", Word.STAFF),
        )
    ),
    "groups": _CREATED,
    "guild_config": _NOBODY,
    "learning_attendance": Table(
        (_subject("user_id", "name"), _named("marked_by", word=Word.STAFF))
    ),
    "learning_certificates": _USER,
    # The learner shares their log with a coach.
    "learning_coaches": Table((_subject("user_id"), _named("coach_id"))),
    "learning_goals": _USER,
    "learning_log": _USER,
    "learning_programs": _CREATED,
    "learning_sessions": _NOBODY,
    "matrix_dm_rooms": _USER,
    "matrix_handled": _NOBODY,
    "matrix_reacted": _USER,
    "matrix_reactions": _NOBODY,
    "matrix_state": _NOBODY,
    "meeting_plans": _CREATED,  # its hosts are libraries, not people
    "meetings": _NOBODY,
    # A letter to one person (user_id), perhaps about another (a join request): its
    # text is between the two, so neither's export shows it when the other is named.
    "outbox": Table(
        (
            _subject("user_id", owns=("payload",)),
            Person("about_id", owns=("payload",)),
        )
    ),
    "panel_greetings": _NOBODY,
    "panel_log": Table((_subject("user_id", "name", owns=("text",)),)),
    "panel_paczki": Table((_subject("giver_id"), _named("receiver_id", "receiver_name"))),
    "panel_panelists": _NAMED_USER,
    "panel_questions": Table((_subject("author_id", "author_name", owns=("text",)),)),
    "panel_queue": _NAMED_USER,
    "panel_turns": _NAMED_USER,
    "panel_votes": Table((_subject("voter_id"),)),
    "panels": Table(
        (_named("created_by"), _named("moderator_id", "moderator_name")),
    ),
    "poll_options": _NOBODY,
    "poll_votes": _USER,
    "polls": _CREATED,
    "profiles": _USER,
    "reminders": Table((_subject("owner_id"),)),
    "role_grants": Table((_subject("user_id"), _named("granted_by"))),
    "role_mappings": _NOBODY,
    "signup_entries": _NAMED_USER,
    "signup_sheets": _CREATED,
    "signup_slots": _NOBODY,
    "user_prefs": _USER,
    "users": Table((_subject("user_id", "display_name"),)),
    "welcome_greeted": _USER,
    "welcome_posts": _NOBODY,
}


def is_person(value: object) -> bool:
    """An id names a person as `<platform>:<id>` (a forgotten one as `former-member:<x>`);
    a marker such as the importer's `import` in `granted_by` names nobody."""
    return isinstance(value, str) and ":" in value
