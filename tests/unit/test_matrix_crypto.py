"""The Matrix key store's place and backup, and trust on first use (matrix.crypto)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig
from nio.crypto import OlmDevice

from matrix import crypto


def test_the_key_store_lives_beside_the_database_readable_by_the_bot_alone(
    tmp_path: Path,
) -> None:
    store = crypto.key_store(tmp_path / "bot.sqlite3")
    assert store == tmp_path / "bot.sqlite3.matrix-keys"
    assert store.is_dir() and store.stat().st_mode & 0o777 == 0o700


def test_a_backup_copies_the_key_store_beside_the_databases_copy(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    with sqlite3.connect(crypto.key_store(database) / "@podaj:example.org_DEV.db") as keys:
        keys.execute("CREATE TABLE accounts (pickle TEXT)")
        keys.execute("INSERT INTO accounts VALUES ('secret')")
    keys.close()

    copy = crypto.back_up_key_store(database, tmp_path / "backups" / "2026-02-10.sqlite3")

    assert copy == tmp_path / "backups" / "2026-02-10.sqlite3.matrix-keys"
    with sqlite3.connect(copy / "@podaj:example.org_DEV.db") as restored:
        assert restored.execute("SELECT pickle FROM accounts").fetchall() == [("secret",)]
    restored.close()


def test_a_database_that_never_ran_on_matrix_has_no_keys_to_back_up(tmp_path: Path) -> None:
    assert crypto.back_up_key_store(tmp_path / "bot.sqlite3", tmp_path / "copy.sqlite3") is None
    assert not (tmp_path / "copy.sqlite3.matrix-keys").exists()


@dataclass
class Device:
    user_id: str
    id: str
    verified: bool = False
    blacklisted: bool = False
    deleted: bool = False


@dataclass
class Client:
    device_store: list[Device]
    user_id: str = "@podaj:example.org"
    device_id: str = "BOT"
    trusted: list[str] = field(default_factory=list)

    def verify_device(self, device: Device) -> None:
        self.trusted.append(device.id)


def test_devices_are_trusted_on_first_use_but_never_a_blocked_or_deleted_one() -> None:
    client = Client(
        [
            Device("@anna:example.org", "PHONE"),
            Device("@anna:example.org", "LAPTOP", verified=True),
            Device("@anna:example.org", "STOLEN", blacklisted=True),
            Device("@anna:example.org", "OLD", deleted=True),
            Device("@podaj:example.org", "BOT"),
            Device("@podaj:example.org", "OTHER"),
        ]
    )
    crypto.trust_on_first_use(client)  # type: ignore[arg-type]
    assert client.trusted == ["PHONE", "OTHER"]


def keyed_client(store: Path) -> AsyncClient:
    """The bot's client with its key store loaded, offline (no homeserver needed)."""
    config = AsyncClientConfig(store=crypto.STORE, encryption_enabled=True)
    client = AsyncClient(
        "http://localhost", BOT, device_id="BOT", store_path=str(store), config=config
    )
    client.user_id = BOT
    client.load_store()
    return client


BOT = "@podaj:example.org"
ANNA = "@anna:example.org"


async def test_the_key_store_knows_a_persons_devices_until_they_ask_it_to_forget(
    tmp_path: Path,
) -> None:
    client = keyed_client(tmp_path)
    devices = {
        ANNA: {"PHONE": OlmDevice(ANNA, "PHONE", {"ed25519": "ed-p", "curve25519": "cu-p"})},
        "@jan:example.org": {
            "DESK": OlmDevice("@jan:example.org", "DESK", {"ed25519": "ed-d", "curve25519": "cu-d"})
        },
    }
    client.olm.store.save_device_keys(devices)
    for by_id in devices.values():
        for device in by_id.values():
            client.device_store.add(device)
    crypto.trust_on_first_use(client)
    keys = crypto.PeoplesKeys(client, "matrix")

    [exported] = await keys.export(f"matrix:{ANNA}")
    assert exported["device_id"] == "PHONE" and exported["ed25519"] == "ed-p"
    assert exported["trust"] == "trusted on first use"
    assert await keys.export(f"discord:{ANNA}") == []  # another platform's person

    assert await keys.forget(f"matrix:{ANNA}") == 1
    assert await keys.export(f"matrix:{ANNA}") == []
    # Gone from the file too: the next start does not know her; Jan is kept.
    await client.close()
    again = keyed_client(tmp_path)
    assert [d.id for d in again.device_store] == ["DESK"]
    await again.close()


async def test_a_room_is_encrypted_for_someone_whose_device_has_keys(tmp_path: Path) -> None:
    client = keyed_client(tmp_path)
    client.device_store.add(OlmDevice(ANNA, "PHONE", {"ed25519": "e", "curve25519": "c"}))
    assert await crypto.can_encrypt_for(client, ANNA)
    await client.close()
    # Without encryption (no key store loaded) no room is made encrypted.
    plain = AsyncClient("http://localhost", BOT)
    assert not await crypto.can_encrypt_for(plain, ANNA)
    await plain.close()


def test_a_room_just_made_shares_its_key_with_the_person_invited() -> None:
    client = AsyncClient("http://localhost", BOT)
    crypto.expect_invited(client, "!dm:example.org", ANNA)
    room = client.rooms["!dm:example.org"]
    assert room.encrypted and ANNA in room.invited_users
    assert "!dm:example.org" in client.encrypted_rooms
