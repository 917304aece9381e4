"""The cloud failing: 5xx bursts, garbled answers, timeouts, refused connections, an outage.

Each test heats a cold room (the ON is sent at set-up), then makes the room warm while the
cloud fails: the ticks go on at their 15 s interval, each reporting ``api_error``, the
stored state keeps the AC known to be on, and the first good answer sends the OFF.
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from yarl import URL

from custom_components.switchbot_automation.cloud.client import REQUEST_TIMEOUT
from switchbot_sim import Fault, SwitchBotSimulator
from tests.integration_support import START, async_advance, async_setup_with, entity_state

from .support import (
    COLD,
    STATUS_PATH,
    STEADY_POLLING,
    WARM,
    async_spin_until,
    commands,
    requests_at,
    sensor,
    set_room,
    stored,
)

HEAT_ON = (START, "setAll", "21,5,3,on")
SET_UP_CALLS = 3
"""The device list, the first reading and the ON."""


async def _heating(
    hass: HomeAssistant, simulator: SwitchBotSimulator, entry: MockConfigEntry
) -> None:
    """Set up in a cold room: the tick at set-up turns the heating on."""
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    assert commands(simulator) == [HEAT_ON]


def _assert_still_heating(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """The failed ticks changed nothing the integration knows about the AC."""
    state = stored(hass_storage, entry)
    assert (state["assumed_power"], state["last_action"], state["last_action_at"]) == (
        True,
        "on",
        START.isoformat(),
    )
    assert entity_state(hass, entry, "binary_sensor", "aircon_power").state == STATE_ON


@pytest.mark.parametrize(
    ("fault", "requests_per_tick"),
    [
        (Fault.http(500), 2),
        (Fault.http(502), 2),
        (Fault.http(503), 2),
        (Fault.http(504), 2),
        (Fault.text("<html><body>502 Bad Gateway</body></html>", http_status=502), 2),
        (Fault.text("<html><body>Service Unavailable</body></html>"), 1),
        (Fault.text(""), 1),
        (Fault.http(200, {"message": "Internal server error"}), 1),
        (Fault.http(200, {"statusCode": "100", "body": {}, "message": "success"}), 1),
        (Fault.http(200, ["not", "an", "envelope"]), 1),
        (Fault.status_code(100, "success", body=["not", "a", "status"]), 1),
    ],
    ids=[
        "http-500",
        "http-502",
        "http-503",
        "http-504",
        "html-502",
        "html-200",
        "empty-200",
        "no-status-code",
        "status-code-not-an-integer",
        "envelope-not-an-object",
        "body-not-an-object",
    ],
)
async def test_failing_or_garbled_answers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    hass_storage: dict[str, Any],
    fault: Fault,
    requests_per_tick: int,
) -> None:
    """A burst of bad answers: ``api_error`` each tick, then the OFF on the first good one.

    A GET meeting an HTTP 5xx is retried once within the tick (two requests); a garbled
    HTTP 200 answer is not. Every request that reached the server counts against the quota.
    """
    entry = mock_config_entry
    await _heating(hass, simulator, entry)
    failing_ticks = 4
    simulator.inject(fault, times=failing_ticks * requests_per_tick, path=STATUS_PATH)
    set_room(simulator, WARM)

    ticks = [START + timedelta(seconds=15 * n) for n in range(1, failing_ticks + 1)]
    for tick_at in ticks:
        await async_advance(hass, freezer, 15)
        assert sensor(hass, entry, "last_outcome") == "api_error"
        assert sensor(hass, entry, "last_tick") == tick_at.isoformat()
        assert sensor(hass, entry, "next_tick") == (tick_at + timedelta(seconds=15)).isoformat()
        _assert_still_heating(hass, entry, hass_storage)
    assert simulator.faults.pending == 0
    assert requests_at(simulator, STATUS_PATH) == [
        START,
        *(tick_at for tick_at in ticks for _ in range(requests_per_tick)),
    ]
    assert commands(simulator) == [HEAT_ON]

    await async_advance(hass, freezer, 15)
    off_at = START + timedelta(seconds=75)
    assert sensor(hass, entry, "last_outcome") == "winter_off"
    assert commands(simulator) == [HEAT_ON, (off_at, "turnOff", "default")]
    state = stored(hass_storage, entry)
    assert (state["assumed_power"], state["last_action_at"]) == (False, off_at.isoformat())
    calls = SET_UP_CALLS + failing_ticks * requests_per_tick + 2
    assert sensor(hass, entry, "api_calls_today") == str(calls)
    assert state["quota"]["calls"] == calls


async def test_timeouts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Answers slower than the client's timeout: each tick gives up after it, once.

    The next tick comes 15 s after the one that timed out ended. A GET that timed out is
    not retried: it already waited ``REQUEST_TIMEOUT``.
    """
    entry = mock_config_entry
    await _heating(hass, simulator, entry)
    simulator.inject(Fault.delayed(10 * REQUEST_TIMEOUT), times=3, path=STATUS_PATH)
    set_room(simulator, WARM)

    tick_at = START + timedelta(seconds=15)
    ticks = []
    for _ in range(3):
        ticks.append(tick_at)
        freezer.move_to(tick_at)
        async_fire_time_changed(hass)
        try:
            await async_spin_until(
                lambda: len(requests_at(simulator, STATUS_PATH)) == len(ticks) + 1
            )
            waiting = sensor(hass, entry, "last_tick") != tick_at.isoformat()
        finally:  # the timeout fires, whatever happened
            freezer.tick(REQUEST_TIMEOUT)
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)
        assert waiting
        assert sensor(hass, entry, "last_outcome") == "api_error"
        assert sensor(hass, entry, "last_tick") == tick_at.isoformat()
        tick_at += timedelta(seconds=REQUEST_TIMEOUT + 15)
        assert sensor(hass, entry, "next_tick") == tick_at.isoformat()
        _assert_still_heating(hass, entry, hass_storage)
    assert requests_at(simulator, STATUS_PATH) == [START, *ticks]

    freezer.move_to(tick_at)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sensor(hass, entry, "last_outcome") == "winter_off"
    assert commands(simulator) == [HEAT_ON, (tick_at, "turnOff", "default")]
    assert stored(hass_storage, entry)["assumed_power"] is False


async def test_cloud_unreachable_for_an_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Connections refused for an hour: 240 ticks report it, the 241st turns the AC off."""
    entry = mock_config_entry
    await _heating(hass, simulator, entry)
    port = URL(simulator.url).port
    await simulator.stop()  # nothing listens on the port any more
    set_room(simulator, WARM)

    hour = 3600 // 15
    for n in range(1, hour + 1):
        await async_advance(hass, freezer, 15)
        assert sensor(hass, entry, "last_tick") == (START + timedelta(seconds=15 * n)).isoformat()
        assert sensor(hass, entry, "last_outcome") == "api_error"
    _assert_still_heating(hass, entry, hass_storage)
    # A request that never reached the server is not a call.
    assert sensor(hass, entry, "api_calls_today") == str(SET_UP_CALLS)
    assert len(simulator.requests) == SET_UP_CALLS

    simulator._port = port  # back on the same address
    await simulator.start()
    await async_advance(hass, freezer, 15)
    back_at = START + timedelta(seconds=15 * (hour + 1))
    assert sensor(hass, entry, "last_outcome") == "winter_off"
    assert commands(simulator) == [HEAT_ON, (back_at, "turnOff", "default")]
    assert stored(hass_storage, entry)["assumed_power"] is False
