"""The run_tick and quick_off services, and how they refuse or report failures."""

from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, Fault, SwitchBotSimulator
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import (
    START,
    async_advance,
    async_setup_with,
    entity_state,
    flow_sources,
    room_data,
    update_options,
)

STATUS_PATH = f"/v1.1/devices/{METER_ID}/status"


async def _call(hass: HomeAssistant, service: str, entry_id: str) -> None:
    await hass.services.async_call(DOMAIN, service, {"config_entry_id": entry_id}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_run_tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    await async_advance(hass, freezer, 7)
    await _call(hass, "run_tick", setup_integration.entry_id)
    reads = [request.at for request in simulator.requests if request.path == STATUS_PATH]
    assert len(reads) == 2
    assert reads[1] == START + timedelta(seconds=7)
    next_tick = entity_state(hass, setup_integration, "sensor", "next_tick").state
    assert next_tick == (START + timedelta(seconds=22)).isoformat()


async def test_quick_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    await async_setup_with(hass, mock_config_entry, off_repeat_count=2)
    entry = mock_config_entry
    events = async_capture_events(hass, "switchbot_automation_command")
    reads = len(simulator.requests)
    await _call(hass, "quick_off", entry.entry_id)
    assert room_data(entry)["automation_enabled"] is False
    assert [(c.command, c.at) for c in simulator.commands_sent(AC_REMOTE_ID)] == [
        ("turnOff", START)
    ]
    assert len(simulator.requests) == reads + 1  # the OFF only: no tick ran after it
    assert [event.data for event in events] == [
        {
            "config_entry_id": entry.entry_id,
            "room_id": ROOM_ID,
            "action": "off",
            "command": "turnOff",
            "parameter": "default",
            "scene_id": None,
            "reason": "quick_off",
            "repeat": False,
        }
    ]
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "quick_off"
    assert entity_state(hass, entry, "switch", "automation").state == "off"
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "pending_off_repeat"

    await async_advance(hass, freezer, 10)  # the repeat runs with the automation disabled
    assert len(simulator.commands_sent(AC_REMOTE_ID)) == 2
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "disabled"
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "automation_disabled"


async def test_unknown_entry_is_refused(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    for entry_id in ("no-such-entry", other.entry_id):
        with pytest.raises(ServiceValidationError) as raised:
            await _call(hass, "run_tick", entry_id)
        assert raised.value.translation_domain == DOMAIN
        assert raised.value.translation_key == "entry_not_found"
        assert raised.value.translation_placeholders == {"config_entry_id": entry_id}


async def test_entry_not_loaded_is_refused(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_unload(setup_integration.entry_id)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "quick_off", setup_integration.entry_id)
    assert raised.value.translation_key == "entry_not_loaded"


@pytest.mark.parametrize(
    ("service", "fault", "key"),
    [
        ("quick_off", Fault.status_code(190, "internal error"), "api_error"),
        ("run_tick", Fault.http(429), "quota_exhausted"),
    ],
)
async def test_cloud_failures_are_raised(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    *,
    service: str,
    fault: Fault,
    key: str,
) -> None:
    simulator.inject(fault)
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, service, setup_integration.entry_id)
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == key


async def test_offline_hub_is_raised(
    hass: HomeAssistant, simulator: SwitchBotSimulator, setup_integration: MockConfigEntry
) -> None:
    simulator.set_online(HUB_ID, online=False)
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, "quick_off", setup_integration.entry_id)
    assert raised.value.translation_key == "device_offline"


async def test_quick_off_without_an_air_conditioner(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    await async_setup_with(hass, mock_config_entry, aircon_device_id="")
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, "quick_off", mock_config_entry.entry_id)
    assert raised.value.translation_key == "not_configured"


async def test_refused_token_starts_reauth(
    hass: HomeAssistant, simulator: SwitchBotSimulator, setup_integration: MockConfigEntry
) -> None:
    simulator.inject(Fault.http(401))
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, "run_tick", setup_integration.entry_id)
    assert raised.value.translation_key == "auth_failed"
    assert flow_sources(hass) == [SOURCE_REAUTH]


async def test_unexpected_failure_is_raised(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    with (
        patch(
            "custom_components.switchbot_automation.coordinator.run_tick",
            side_effect=RuntimeError("engine bug"),
        ),
        pytest.raises(HomeAssistantError) as raised,
    ):
        await _call(hass, "run_tick", setup_integration.entry_id)
    assert raised.value.translation_key == "tick_failed"


async def test_options_listener_survives_a_failing_tick(
    hass: HomeAssistant, simulator: SwitchBotSimulator, setup_integration: MockConfigEntry
) -> None:
    """A changed option is applied even when the tick it runs fails."""
    entry = setup_integration
    simulator.inject(Fault.http(401))
    update_options(hass, entry, {"mode": "summer"})
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entity_state(hass, entry, "select", "season").state == "summer"
    assert flow_sources(hass) == [SOURCE_REAUTH]
