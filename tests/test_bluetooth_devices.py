"""Devices whose cloud id is their Bluetooth address merge with Home Assistant's own SwitchBot
devices; infrared remotes, which have no address, do not."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import CONNECTION_BLUETOOTH, CONNECTION_NETWORK_MAC
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.devices import bluetooth_connections
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, SwitchBotSimulator
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import async_setup_with

METER_MAC = "C2:71:0A:B1:C0:DE"
HUB_MAC = "E3:B7:D5:A2:C1:F0"


def _device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None, identifier
    return device


def test_only_an_address_is_a_connection() -> None:
    assert METER_ID == "C2710AB1C0DE"
    assert bluetooth_connections(METER_ID) == {(CONNECTION_BLUETOOTH, METER_MAC)}
    assert bluetooth_connections("c0ffee123456") == {(CONNECTION_BLUETOOTH, "C0:FF:EE:12:34:56")}
    for device_id in (AC_REMOTE_ID, "02-202401150600-1", "C2710AB1C0D", "C2710AB1C0DEF", ""):
        assert bluetooth_connections(device_id) == set(), device_id


async def test_meter_and_hub_have_their_bluetooth_address(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    await async_setup_with(hass, mock_config_entry)
    assert _device(hass, METER_ID).connections == {(CONNECTION_BLUETOOTH, METER_MAC)}
    assert _device(hass, HUB_ID).connections == {(CONNECTION_BLUETOOTH, HUB_MAC)}
    assert _device(hass, AC_REMOTE_ID).connections == set()
    assert _device(hass, ROOM_ID).connections == set()
    assert _device(hass, f"{mock_config_entry.entry_id}_account").connections == set()


async def test_a_hub_missing_from_the_list_keeps_its_address(
    hass: HomeAssistant, simulator: SwitchBotSimulator, mock_config_entry: MockConfigEntry
) -> None:
    simulator.account.devices.pop(HUB_ID)
    await async_setup_with(hass, mock_config_entry)
    assert _device(hass, HUB_ID).connections == {(CONNECTION_BLUETOOTH, HUB_MAC)}


@pytest.mark.parametrize(
    "connections",
    [
        # As core's SwitchBot registers it on Linux: BlueZ's address, also as a network MAC.
        {(CONNECTION_BLUETOOTH, METER_MAC), (CONNECTION_NETWORK_MAC, METER_MAC)},
        {(CONNECTION_BLUETOOTH, METER_MAC)},
    ],
    ids=["core-switchbot", "bluetooth-only"],
)
async def test_the_meter_merges_with_core_switchbot_s_device(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, connections: set[tuple[str, str]]
) -> None:
    """Core's SwitchBot (Bluetooth) integration knows the meter by its address: one device."""
    core = MockConfigEntry(domain="switchbot", unique_id=METER_MAC.lower())
    core.add_to_hass(hass)
    registry = dr.async_get(hass)
    bluetooth_meter = registry.async_get_or_create(
        config_entry_id=core.entry_id,
        connections=connections,
        manufacturer="switchbot",
        model="Meter",
        name="Meter C0DE",
    )

    await async_setup_with(hass, mock_config_entry)
    meter = _device(hass, METER_ID)
    assert meter.id == bluetooth_meter.id
    assert meter.config_entries == {core.entry_id, mock_config_entry.entry_id}
    assert meter.identifiers == {(DOMAIN, METER_ID)}
    # The account, the room's automation, the meter, its hub and the AC.
    assert len(dr.async_entries_for_config_entry(registry, mock_config_entry.entry_id)) == 5

    # Removing this integration's entry leaves the device to core's.
    assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    remaining = registry.async_get(bluetooth_meter.id)
    assert remaining is not None
    assert remaining.config_entries == {core.entry_id}
