"""The daily limit: HTTP 429, or statusCode 190 with the "daily limit" message.

No call at all until 00:00 UTC, the ``quota_exhausted`` outcome, polling mode and repair
issue meanwhile, then the ticks resume by themselves; an OFF repeat the limit stopped is
sent after the reset.
"""

from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import QuotaResponse
from tests.integration_support import START, Home

from .support import COLD, WARM, sensor

LANDING = timedelta(seconds=2)
"""How late after the reset the first tick may land (timers run on whole seconds)."""


def _next_tick(hass: HomeAssistant, entry: MockConfigEntry) -> datetime:
    next_tick = dt_util.parse_datetime(sensor(hass, entry, "next_tick"))
    assert next_tick is not None
    return next_tick


@pytest.mark.parametrize("response", list(QuotaResponse))
async def test_daily_limit_pauses_every_call_then_tries_again(
    home: Home, response: QuotaResponse
) -> None:
    await home.set_up(COLD)
    assert len(home.commands()) == 1  # heating: device list, reading, ON
    home.simulator.account.quota_response = response
    home.simulator.account.daily_limit = 5  # two more readings

    for _ in range(3):
        await home.advance(15)
    limited_at = START + timedelta(seconds=45)
    pause_end = limited_at + timedelta(minutes=15)
    assert home.sensor("last_outcome") == "quota_exhausted"
    assert home.sensor("polling_mode") == "quota_exhausted"
    assert _next_tick(home.hass, home.entry) - pause_end < LANDING
    issue = ir.async_get(home.hass).async_get_issue(
        DOMAIN, f"{home.entry.entry_id}_quota_exhausted"
    )
    assert issue is not None
    state = home.stored()
    assert state["quota"]["exhausted_until"] == pause_end.isoformat()
    assert (state["assumed_power"], state["last_action"]) == (True, "on")
    requests = len(home.simulator.requests)
    assert home.simulator.requests[-1].at == limited_at

    # Nothing, whatever happens, until the pause ends: not the scheduled ticks, not a manual one.
    home.set_room(WARM)
    with pytest.raises(HomeAssistantError, match="quota is exhausted"):
        await home.call("run_tick")
    await home.advance_to(pause_end - timedelta(seconds=1))
    assert len(home.simulator.requests) == requests
    assert home.sensor("last_outcome") == "quota_exhausted"

    # Still refused at the first retry: the next pause is twice as long.
    await home.advance_to(_next_tick(home.hass, home.entry))
    assert len(home.simulator.requests) == requests + 1
    assert home.stored()["quota"]["refusals"] == 2
    second_end = home.simulator.requests[-1].at + timedelta(minutes=30)
    assert _next_tick(home.hass, home.entry) - second_end < LANDING

    home.simulator.account.daily_limit = 10_000  # the cloud accepts calls again
    await home.advance_to(_next_tick(home.hass, home.entry))
    resumed_at = home.simulator.requests[-1].at
    assert second_end <= resumed_at < second_end + LANDING
    assert home.sensor("last_outcome") == "winter_off"  # too warm in the morning window
    assert ir.async_get(home.hass).async_get_issue(
        DOMAIN, f"{home.entry.entry_id}_quota_exhausted"
    ) is (None)
    assert home.sensor("polling_mode") != "quota_exhausted"
    quota = home.stored()["quota"]
    assert (quota["exhausted_until"], quota["refusals"]) == (None, 0)


async def test_off_repeat_stopped_by_the_limit_is_sent_after_the_reset(home: Home) -> None:
    """The AC may still run: the repeat waits for the end of the pause instead of being dropped."""
    home.set_room(WARM)
    home.simulator.account.daily_limit = 3  # the device list, the reading, the OFF
    await home.set_up(off_repeat_count=3, off_repeat_interval_seconds=10)
    assert home.commands() == [(START, "turnOff", "default")]

    await home.advance(10)
    assert home.sensor("last_outcome") == "quota_exhausted"
    repeat = home.stored()["off_repeat"]
    assert repeat["remaining"] == 2

    home.simulator.account.daily_limit = 10_000
    await home.advance_to(_next_tick(home.hass, home.entry))
    sent = home.commands()
    assert [command for _, command, _ in sent] == ["turnOff", "turnOff"]
    pause_end = START + timedelta(seconds=10, minutes=15)
    assert pause_end <= sent[1][0] < pause_end + LANDING
    for _ in range(2):
        await home.advance_to(_next_tick(home.hass, home.entry))
    assert [command for _, command, _ in home.commands()] == ["turnOff"] * 3
    assert home.stored()["off_repeat"] is None
