"""The cloud refusing the credentials (HTTP 401) in the middle of a run.

Re-authentication is started, once. The ticks do not stop, as they would with
``ConfigEntryAuthFailed``: a refusal that clears up by itself would otherwise leave the AC
running until the user re-authenticates. They slow down to one every five minutes, so a
token that stays refused costs a request every five minutes, not a storm.
"""

from datetime import datetime, timedelta

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.switchbot_automation.coordinator import AUTH_RETRY_SECONDS
from switchbot_sim import Fault, SwitchBotSimulator
from tests.integration_support import START, Home, flow_sources

from .support import COLD, COMMAND_PATH, STATUS_PATH, WARM


def _refused(simulator: SwitchBotSimulator) -> list[datetime]:
    """The instants of the requests the simulator refused with HTTP 401."""
    return [
        request.at
        for request in simulator.requests
        if request.fault is not None
        and request.fault.response is not None
        and request.fault.response.status == 401
    ]


# An hour of ticks over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
async def test_a_token_refused_for_an_hour_makes_no_storm(home: Home) -> None:
    await home.set_up(COLD)
    assert len(home.commands()) == 1  # heating
    home.simulator.inject(Fault.http(401), times=None)  # every request, until cleared
    home.set_room(WARM)

    await home.advance(15)
    refused_at = START + timedelta(seconds=15)
    assert _refused(home.simulator) == [refused_at]
    assert flow_sources(home.hass) == [SOURCE_REAUTH]
    assert home.entry.state is ConfigEntryState.LOADED
    assert home.sensor("last_outcome") == STATE_UNAVAILABLE

    # An hour, second by second: a request every five minutes, never a second flow.
    for _ in range(3600):
        await home.advance(1)
    retries = [refused_at + timedelta(seconds=AUTH_RETRY_SECONDS * n) for n in range(1, 13)]
    assert _refused(home.simulator) == [refused_at, *retries]
    assert flow_sources(home.hass) == [SOURCE_REAUTH]
    state = home.stored()
    assert (state["assumed_power"], state["last_action"]) == (True, "on")

    # The token is accepted again: the next tick regulates, at the usual interval after it.
    home.simulator.faults.clear()
    back_at = retries[-1] + timedelta(seconds=AUTH_RETRY_SECONDS)
    await home.advance_to(back_at)
    assert home.sensor("last_outcome") == "winter_off"
    assert home.commands()[1:] == [(back_at, "turnOff", "default")]
    assert home.sensor("poll_interval") == "15"
    assert home.stored()["assumed_power"] is False


async def test_a_refusal_that_clears_up_does_not_lose_an_off_repeat(home: Home) -> None:
    """A 401 on an OFF repeat: the repeat is still pending, and sent once the token works."""
    await home.set_up(WARM, off_repeat_count=2, off_repeat_interval_seconds=10)
    assert home.commands() == [(START, "turnOff", "default")]
    home.simulator.inject(Fault.http(401), path=COMMAND_PATH)

    await home.advance(10)
    assert flow_sources(home.hass) == [SOURCE_REAUTH]
    assert home.requests_at(COMMAND_PATH, "POST")[-1] == START + timedelta(seconds=10)
    assert home.stored()["off_repeat"]["remaining"] == 1

    retry_at = START + timedelta(seconds=10 + AUTH_RETRY_SECONDS)
    await home.advance_to(retry_at - timedelta(seconds=1))
    assert len(home.commands()) == 1  # no busy loop meanwhile
    await home.advance_to(retry_at)
    assert home.commands() == [
        (START, "turnOff", "default"),
        (retry_at, "turnOff", "default"),
    ]
    assert home.stored()["off_repeat"] is None


async def test_a_refused_manual_tick_reports_it_and_starts_reauth(home: Home) -> None:
    await home.set_up()
    home.simulator.inject(Fault.http(401), path=STATUS_PATH)
    with pytest.raises(HomeAssistantError):
        await home.call("run_tick")
    await home.hass.async_block_till_done()
    assert flow_sources(home.hass) == [SOURCE_REAUTH]
    assert home.entry.state is ConfigEntryState.LOADED
