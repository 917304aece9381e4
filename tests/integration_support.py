"""Helpers of the integration tests: the clock, entity look-ups by unique id, snapshots.

The simulator follows Home Assistant's clock, frozen at ``START``: ``tests/conftest.py``
overrides the ``simulator_clock`` fixture with ``follow_hass_clock``.
"""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry, ConfigSubentryData
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.switchbot_automation.const import DOMAIN, SUBENTRY_ROOM
from custom_components.switchbot_automation.engine import account_options, room_options
from custom_components.switchbot_automation.store import storage_key
from switchbot_sim import AC_REMOTE_ID, RoomDevices, SwitchBotSimulator

START = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)
"""Thursday 07:30 in Paris: inside the morning window of the ``entry_options`` fixture."""


def follow_hass_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
    """Freeze Home Assistant's clock at ``START`` and return it for the simulator to follow."""
    freezer.move_to(START)
    return dt_util.utcnow


async def async_advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the frozen clock ``seconds`` ahead and run what fell due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def async_advance_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, instant: datetime
) -> None:
    """Move the frozen clock to ``instant`` and run what fell due."""
    freezer.move_to(instant)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def flow_sources(hass: HomeAssistant) -> list[str]:
    """Return the sources of the integration's flows in progress (``SOURCE_REAUTH``, ...)."""
    return [
        flow["context"]["source"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]


def room_id(entry: MockConfigEntry) -> str:
    """Return the id of the entry's first room (its config subentry)."""
    return next(iter(entry.subentries))


def entity_id(hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str) -> str:
    """Return the entity id of the first room's entity ``key``, or else the account's."""
    registry = er.async_get(hass)
    found = registry.async_get_entity_id(
        platform, DOMAIN, f"{room_id(entry)}_{key}"
    ) or registry.async_get_entity_id(platform, DOMAIN, f"{entry.entry_id}_{key}")
    assert found is not None, f"no {platform} entity {key}"
    return found


def room_data(entry: MockConfigEntry) -> Mapping[str, Any]:
    """Return the options of the entry's first room, as stored."""
    return entry.subentries[room_id(entry)].data


def copy_entry(
    entry: MockConfigEntry,
    *,
    entry_id: str | None = None,
    data: Mapping[str, Any] | None = None,
    **changes: Any,
) -> MockConfigEntry:
    """Return a copy of ``entry`` (not added yet) as stored, with its rooms, and ``changes``.

    ``changes`` go to the account's options or the first room's, as the flows store them;
    unlike updating the entry, a value equal to the one it replaces (``1`` for ``True``) is
    kept, so a test can store exactly what it means to.
    """
    first = room_id(entry)
    return MockConfigEntry(
        domain=DOMAIN,
        version=entry.version,
        entry_id=entry_id,
        title=entry.title,
        data=dict(entry.data if data is None else data),
        options={**entry.options, **account_options(changes)},
        unique_id=entry.unique_id,
        subentries_data=[
            ConfigSubentryData(
                data={**room.data, **(room_options(changes) if room_id_ == first else {})},
                subentry_id=room_id_,
                subentry_type=room.subentry_type,
                title=room.title,
                unique_id=room.unique_id,
            )
            for room_id_, room in entry.subentries.items()
        ],
    )


def room_with_devices(
    options: Mapping[str, Any],
    devices: RoomDevices,
    *,
    title: str = "Bedroom",
    subentry_id: str | None = None,
) -> ConfigSubentry:
    """Return a room (not added yet) with ``options`` and a simulator room's meter and unit.

    Without ``subentry_id`` the room gets a new one, as a room added in the UI.
    """
    return ConfigSubentry(
        data=MappingProxyType(
            {
                **room_options(options),
                "meter_device_id": devices.meter_id,
                "aircon_device_id": devices.ac_remote_id,
            }
        ),
        subentry_type=SUBENTRY_ROOM,
        title=title,
        unique_id=devices.ac_remote_id,
        **({} if subentry_id is None else {"subentry_id": subentry_id}),
    )


@callback
def update_options(hass: HomeAssistant, entry: MockConfigEntry, changes: Mapping[str, Any]) -> None:
    """Change options as the flows store them: the account's in the entry, the rest in the room."""
    room = entry.subentries[room_id(entry)]
    if room_changes := room_options(changes):
        hass.config_entries.async_update_subentry(entry, room, data={**room.data, **room_changes})
    if account_changes := account_options(changes):
        hass.config_entries.async_update_entry(entry, options={**entry.options, **account_changes})


def entity_state(hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str) -> State:
    """Return the state of the entity with unique id ``{entry_id}_{key}``."""
    state = hass.states.get(entity_id(hass, entry, platform, key))
    assert state is not None, f"{platform} {key} has no state"
    return state


async def async_setup_with(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    *,
    system_options: Mapping[str, bool] | None = None,
    **changes: Any,
) -> None:
    """Add ``entry`` with ``changes`` to its options, and set it up (first tick included).

    ``system_options`` are the entry's own (``pref_disable_polling``, ...).
    """
    entry.add_to_hass(hass)
    update_options(hass, entry, changes)
    if system_options:
        hass.config_entries.async_update_entry(entry, **system_options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def set_room(simulator: SwitchBotSimulator, temperature: float) -> None:
    """Hold the room at ``temperature``, whatever the AC does."""
    room = simulator.room
    room.ac_rate = 0.0
    room.outdoor = room.temperature = temperature


def requests_at(simulator: SwitchBotSimulator, path: str, method: str = "GET") -> list[datetime]:
    """Return the instants of the requests the simulator received for ``method path``."""
    return [
        request.at
        for request in simulator.requests
        if request.path == path and request.method == method
    ]


def commands(simulator: SwitchBotSimulator) -> list[tuple[datetime, str, str]]:
    """Return the commands the AC accepted: (instant, command, parameter)."""
    return [
        (command.at, command.command, command.parameter)
        for command in simulator.commands_sent(AC_REMOTE_ID)
    ]


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """Return the automation state the entry saved."""
    data: dict[str, Any] = hass_storage[storage_key(room_id(entry))]["data"]
    return data


def sensor(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    """Return the state of the entry's sensor ``key``."""
    return entity_state(hass, entry, "sensor", key).state


async def async_spin_until(condition: Callable[[], bool]) -> None:
    """Let the event loop run, sockets included and the clock standing, until ``condition``."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never met")


@dataclass
class Home:
    """What a test drives (the ``home`` fixture): Home Assistant on its frozen clock, the
    simulated cloud and room, the config entry (``mock_config_entry``) and the storage."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    simulator: SwitchBotSimulator
    entry: MockConfigEntry
    storage: dict[str, Any]
    options: Mapping[str, Any] = field(default_factory=dict)
    """Options ``set_up`` gives the entry before its own (an area's conftest sets them)."""

    async def set_up(
        self,
        temperature: float | None = None,
        *,
        system_options: Mapping[str, bool] | None = None,
        **options: Any,
    ) -> None:
        """Hold the room at ``temperature`` if given, then set the entry up with
        ``self.options`` and ``options`` (``async_setup_with``): its first tick runs."""
        if temperature is not None:
            set_room(self.simulator, temperature)
        await async_setup_with(
            self.hass, self.entry, system_options=system_options, **{**self.options, **options}
        )

    async def use(self, platform: str, key: str, service: str, **data: Any) -> None:
        """Call ``service`` of ``platform`` on the entry's entity ``key``, as a user does with
        its control, and wait for what follows."""
        target = {ATTR_ENTITY_ID: entity_id(self.hass, self.entry, platform, key)}
        await self.hass.services.async_call(platform, service, target | data, blocking=True)
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def change_options(self, **changes: Any) -> None:
        """Change the entry's options, as the flows do, and wait for what follows."""
        update_options(self.hass, self.entry, changes)
        await self.hass.async_block_till_done(wait_background_tasks=True)

    def set_room(self, temperature: float) -> None:
        """Hold the room at ``temperature``, whatever the AC does."""
        set_room(self.simulator, temperature)

    async def advance(self, seconds: float) -> None:
        """Move the frozen clock ``seconds`` ahead and run what fell due."""
        await async_advance(self.hass, self.freezer, seconds)

    async def advance_to(self, instant: datetime) -> None:
        """Move the frozen clock to ``instant`` and run what fell due."""
        await async_advance_to(self.hass, self.freezer, instant)

    def sensor(self, key: str) -> str:
        """Return the state of the entry's sensor ``key``."""
        return sensor(self.hass, self.entry, key)

    def state(self, platform: str, key: str) -> str:
        """Return the state of the entry's entity ``key`` of ``platform``."""
        return entity_state(self.hass, self.entry, platform, key).state

    @property
    def room_data(self) -> Mapping[str, Any]:
        """The options of the entry's first room, as stored."""
        return room_data(self.entry)

    def stored(self) -> dict[str, Any]:
        """Return the automation state the entry saved."""
        return stored(self.storage, self.entry)

    def commands(self) -> list[tuple[datetime, str, str]]:
        """Return the commands the AC accepted: (instant, command, parameter)."""
        return commands(self.simulator)

    def requests_at(self, path: str, method: str = "GET") -> list[datetime]:
        """Return the instants of the requests the simulator received for ``method path``."""
        return requests_at(self.simulator, path, method)

    async def call(self, service: str) -> None:
        """Call the integration's action ``service`` for the entry, and wait for it."""
        await self.hass.services.async_call(
            DOMAIN, service, {"config_entry_id": self.entry.entry_id}, blocking=True
        )


ENTITY_FIELDS: Final = (
    "entity_id",
    "unique_id",
    "platform",
    "translation_key",
    "has_entity_name",
    "original_name",
    "entity_category",
    "original_device_class",
    "device_class",
    "unit_of_measurement",
    "capabilities",
    "supported_features",
    "original_icon",
    "icon",
    "disabled_by",
    "hidden_by",
)
"""What ``snapshot_entities`` compares of an entity registry entry."""
DEVICE_FIELDS: Final = (
    "name",
    "manufacturer",
    "model",
    "model_id",
    "entry_type",
    "sw_version",
    "hw_version",
    "serial_number",
    "configuration_url",
    "disabled_by",
)
"""What ``snapshot_devices`` compares of a device registry entry, besides the identifiers."""


def _identifiers(hass: HomeAssistant, device_id: str | None) -> list[tuple[str, str]] | None:
    """Return the identifiers of a device: they name it in a snapshot, its random id cannot."""
    if device_id is None:
        return None
    device = dr.async_get(hass).async_get(device_id)
    assert device is not None
    return sorted(device.identifiers)


def snapshot_entities(
    hass: HomeAssistant, snapshot: SnapshotAssertion, entry: MockConfigEntry
) -> None:
    """Check every entity of ``entry`` against the snapshot: its registry entry and its state.

    Home Assistant's ``snapshot_platform`` compares whole registry entries, whose fields
    change from a release to the next (2026.2 has ``object_id_base`` and
    ``suggested_object_id``, 2025.4 does not): one snapshot could not pass on both tested
    versions. Compared here are ``ENTITY_FIELDS``, which both fill alike, the device the
    entity is on (by its identifiers), and the state with all its attributes (Home
    Assistant's serializer leaves out its context and the instants of change). The list of
    entity ids is a snapshot too: an entity added or gone fails the test.

    The snapshots are ``tests/snapshots/<test module>.ambr``. After an intended change,
    rewrite them, review the diff, and check they still pass on the minimum version::

        .venv/bin/pytest --snapshot-update tests/test_entities.py tests/test_diagnostics.py
        .venv-min/bin/pytest tests/test_entities.py tests/test_diagnostics.py

    Name whole test modules (those whose snapshots changed), not a ``-k`` selection: the
    update also deletes the snapshots that no test of the run used.
    """
    registry = er.async_get(hass)
    entities = sorted(
        er.async_entries_for_config_entry(registry, entry.entry_id),
        key=lambda entity: entity.entity_id,
    )
    assert [entity.entity_id for entity in entities] == snapshot(name="entity_ids")
    for entity in entities:
        fields = {name: getattr(entity, name) for name in ENTITY_FIELDS}
        fields["device"] = _identifiers(hass, entity.device_id)
        assert fields == snapshot(name=f"{entity.entity_id}-entry")
        assert hass.states.get(entity.entity_id) == snapshot(name=f"{entity.entity_id}-state")


def snapshot_devices(
    hass: HomeAssistant, snapshot: SnapshotAssertion, entry: MockConfigEntry
) -> None:
    """Check the devices of ``entry`` against the snapshot, as ``snapshot_entities`` does.

    Each device is ``DEVICE_FIELDS``, its identifiers, and those of the device it is
    connected through (``via_device``).
    """
    devices = [
        {
            "identifiers": _identifiers(hass, device.id),
            **{name: getattr(device, name) for name in DEVICE_FIELDS},
            "via_device": _identifiers(hass, device.via_device_id),
        }
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    ]
    devices.sort(key=lambda device: device["identifiers"])
    assert devices == snapshot(name="devices")
