"""The daily limit: HTTP 429, or statusCode 190 with the "daily limit" message.

No call at all until 00:00 UTC, the ``quota_exhausted`` outcome, polling mode and repair
issue meanwhile, then the ticks resume by themselves; an OFF repeat the limit stopped is
sent after the reset.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import QuotaResponse, SwitchBotSimulator
from tests.integration_support import START, async_advance, async_advance_to, async_setup_with

from .support import COLD, STEADY_POLLING, WARM, commands, sensor, set_room, stored

MIDNIGHT = datetime(2026, 1, 16, tzinfo=UTC)
LANDING = timedelta(seconds=2)
"""How late after the reset the first tick may land (timers run on whole seconds)."""


def _next_tick(hass: HomeAssistant, entry: MockConfigEntry) -> datetime:
    next_tick = dt_util.parse_datetime(sensor(hass, entry, "next_tick"))
    assert next_tick is not None
    return next_tick


@pytest.mark.parametrize("response", list(QuotaResponse))
async def test_daily_limit_pauses_every_call_until_midnight_utc(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    hass_storage: dict[str, Any],
    response: QuotaResponse,
) -> None:
    entry = mock_config_entry
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    assert len(commands(simulator)) == 1  # heating: device list, reading, ON
    simulator.account.quota_response = response
    simulator.account.daily_limit = 5  # two more readings

    for _ in range(3):
        await async_advance(hass, freezer, 15)
    limited_at = START + timedelta(seconds=45)
    assert sensor(hass, entry, "last_outcome") == "quota_exhausted"
    assert sensor(hass, entry, "polling_mode") == "quota_exhausted"
    assert _next_tick(hass, entry) - MIDNIGHT < LANDING
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"{entry.entry_id}_quota_exhausted")
    assert issue is not None
    state = stored(hass_storage, entry)
    assert state["quota"]["exhausted_until"] == MIDNIGHT.isoformat()
    assert (state["assumed_power"], state["last_action"]) == (True, "on")
    requests = len(simulator.requests)
    assert simulator.requests[-1].at == limited_at

    # Nothing, whatever happens, until 00:00 UTC: not the scheduled ticks, not a manual one.
    set_room(simulator, WARM)
    await async_advance_to(hass, freezer, datetime(2026, 1, 15, 20, tzinfo=UTC))
    with pytest.raises(HomeAssistantError, match="quota is exhausted"):
        await hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
        )
    await async_advance_to(hass, freezer, MIDNIGHT - timedelta(seconds=1))
    assert len(simulator.requests) == requests
    assert sensor(hass, entry, "last_outcome") == "quota_exhausted"

    await async_advance_to(hass, freezer, _next_tick(hass, entry))
    resumed_at = simulator.requests[-1].at
    assert MIDNIGHT <= resumed_at < MIDNIGHT + LANDING
    assert sensor(hass, entry, "last_outcome") == "outside_window"  # 01:00 in Paris
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"{entry.entry_id}_quota_exhausted") is (None)
    assert sensor(hass, entry, "polling_mode") != "quota_exhausted"
    assert sensor(hass, entry, "api_calls_today") == "1"
    assert stored(hass_storage, entry)["quota"]["day"] == "2026-01-16"


async def test_off_repeat_stopped_by_the_limit_is_sent_after_the_reset(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The AC may still run: the repeat waits for 00:00 UTC instead of being dropped."""
    entry = mock_config_entry
    set_room(simulator, WARM)
    simulator.account.daily_limit = 3  # the device list, the reading, the OFF
    await async_setup_with(
        hass, entry, **STEADY_POLLING, off_repeat_count=3, off_repeat_interval_seconds=10
    )
    assert commands(simulator) == [(START, "turnOff", "default")]

    await async_advance(hass, freezer, 10)
    assert sensor(hass, entry, "last_outcome") == "quota_exhausted"
    repeat = stored(hass_storage, entry)["off_repeat"]
    assert repeat["remaining"] == 2

    simulator.account.daily_limit = 10_000
    await async_advance_to(hass, freezer, _next_tick(hass, entry))
    sent = commands(simulator)
    assert [command for _, command, _ in sent] == ["turnOff", "turnOff"]
    assert MIDNIGHT <= sent[1][0] < MIDNIGHT + LANDING
    for _ in range(2):
        await async_advance_to(hass, freezer, _next_tick(hass, entry))
    assert [command for _, command, _ in commands(simulator)] == ["turnOff"] * 3
    assert stored(hass_storage, entry)["off_repeat"] is None
