"""A seat offer survives kill -9 on Discord, and is not shown twice (docs/operations.md).

The real PodajBot runs as a subprocess against the Discord double; the double holds back
the requests that carry the offer's DM, and the bot is killed while one is held: the seat
was offered in a committed transaction, the DM had not been sent (or had, but the bot died
before marking it). The next start sends what its outbox still holds; Discord's nonce
(enforce_nonce) keeps a DM sent twice from showing twice.
"""

from __future__ import annotations

from .discord_double import state as st
from .discord_double.harness import Harness

ACCEPT = "signup:accept:1:1"
HELD = 5.0  # seconds the double holds a request back: the bot is killed meanwhile


async def waiting_for_a_seat(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    await dc.slash("ewa", "signup create", title="Superwizja", capacity=1, slots="10 marca o 10")
    await dc.slash("anna", "signup join", sheet="1", slot=1)
    await dc.slash("jan", "signup join", sheet="1", slot=1)
    await dc.settle()


def offers(dc: Harness, who: str) -> list[st.Message]:
    return [m for m in dc.dms(who) if ACCEPT in [b["custom_id"] for b in m.buttons]]


async def kill_while_held(dc: Harness, pattern: str) -> None:
    """Anna leaves; while the request `pattern` of the offer's DM is held back, kill -9."""
    held = dc.double.slow_down(pattern, HELD)
    await dc.slash("anna", "signup leave", sheet="1", slot=1, wait=False)
    await dc.wait_until(lambda: held.waiting > 0, what="the offer's DM to be on its way")
    dc.double.slow_routes.remove(held)  # the next bot is not held back
    await dc.kill_and_restart()
    await dc.settle()


async def test_an_offer_whose_dm_the_crash_cut_off_is_sent_at_the_next_start(
    dc_proc: Harness,
) -> None:
    dc = dc_proc
    await waiting_for_a_seat(dc)
    # Held while the DM channel is made: the message itself was never sent.
    await kill_while_held(dc, "POST /users/@me/channels")
    await dc.wait_until(lambda: len(offers(dc, "jan")) == 1, what="the offer after the restart")
    [offer] = offers(dc, "jan")
    assert offer.content.startswith("Zwolniło się miejsce na arkuszu **Superwizja**")
    accepted = await dc.press("jan", offer, ACCEPT)
    assert accepted.text.startswith("Potwierdzone")
    assert dc.double.state.nonce_replays == []  # sent once: nothing to dedupe


async def test_an_offer_sent_just_before_the_crash_is_not_shown_twice(dc_proc: Harness) -> None:
    dc = dc_proc
    await waiting_for_a_seat(dc)
    # Held while the message is posted: it reaches Discord after the bot died, before the
    # bot could mark it sent, so the next start sends it again, with the same nonce.
    await kill_while_held(dc, "POST /channels/*/messages")
    await dc.wait_until(
        lambda: len(dc.double.state.nonce_replays) == 1, within=HELD + 5, what="the resend"
    )
    await dc.settle()
    [offer] = offers(dc, "jan")  # Discord answered the resend with the first message
    accepted = await dc.press("jan", offer, ACCEPT)
    assert accepted.text.startswith("Potwierdzone")
