"""Entities and devices (snapshots), devices gone or added, and the controls."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import (
    AC_REMOTE_ID,
    HUB_ID,
    METER_ID,
    Fault,
    SwitchBotSimulator,
    VirtualDevice,
)
from tests.integration_support import (
    async_advance,
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
    issue_id = f"{entry.entry_id}_device_missing_meter_device_id"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "device_missing"
    assert issue.translation_placeholders == {
        "entry_title": entry.title,
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
    assert entity.device_id == _device(hass, entry.entry_id).id
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "missing_meter"


async def test_automation_switch(
    hass: HomeAssistant, simulator: SwitchBotSimulator, setup_integration: MockConfigEntry
) -> None:
    entry = setup_integration
    switch = entity_id(hass, entry, "switch", "automation")
    assert entity_state(hass, entry, "switch", "automation").state == STATE_ON

    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: switch}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.options["automation_enabled"] is False
    assert entity_state(hass, entry, "switch", "automation").state == STATE_OFF
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "disabled"
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "automation_disabled"
    reads = [request for request in simulator.requests if request.path == STATUS_PATH]
    assert len(reads) == 2  # the option change ran a tick

    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: switch}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.options["automation_enabled"] is True
    assert entity_state(hass, entry, "switch", "automation").state == STATE_ON
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "no_action"


async def test_season_select(hass: HomeAssistant, setup_integration: MockConfigEntry) -> None:
    entry = setup_integration
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id(hass, entry, "select", "season"), ATTR_OPTION: "summer"},
        blocking=True,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.options["mode"] == "summer"
    assert entity_state(hass, entry, "select", "season").state == "summer"
    # 20 °C is below the summer range: the AC (state unknown) is turned off.
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "summer_off"


async def test_run_tick_button(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    entry = setup_integration
    button = entity_id(hass, entry, "button", "run_tick")
    await async_advance(hass, freezer, 5)
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: button}, blocking=True
    )
    reads = [request.at for request in simulator.requests if request.path == STATUS_PATH]
    assert len(reads) == 2
    assert entity_state(hass, entry, "sensor", "last_tick").state == reads[1].isoformat()

    simulator.inject(Fault.status_code(190, "internal error"), path=STATUS_PATH)
    with pytest.raises(HomeAssistantError) as raised:
        await hass.services.async_call(
            BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: button}, blocking=True
        )
    assert raised.value.translation_key == "api_error"
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "api_error"


async def test_controls_stay_available_when_a_tick_failed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_integration: MockConfigEntry
) -> None:
    entry = setup_integration
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "custom_components.switchbot_automation.coordinator.run_tick",
            _raise_runtime_error,
        )
        await async_advance(hass, freezer, 15)
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "unavailable"
    for platform, key in (("switch", "automation"), ("select", "season"), ("button", "run_tick")):
        assert entity_state(hass, entry, platform, key).state != "unavailable"


async def _raise_runtime_error(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("engine bug")
