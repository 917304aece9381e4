"""Entities and devices: names, categories, device links, and the controls."""

import json
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.sensor import ATTR_OPTIONS, ATTR_STATE_CLASS
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    ATTR_UNIT_OF_MEASUREMENT,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    EntityCategory,
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

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine.outcomes import OUTCOMES
from custom_components.switchbot_automation.engine.polling import POLLING_MODES
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
)

STATUS_PATH = f"/v1.1/devices/{METER_ID}/status"
INTEGRATION = Path(__file__).parents[1] / "custom_components" / DOMAIN

# (platform, key, name, entity category, device the entity is on)
ENTITIES = [
    ("sensor", "polling_mode", "Polling mode", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "last_tick", "Last tick", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "next_tick", "Next tick", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "poll_interval", "Poll interval", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "last_outcome", "Last outcome", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "api_calls_today", "API calls today", EntityCategory.DIAGNOSTIC, "service"),
    ("sensor", "temperature", "Temperature", None, METER_ID),
    ("sensor", "humidity", "Humidity", None, METER_ID),
    ("binary_sensor", "in_window", "In time window", None, "service"),
    ("binary_sensor", "off_repeat_pending", "OFF repeat pending", None, "service"),
    ("binary_sensor", "aircon_power", "Power (assumed)", None, AC_REMOTE_ID),
    ("switch", "automation", "Automation", EntityCategory.CONFIG, "service"),
    ("select", "season", "Season", EntityCategory.CONFIG, "service"),
    ("button", "run_tick", "Run a tick now", None, "service"),
]


def _device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None, identifier
    return device


async def test_entities(hass: HomeAssistant, setup_integration: MockConfigEntry) -> None:
    entry = setup_integration
    registry = er.async_get(hass)
    assert len(er.async_entries_for_config_entry(registry, entry.entry_id)) == len(ENTITIES)
    for platform, key, name, category, device in ENTITIES:
        entity = registry.async_get(entity_id(hass, entry, platform, key))
        assert entity is not None
        assert entity.unique_id == f"{entry.entry_id}_{key}"
        assert entity.translation_key == key
        assert entity.entity_category == category, key
        expected_device = _device(hass, entry.entry_id if device == "service" else device)
        assert entity.device_id == expected_device.id, key
        state = entity_state(hass, entry, platform, key)
        assert state.attributes[ATTR_FRIENDLY_NAME] == f"{expected_device.name} {name}"

    polling_mode = entity_state(hass, entry, "sensor", "polling_mode")
    assert polling_mode.attributes[ATTR_OPTIONS] == list(POLLING_MODES)
    last_outcome = entity_state(hass, entry, "sensor", "last_outcome")
    assert last_outcome.attributes[ATTR_OPTIONS] == list(OUTCOMES)
    calls = entity_state(hass, entry, "sensor", "api_calls_today")
    assert calls.attributes[ATTR_STATE_CLASS] == "total_increasing"
    interval = entity_state(hass, entry, "sensor", "poll_interval")
    assert interval.attributes[ATTR_DEVICE_CLASS] == "duration"
    assert interval.attributes[ATTR_UNIT_OF_MEASUREMENT] == "s"
    temperature = entity_state(hass, entry, "sensor", "temperature")
    assert temperature.attributes[ATTR_UNIT_OF_MEASUREMENT] == "°C"
    season = entity_state(hass, entry, "select", "season")
    assert season.attributes[ATTR_OPTIONS] == ["winter", "summer"]


async def test_devices(hass: HomeAssistant, setup_integration: MockConfigEntry) -> None:
    entry = setup_integration
    service = _device(hass, entry.entry_id)
    assert service.entry_type is dr.DeviceEntryType.SERVICE
    assert service.name == "SwitchBot Automation"
    hub = _device(hass, HUB_ID)
    assert (hub.manufacturer, hub.model, hub.name) == ("SwitchBot", "Hub Mini", "Hub Mini")
    meter = _device(hass, METER_ID)
    assert (meter.manufacturer, meter.model, meter.name) == (
        "SwitchBot",
        "Meter",
        "Living Room Meter",
    )
    assert meter.via_device_id == hub.id
    aircon = _device(hass, AC_REMOTE_ID)
    assert (aircon.model, aircon.name, aircon.via_device_id) == (
        "Air Conditioner",
        "Living Room AC",
        hub.id,
    )
    assert len(dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)) == 4


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


def _translations(language: str) -> dict[str, Any]:
    return json.loads((INTEGRATION / "translations" / f"{language}.json").read_text("utf-8"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_name_and_state_is_translated(language: str) -> None:
    entity = _translations(language)["entity"]
    for platform, key, _name, _category, _device in ENTITIES:
        assert entity[platform][key]["name"], (platform, key)
    assert set(entity["sensor"]["polling_mode"]["state"]) == set(POLLING_MODES)
    assert set(entity["sensor"]["last_outcome"]["state"]) == set(OUTCOMES)
    assert set(entity["select"]["season"]["state"]) == {"winter", "summer"}


def test_translations_agree_between_languages() -> None:
    def placeholders(node: object, path: str = "") -> set[tuple[str, str]]:
        if isinstance(node, dict):
            return {
                item for key, value in node.items() for item in placeholders(value, f"{path}/{key}")
            }
        return {(path, name) for name in re.findall(r"{(\w+)}", str(node))} | {(path, "")}

    english, french = _translations("en"), _translations("fr")
    for section in ("entity", "exceptions", "issues", "services"):
        assert placeholders(english[section]) == placeholders(french[section]), section


def test_every_entity_and_service_has_an_icon() -> None:
    icons = json.loads((INTEGRATION / "icons.json").read_text("utf-8"))
    for platform, key, _name, _category, _device in ENTITIES:
        assert icons["entity"][platform][key]["default"].startswith("mdi:"), key
    assert set(icons["services"]) == {"run_tick", "quick_off"}
