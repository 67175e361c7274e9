"""The parts of the panels feature, built together for bot/app.py (`App.panels`).

Each part has one job and callers take only the part they need: the desk (finding a
panel, and what the parts share), the lifecycle (planning, starting, ending, the
transcript), the floor (hands, rounds, timed turns) and the audience (questions, pączki,
chat).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.notify import Notifier
from bot.panels.audience import PanelAudience
from bot.panels.desk import OptedOut, PanelDesk
from bot.panels.floor import PanelFloor
from bot.panels.lifecycle import PanelLifecycle
from bot.panels.store import PanelStore
from bot.ports import Announcer, GuildAdmin, Messenger
from bot.scheduler import Scheduler
from bot.visibility import Visibility


@dataclass(frozen=True)
class Panels:
    desk: PanelDesk
    lifecycle: PanelLifecycle
    floor: PanelFloor
    audience: PanelAudience


def build_panels(
    store: PanelStore,
    clock: Clock,
    scheduler: Scheduler,
    messenger: Messenger,
    guilds: GuildAdmin,
    announcer: Announcer,
    community: CommunityService,
    visibility: Visibility,
    *,
    opted_out: OptedOut,
) -> Panels:
    """Every part over one store; the desk registers the "panel" jobs with the scheduler
    and the lifecycle and the floor take their kinds of them."""
    notify = Notifier(messenger, community)
    desk = PanelDesk(store, clock, scheduler, messenger, community, visibility, notify)
    floor = PanelFloor(store, desk, messenger, community)
    return Panels(
        desk=desk,
        lifecycle=PanelLifecycle(
            store,
            desk,
            floor,
            messenger,
            guilds,
            announcer,
            community,
            visibility,
            notify,
            opted_out=opted_out,
        ),
        floor=floor,
        audience=PanelAudience(store, desk, community, opted_out=opted_out),
    )
