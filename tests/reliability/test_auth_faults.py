"""The cloud refusing the credentials (HTTP 401) in the middle of a run.

Re-authentication is started, once. The ticks do not stop, as they would with
``ConfigEntryAuthFailed``: a refusal that clears up by itself would otherwise leave the AC
running until the user re-authenticates. They slow down to one every five minutes, so a
token that stays refused costs a request every five minutes, not a storm.
"""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import AUTH_RETRY_SECONDS
from switchbot_sim import Fault, SwitchBotSimulator
from tests.integration_support import START, async_advance, async_advance_to, async_setup_with

from .support import (
    COLD,
    COMMAND_PATH,
    STATUS_PATH,
    STEADY_POLLING,
    WARM,
    commands,
    requests_at,
    sensor,
    set_room,
    stored,
)


def _reauth_flows(hass: HomeAssistant) -> list[str]:
    return [
        flow["context"]["source"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]


def _refused(simulator: SwitchBotSimulator) -> list[datetime]:
    """The instants of the requests the simulator refused with HTTP 401."""
    return [
        request.at
        for request in simulator.requests
        if request.fault is not None
        and request.fault.response is not None
        and request.fault.response.status == 401
    ]


async def test_a_token_refused_for_an_hour_makes_no_storm(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    assert len(commands(simulator)) == 1  # heating
    simulator.inject(Fault.http(401), times=None)  # every request, until cleared
    set_room(simulator, WARM)

    await async_advance(hass, freezer, 15)
    refused_at = START + timedelta(seconds=15)
    assert _refused(simulator) == [refused_at]
    assert _reauth_flows(hass) == [SOURCE_REAUTH]
    assert entry.state is ConfigEntryState.LOADED
    assert sensor(hass, entry, "last_outcome") == STATE_UNAVAILABLE

    # An hour, second by second: a request every five minutes, never a second flow.
    for _ in range(3600):
        await async_advance(hass, freezer, 1)
    retries = [refused_at + timedelta(seconds=AUTH_RETRY_SECONDS * n) for n in range(1, 13)]
    assert _refused(simulator) == [refused_at, *retries]
    assert _reauth_flows(hass) == [SOURCE_REAUTH]
    state = stored(hass_storage, entry)
    assert (state["assumed_power"], state["last_action"]) == (True, "on")

    # The token is accepted again: the next tick regulates, at the usual interval after it.
    simulator.faults.clear()
    back_at = retries[-1] + timedelta(seconds=AUTH_RETRY_SECONDS)
    await async_advance_to(hass, freezer, back_at)
    assert sensor(hass, entry, "last_outcome") == "winter_off"
    assert commands(simulator)[1:] == [(back_at, "turnOff", "default")]
    assert sensor(hass, entry, "poll_interval") == "15"
    assert stored(hass_storage, entry)["assumed_power"] is False


async def test_a_refusal_that_clears_up_does_not_lose_an_off_repeat(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A 401 on an OFF repeat: the repeat is still pending, and sent once the token works."""
    entry = mock_config_entry
    set_room(simulator, WARM)
    await async_setup_with(
        hass, entry, **STEADY_POLLING, off_repeat_count=2, off_repeat_interval_seconds=10
    )
    assert commands(simulator) == [(START, "turnOff", "default")]
    simulator.inject(Fault.http(401), path=COMMAND_PATH)

    await async_advance(hass, freezer, 10)
    assert _reauth_flows(hass) == [SOURCE_REAUTH]
    assert requests_at(simulator, COMMAND_PATH, "POST")[-1] == START + timedelta(seconds=10)
    assert stored(hass_storage, entry)["off_repeat"]["remaining"] == 1

    retry_at = START + timedelta(seconds=10 + AUTH_RETRY_SECONDS)
    await async_advance_to(hass, freezer, retry_at - timedelta(seconds=1))
    assert len(commands(simulator)) == 1  # no busy loop meanwhile
    await async_advance_to(hass, freezer, retry_at)
    assert commands(simulator) == [
        (START, "turnOff", "default"),
        (retry_at, "turnOff", "default"),
    ]
    assert stored(hass_storage, entry)["off_repeat"] is None


async def test_a_refused_manual_tick_reports_it_and_starts_reauth(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    await async_setup_with(hass, mock_config_entry, **STEADY_POLLING)
    simulator.inject(Fault.http(401), path=STATUS_PATH)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": mock_config_entry.entry_id}, blocking=True
        )
    await hass.async_block_till_done()
    assert _reauth_flows(hass) == [SOURCE_REAUTH]
    assert mock_config_entry.state is ConfigEntryState.LOADED
