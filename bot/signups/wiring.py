"""The parts of the sign-ups feature, built together for bot/app.py (`App.signups`).

Each part has one job and callers take only the part they need: the sheets (finding,
creating and managing them, the posted sheet, opening and closing on time) and the seats
(joining, leaving, the waitlist's offers and their letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.ports import Messenger
from bot.scheduler import Scheduler
from bot.signups.seats import Seats
from bot.signups.sheets import Sheets
from bot.signups.store import SignupStore
from bot.visibility import Visibility


@dataclass(frozen=True)
class Signups:
    sheets: Sheets
    seats: Seats


def build_signups(
    store: SignupStore,
    clock: Clock,
    scheduler: Scheduler,
    messenger: Messenger,
    community: CommunityService,
    visibility: Visibility,
    outbox: Outbox,
    *,
    offer_for: timedelta,
) -> Signups:
    """Both parts over one store; the sheets register the "signup" jobs with the scheduler
    (the seats take the offers' expiry) and the seats the offer's letter with the outbox."""
    notify = Notifier(messenger, community)
    sheets = Sheets(store, clock, scheduler, community, visibility, notify)
    seats = Seats(store, clock, messenger, community, sheets, outbox, notify, offer_for=offer_for)
    return Signups(sheets=sheets, seats=seats)
