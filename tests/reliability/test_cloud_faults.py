"""The cloud failing: 5xx bursts, garbled answers, timeouts, refused connections, an outage.

Each test heats a cold room (the ON is sent at set-up), then makes the room warm while the
cloud fails: the ticks go on at their 15 s interval, each reporting ``api_error``, the
stored state keeps the AC known to be on, and the first good answer sends the OFF.
"""

from datetime import timedelta

from homeassistant.const import STATE_ON
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from yarl import URL

from custom_components.switchbot_automation.cloud.client import REQUEST_TIMEOUT
from switchbot_sim import Fault
from tests.integration_support import START, Home, entity_state

from .support import COLD, STATUS_PATH, WARM, async_spin_until

HEAT_ON = (START, "setAll", "21,5,3,on")
SET_UP_CALLS = 3
"""The device list, the first reading and the ON."""


async def _heating(home: Home) -> None:
    """Set up in a cold room: the tick at set-up turns the heating on."""
    await home.set_up(COLD)
    assert home.commands() == [HEAT_ON]


def _assert_still_heating(home: Home) -> None:
    """The failed ticks changed nothing the integration knows about the AC."""
    state = home.stored()
    assert (state["assumed_power"], state["last_action"], state["last_action_at"]) == (
        True,
        "on",
        START.isoformat(),
    )
    assert entity_state(home.hass, home.entry, "binary_sensor", "aircon_power").state == STATE_ON


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
async def test_failing_or_garbled_answers(home: Home, fault: Fault, requests_per_tick: int) -> None:
    """A burst of bad answers: ``api_error`` each tick, then the OFF on the first good one.

    A GET meeting an HTTP 5xx is retried once within the tick (two requests); a garbled
    HTTP 200 answer is not. Every request that reached the server counts against the quota.
    """
    await _heating(home)
    failing_ticks = 4
    home.simulator.inject(fault, times=failing_ticks * requests_per_tick, path=STATUS_PATH)
    home.set_room(WARM)

    ticks = [START + timedelta(seconds=15 * n) for n in range(1, failing_ticks + 1)]
    for tick_at in ticks:
        await home.advance(15)
        assert home.sensor("last_outcome") == "api_error"
        assert home.sensor("last_tick") == tick_at.isoformat()
        assert home.sensor("next_tick") == (tick_at + timedelta(seconds=15)).isoformat()
        _assert_still_heating(home)
    assert home.simulator.faults.pending == 0
    assert home.requests_at(STATUS_PATH) == [
        START,
        *(tick_at for tick_at in ticks for _ in range(requests_per_tick)),
    ]
    assert home.commands() == [HEAT_ON]

    await home.advance(15)
    off_at = START + timedelta(seconds=75)
    assert home.sensor("last_outcome") == "winter_off"
    assert home.commands() == [HEAT_ON, (off_at, "turnOff", "default")]
    state = home.stored()
    assert (state["assumed_power"], state["last_action_at"]) == (False, off_at.isoformat())
    calls = SET_UP_CALLS + failing_ticks * requests_per_tick + 2
    assert home.sensor("api_calls_today") == str(calls)
    assert state["quota"]["calls"] == calls


async def test_timeouts(home: Home) -> None:
    """Answers slower than the client's timeout: each tick gives up after it, once.

    The next tick comes 15 s after the one that timed out ended. A GET that timed out is
    not retried: it already waited ``REQUEST_TIMEOUT``.
    """
    await _heating(home)
    home.simulator.inject(Fault.delayed(10 * REQUEST_TIMEOUT), times=3, path=STATUS_PATH)
    home.set_room(WARM)

    tick_at = START + timedelta(seconds=15)
    ticks = []
    for _ in range(3):
        ticks.append(tick_at)
        home.freezer.move_to(tick_at)
        async_fire_time_changed(home.hass)
        try:
            await async_spin_until(lambda: len(home.requests_at(STATUS_PATH)) == len(ticks) + 1)
            waiting = home.sensor("last_tick") != tick_at.isoformat()
        finally:  # the timeout fires, whatever happened
            home.freezer.tick(REQUEST_TIMEOUT)
            async_fire_time_changed(home.hass)
            await home.hass.async_block_till_done(wait_background_tasks=True)
        assert waiting
        assert home.sensor("last_outcome") == "api_error"
        assert home.sensor("last_tick") == tick_at.isoformat()
        tick_at += timedelta(seconds=REQUEST_TIMEOUT + 15)
        assert home.sensor("next_tick") == tick_at.isoformat()
        _assert_still_heating(home)
    assert home.requests_at(STATUS_PATH) == [START, *ticks]

    home.freezer.move_to(tick_at)
    async_fire_time_changed(home.hass)
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert home.sensor("last_outcome") == "winter_off"
    assert home.commands() == [HEAT_ON, (tick_at, "turnOff", "default")]
    assert home.stored()["assumed_power"] is False


async def test_cloud_unreachable_for_an_hour(home: Home) -> None:
    """Connections refused for an hour: 240 ticks report it, the 241st turns the AC off."""
    await _heating(home)
    port = URL(home.simulator.url).port
    await home.simulator.stop()  # nothing listens on the port any more
    home.set_room(WARM)

    hour = 3600 // 15
    for n in range(1, hour + 1):
        await home.advance(15)
        assert home.sensor("last_tick") == (START + timedelta(seconds=15 * n)).isoformat()
        assert home.sensor("last_outcome") == "api_error"
    _assert_still_heating(home)
    # A request that never reached the server is not a call.
    assert home.sensor("api_calls_today") == str(SET_UP_CALLS)
    assert len(home.simulator.requests) == SET_UP_CALLS

    home.simulator._port = port  # back on the same address
    await home.simulator.start()
    await home.advance(15)
    back_at = START + timedelta(seconds=15 * (hour + 1))
    assert home.sensor("last_outcome") == "winter_off"
    assert home.commands() == [HEAT_ON, (back_at, "turnOff", "default")]
    assert home.stored()["assumed_power"] is False
