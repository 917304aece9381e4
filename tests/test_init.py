"""Set-up, unload, reload and removal of a config entry."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import AUTH_RETRY_SECONDS
from switchbot_sim import METER_ID, Fault, SwitchBotSimulator
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import (
    async_advance,
    async_setup_with,
    entity_state,
    flow_sources,
    update_options,
)


async def test_setup_unload_and_reload(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: SwitchBotSimulator
) -> None:
    entry = setup_integration
    assert entry.state is ConfigEntryState.LOADED
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "no_action"
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "in_window"
    assert [(request.method, request.path) for request in simulator.requests] == [
        ("GET", "/v1.1/devices"),
        ("GET", f"/v1.1/devices/{METER_ID}/status"),
    ]

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert len(simulator.requests) == 4  # the device list and a tick, again

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "unavailable"


@pytest.mark.parametrize(
    "fault",
    [
        Fault.text("<html>Bad gateway</html>"),
        Fault.http(404),
        Fault.status_code(190, "internal error"),
    ],
    ids=["not-the-api", "not-found", "internal-error"],
)
async def test_cloud_unreachable_at_start_retries_later(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    simulator: SwitchBotSimulator,
    fault: Fault,
) -> None:
    simulator.inject(fault, path="/v1.1/devices")
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.reason == "The SwitchBot Cloud could not be reached"


@pytest.mark.parametrize(
    "path",
    [f"/v1.1/devices/{METER_ID}/status", "/v1.1/devices"],
    ids=["at-the-first-tick", "for-the-device-list"],
)
async def test_refused_token_at_set_up_starts_reauth_and_keeps_ticking(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    simulator: SwitchBotSimulator,
    path: str,
) -> None:
    """As when the cloud refuses the token later: loaded, reauth asked, slow ticks go on."""
    simulator.inject(Fault.http(401), path=path, times=None)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert flow_sources(hass) == [SOURCE_REAUTH]
    requests = len(simulator.requests)
    await async_advance(hass, freezer, AUTH_RETRY_SECONDS - 1)
    assert len(simulator.requests) == requests  # no faster than the slow interval
    simulator.faults.clear()
    await async_advance(hass, freezer, 1)
    assert len(simulator.requests) > requests
    outcome = entity_state(hass, mock_config_entry, "sensor", "last_outcome").state
    assert outcome not in ("unavailable", "unknown")


async def test_removal_deletes_the_entry_issues(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    await async_setup_with(hass, mock_config_entry, timezone="Not/A_Zone")
    issues = ir.async_get(hass)
    issue_id = f"{ROOM_ID}_invalid_timezone"
    assert issues.async_get_issue(DOMAIN, issue_id) is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        "other_issue",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="quota_exhausted",
    )
    assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert issues.async_get_issue(DOMAIN, "other_issue") is not None


@pytest.mark.parametrize(
    "change",
    [
        {"data": {"token": "new-token"}},
        {"options": {"meter_device_id": "OTHER-METER"}},
    ],
    ids=["credentials", "devices"],
)
async def test_new_credentials_or_devices_reload_the_entry(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    change: dict[str, dict[str, str]],
) -> None:
    entry = setup_integration
    hass.config_entries.async_update_entry(entry, data={**entry.data, **change.get("data", {})})
    update_options(hass, entry, change.get("options", {}))
    await hass.async_block_till_done()
    device_lists = [request for request in simulator.requests if request.path == "/v1.1/devices"]
    # Read again by the reloaded entry; a refused new token is tried again by its first tick.
    assert len(device_lists) == (3 if "data" in change else 2)
