"""The cloud failing: 5xx bursts, garbled answers, timeouts, refused connections, an outage.

Each test heats a cold room (the ON is sent at set-up), then makes the room warm while the
cloud fails: the ticks go on at their 15 s interval, each reporting ``api_error``, the
stored state keeps the AC known to be on, and the first good answer sends the OFF. An
outage longer than ``max_reading_age_minutes`` ends that: the ticks then try the OFF.
"""

from datetime import timedelta

from homeassistant.const import STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.switchbot_automation.cloud.client import REQUEST_TIMEOUT
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine.polling import LONGEST_COMMAND_BACKOFF
from switchbot_sim import Fault
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, Home, entity_state

from .support import COLD, STATUS_PATH, WARM, async_spin_until

HEAT_ON = (START, "setAll", "21,5,3,on")
SET_UP_CALLS = 3
"""The device list, the first reading and the ON."""
MAX_READING_AGE = 30 * 60
"""``max_reading_age_minutes`` by default, in seconds."""


async def _heating(home: Home) -> None:
    """Set up in a cold room: the tick at set-up turns the heating on."""
    await home.set_up(COLD)
    assert home.commands() == [HEAT_ON]


def _issue(home: Home, kind: str) -> ir.IssueEntry | None:
    return ir.async_get(home.hass).async_get_issue(DOMAIN, f"{ROOM_ID}_{kind}")


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
    """Connections refused for an hour: blind for ``max_reading_age_minutes``, the ticks try
    the OFF (``stale_reading_off``); its answer lost, the AC's power becomes unknown and each
    attempt doubles the wait for the next. The first tick with the cloud back sends the OFF.
    """
    await _heating(home)
    await home.simulator.refuse_connections()  # nothing listens on the port any more
    home.set_room(WARM)

    blind = MAX_READING_AGE // 15  # the last reading (at START) is not older than that yet
    for n in range(1, blind + 1):
        await home.advance(15)
        assert home.sensor("last_tick") == (START + timedelta(seconds=15 * n)).isoformat()
        assert home.sensor("last_outcome") == "api_error"
        assert home.sensor("polling_mode") == "in_window"
    _assert_still_heating(home)
    assert home.state("sensor", "temperature") == "18.0"
    assert _issue(home, "stale_reading") is None

    # Each tick tries the OFF, which cannot reach the cloud: the tick reports it, the AC's
    # power is unknown, and the next tick waits 15 s doubled once per failure in a row.
    tick_at = START + timedelta(seconds=15 * (blind + 1))
    failures = 0
    while tick_at < START + timedelta(hours=1):
        while home.sensor("last_tick") != tick_at.isoformat():
            assert home.sensor("last_tick") < tick_at.isoformat()  # no tick in between
            await home.advance(15)
        failures += 1
        assert home.sensor("last_outcome") == "api_error"
        assert home.sensor("polling_mode") == "command_backoff"
        wait = timedelta(seconds=min(15 * 2**failures, LONGEST_COMMAND_BACKOFF))
        assert home.sensor("next_tick") == (tick_at + wait).isoformat()
        state = home.stored()  # saved at once after the attempt
        assert (
            state["assumed_power"],
            state["last_action"],
            state["last_action_at"],
            state["last_action_reason"],
            state["command_failures"],
        ) == (None, "off", tick_at.isoformat(), "stale_reading_off", failures)
        assert entity_state(home.hass, home.entry, "binary_sensor", "aircon_power").state == (
            STATE_UNKNOWN
        )
        assert home.state("sensor", "temperature") == STATE_UNAVAILABLE
        assert home.state("sensor", "humidity") == STATE_UNAVAILABLE
        assert _issue(home, "stale_reading") is not None
        assert (_issue(home, "command_failing") is not None) == (failures >= 3)
        tick_at += wait
    assert failures == 6  # at 07:00:15, :00:45, :01:45, :03:45, :07:45 and :15:45
    # A request that never reached the server is not a call.
    assert home.sensor("api_calls_today") == str(SET_UP_CALLS)
    assert len(home.simulator.requests) == SET_UP_CALLS

    await home.simulator.start()  # back on the same address
    await home.advance_to(tick_at)
    assert tick_at == START + timedelta(minutes=61, seconds=45)
    assert home.sensor("last_tick") == tick_at.isoformat()
    assert home.sensor("last_outcome") == "winter_off"  # a fresh reading: the OFF is decided
    assert home.sensor("polling_mode") == "in_window"
    assert home.commands() == [HEAT_ON, (tick_at, "turnOff", "default")]
    state = home.stored()
    assert (state["assumed_power"], state["command_failures"]) == (False, 0)
    assert home.state("sensor", "temperature") == str(WARM)
    assert _issue(home, "stale_reading") is None
    assert _issue(home, "command_failing") is None
    assert home.sensor("api_calls_today") == str(SET_UP_CALLS + 2)
