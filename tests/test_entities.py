"""Entities and devices (snapshots), devices gone or added, and the controls."""

from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.select import SERVICE_SELECT_OPTION
from homeassistant.const import SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, Fault, SwitchBotSimulator, VirtualDevice
from tests.integration_fixtures import ROOM_ID, ROOM_TITLE
from tests.integration_support import (
    Home,
    async_setup_with,
    entity_id,
    entity_state,
    snapshot_devices,
    snapshot_entities,
)

STATUS_PATH = f"/v1.1/devices/{METER_ID}/status"


def _device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None, identifier
    return device


async def test_entities(
    hass: HomeAssistant, snapshot: SnapshotAssertion, setup_integration: MockConfigEntry
) -> None:
    """Each entity's unique id, translation key, category, classes, unit, options, device,
    friendly name and state, after the first tick (``tests/snapshots/test_entities.ambr``)."""
    snapshot_entities(hass, snapshot, setup_integration)


async def test_devices(
    hass: HomeAssistant, snapshot: SnapshotAssertion, setup_integration: MockConfigEntry
) -> None:
    """The service device, the hub, and the meter and the AC connected through the hub."""
    snapshot_devices(hass, snapshot, setup_integration)


async def test_stale_devices_are_removed(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    stale = registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, "OLD-METER")},
        name="Old meter",
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get(stale.id) is None
    assert registry.async_get_device(identifiers={(DOMAIN, METER_ID)}) is not None


async def test_missing_device_is_reported_until_it_is_back(
    hass: HomeAssistant, simulator: SwitchBotSimulator, mock_config_entry: MockConfigEntry
) -> None:
    meter = simulator.account.devices.pop(METER_ID)
    simulator.account.devices.pop(HUB_ID)  # the AC's hub is not listed either
    await async_setup_with(hass, mock_config_entry)
    entry = mock_config_entry
    issue_id = f"{ROOM_ID}_device_missing_meter_device_id"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "device_missing"
    assert issue.translation_placeholders == {
        "entry_title": ROOM_TITLE,
        "device_id": METER_ID,
        "role": "meter_device_id",
    }
    assert _device(hass, HUB_ID).name == HUB_ID
    assert _device(hass, AC_REMOTE_ID).via_device_id == _device(hass, HUB_ID).id

    simulator.account.add_device(meter)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_device_without_a_hub(
    hass: HomeAssistant, simulator: SwitchBotSimulator, mock_config_entry: MockConfigEntry
) -> None:
    simulator.account.add_device(
        VirtualDevice("WIFI-METER", "Wi-Fi meter", "MeterPro", measures_room=True)
    )
    await async_setup_with(hass, mock_config_entry, meter_device_id="WIFI-METER")
    meter = _device(hass, "WIFI-METER")
    assert (meter.model, meter.name, meter.via_device_id) == ("MeterPro", "Wi-Fi meter", None)


async def test_entities_without_a_meter_are_on_the_service_device(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    await async_setup_with(hass, mock_config_entry, meter_device_id="")
    entry = mock_config_entry
    entity = er.async_get(hass).async_get(entity_id(hass, entry, "sensor", "temperature"))
    assert entity is not None
    assert entity.device_id == _device(hass, ROOM_ID).id
    # Without a thermometer the regulation is blind: a unit of unknown state is turned off.
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "stale_reading_off"
    assert entity_state(hass, entry, "sensor", "temperature").state == "unavailable"


async def test_automation_switch(home: Home) -> None:
    await home.set_up()
    assert home.state("switch", "automation") == STATE_ON

    await home.use("switch", "automation", SERVICE_TURN_OFF)
    assert home.room_data["automation_enabled"] is False
    assert home.state("switch", "automation") == STATE_OFF
    assert home.sensor("last_outcome") == "disabled"
    assert home.sensor("polling_mode") == "automation_disabled"
    assert len(home.requests_at(STATUS_PATH)) == 2  # the option change ran a tick

    await home.use("switch", "automation", SERVICE_TURN_ON)
    assert home.room_data["automation_enabled"] is True
    assert home.state("switch", "automation") == STATE_ON
    assert home.sensor("last_outcome") == "no_action"


async def test_season_select(home: Home) -> None:
    await home.set_up()
    await home.use("select", "season", SERVICE_SELECT_OPTION, option="summer")
    assert home.room_data["mode"] == "summer"
    assert home.state("select", "season") == "summer"
    # 20 °C is below the summer range: the AC (state unknown) is turned off.
    assert home.sensor("last_outcome") == "summer_off"


async def test_run_tick_button(home: Home) -> None:
    await home.set_up()
    await home.advance(5)
    await home.use("button", "run_tick", SERVICE_PRESS)
    reads = home.requests_at(STATUS_PATH)
    assert len(reads) == 2
    assert home.sensor("last_tick") == reads[1].isoformat()

    home.simulator.inject(Fault.status_code(190, "internal error"), path=STATUS_PATH)
    with pytest.raises(HomeAssistantError) as raised:
        await home.use("button", "run_tick", SERVICE_PRESS)
    assert raised.value.translation_key == "api_error"
    assert home.sensor("last_outcome") == "api_error"


async def test_controls_stay_available_when_a_tick_failed(home: Home) -> None:
    await home.set_up()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "custom_components.switchbot_automation.coordinator.run_tick",
            _raise_runtime_error,
        )
        await home.advance(15)
    assert home.sensor("polling_mode") == "unavailable"
    for platform, key in (("switch", "automation"), ("select", "season"), ("button", "run_tick")):
        assert home.state(platform, key) != "unavailable"


async def _raise_runtime_error(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("engine bug")
