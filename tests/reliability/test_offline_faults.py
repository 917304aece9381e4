"""A device or its hub offline (statusCode 161 / 171): reported, retried, nothing lost.

An OFF repeat pending when the hub goes offline is kept, as many left, and sent once the
hub is back: the original dashboard's "a failed repeat clears the task" would leave the AC
running whenever the first OFF was lost and the hub then dropped out (the very case the
repeats exist for). Only a command the cloud refuses (151, 152, 160, 190) still drops them.
A quick off that could not be sent is left to the ticks the same way.
"""

from datetime import datetime, timedelta

from homeassistant.const import STATE_ON
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, Fault
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, Home, entity_state

from .support import COLD, COMMAND_PATH, STATUS_PATH, WARM

TURN_OFF = "turnOff", "default"


def _at(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


def _after(seconds: int) -> str:
    return _at(seconds).isoformat()


def _issue(home: Home, kind: str) -> ir.IssueEntry | None:
    return ir.async_get(home.hass).async_get_issue(DOMAIN, f"{ROOM_ID}_{kind}")


@pytest.mark.parametrize("offline", [METER_ID, HUB_ID], ids=["meter-161", "hub-171"])
async def test_meter_or_hub_offline(home: Home, offline: str) -> None:
    """No reading: ``device_offline`` each tick, the AC still known on; then the OFF."""
    await home.set_up(COLD)
    assert len(home.commands()) == 1
    home.simulator.set_online(offline, online=False)
    home.set_room(WARM)

    for n in range(1, 5):
        await home.advance(15)
        assert home.sensor("last_outcome") == "device_offline"
        assert home.sensor("last_tick") == _after(15 * n)
        assert home.sensor("next_tick") == _after(15 * (n + 1))
    assert home.stored()["assumed_power"] is True
    assert entity_state(home.hass, home.entry, "binary_sensor", "aircon_power").state == STATE_ON
    assert home.requests_at(STATUS_PATH) == [START + timedelta(seconds=15 * n) for n in range(5)]

    home.simulator.set_online(offline, online=True)
    await home.advance(15)
    assert home.sensor("last_outcome") == "winter_off"
    assert home.commands()[1:] == [(START + timedelta(seconds=75), *TURN_OFF)]
    assert home.stored()["assumed_power"] is False


async def test_ac_offline_the_off_is_decided_again_each_tick(home: Home) -> None:
    """Each OFF the offline AC could not take is a failure: the ticks back off, doubling the
    base interval for each one in a row, the AC still known on; then the OFF goes through."""
    await home.set_up(COLD)
    home.simulator.set_online(AC_REMOTE_ID, online=False)
    home.set_room(WARM)

    attempts = [15, 45, 105]  # after 1, 2, 3 failures: 30 s, 60 s, 120 s
    for failures, seconds in enumerate(attempts, start=1):
        await home.advance_to(START + timedelta(seconds=seconds))
        assert home.sensor("last_tick") == _after(seconds)
        assert home.sensor("last_outcome") == "device_offline"
        assert home.sensor("polling_mode") == "command_backoff"
        assert home.sensor("next_tick") == _after(seconds + 15 * 2**failures)
        state = home.stored()
        assert (state["assumed_power"], state["command_failures"]) == (True, failures)
    # The ON, then one OFF attempt a tick, and no tick in between.
    assert home.requests_at(COMMAND_PATH, "POST") == [START, *map(_at, attempts)]
    assert home.requests_at(STATUS_PATH) == [START, *map(_at, attempts)]
    assert _issue(home, "command_failing") is not None  # three in a row

    home.simulator.set_online(AC_REMOTE_ID, online=True)
    await home.advance_to(START + timedelta(seconds=225))
    assert home.requests_at(STATUS_PATH)[-2:] == [_at(105), _at(225)]
    assert home.commands()[1:] == [(_at(225), *TURN_OFF)]
    assert home.sensor("last_outcome") == "winter_off"
    assert home.sensor("polling_mode") == "in_window"
    state = home.stored()
    assert (state["assumed_power"], state["command_failures"]) == (False, 0)
    assert _issue(home, "command_failing") is None


async def test_off_repeat_pending_when_the_hub_goes_offline(home: Home) -> None:
    await home.set_up(WARM, off_repeat_count=3, off_repeat_interval_seconds=10)
    assert home.commands() == [(START, *TURN_OFF)]
    home.simulator.set_online(HUB_ID, online=False)

    # Each tick tries the repeat once and stops there; it is due again a base interval on,
    # but each failure in a row doubles the wait for the next tick: 30 s, 60 s, 120 s.
    attempts = [10, 40, 100]
    for failures, seconds in enumerate(attempts, start=1):
        await home.advance_to(_at(seconds))
        assert home.sensor("last_tick") == _after(seconds)
        assert home.sensor("last_outcome") == "device_offline"
        assert home.sensor("polling_mode") == "command_backoff"
        assert home.sensor("next_tick") == _after(seconds + 15 * 2**failures)
        state = home.stored()
        repeat = state["off_repeat"]
        assert (repeat["remaining"], repeat["next_run_at"]) == (2, _after(seconds + 15))
        assert state["command_failures"] == failures
        pending = entity_state(home.hass, home.entry, "binary_sensor", "off_repeat_pending")
        assert (pending.state, pending.attributes["remaining"]) == (STATE_ON, 2)
    assert home.requests_at(COMMAND_PATH, "POST") == [START, *map(_at, attempts)]
    assert home.requests_at(STATUS_PATH) == [START]  # the tick ends at the failed repeat
    assert _issue(home, "command_failing") is not None

    home.simulator.set_online(HUB_ID, online=True)
    await home.advance_to(_at(220))  # the repeat, 10 s later the last one
    assert home.sensor("polling_mode") == "pending_off_repeat"
    assert home.stored()["command_failures"] == 0
    await home.advance(10)
    assert home.commands() == [(_at(seconds), *TURN_OFF) for seconds in (0, 220, 230)]
    assert home.requests_at(COMMAND_PATH, "POST") == [
        START,
        *map(_at, attempts),
        _at(220),
        _at(230),
    ]
    assert home.stored()["off_repeat"] is None
    assert home.sensor("polling_mode") == "in_window"
    assert _issue(home, "command_failing") is None


async def test_off_repeat_the_cloud_refuses_is_dropped(home: Home) -> None:
    """A refused command would be refused again: the repeats end, the tick goes on."""
    await home.set_up(WARM, off_repeat_count=3, off_repeat_interval_seconds=10)
    home.simulator.inject(Fault.status_code(160, "unknown command"), path=COMMAND_PATH)
    await home.advance(10)
    assert home.stored()["off_repeat"] is None
    assert home.sensor("last_outcome") == "already_off"
    assert home.requests_at(STATUS_PATH)[-1] == START + timedelta(seconds=10)


async def test_quick_off_while_the_hub_is_offline_is_sent_when_it_is_back(home: Home) -> None:
    """The user asked for the AC off: the failed OFF is left to the ticks, all its sends."""
    await home.set_up(COLD, off_repeat_count=2, off_repeat_interval_seconds=10)
    home.simulator.set_online(HUB_ID, online=False)
    with pytest.raises(HomeAssistantError, match="offline"):
        await home.call("quick_off")
    await home.hass.async_block_till_done()
    assert home.room_data["automation_enabled"] is False
    repeat = home.stored()["off_repeat"]
    assert (repeat["remaining"], repeat["reason"]) == (2, "quick_off")
    assert home.stored()["assumed_power"] is True  # not sent yet

    await home.advance(15)  # still offline
    assert home.sensor("last_outcome") == "device_offline"
    home.simulator.set_online(HUB_ID, online=True)
    for _ in range(2):
        await home.advance(15)
    assert [command for _, command, _ in home.commands()] == ["setAll", "turnOff", "turnOff"]
    assert home.stored()["off_repeat"] is None
    assert home.stored()["assumed_power"] is False


async def test_quick_off_the_cloud_refuses_is_not_retried(home: Home) -> None:
    await home.set_up(off_repeat_count=2)
    home.simulator.inject(Fault.status_code(152, "device not found"), path=COMMAND_PATH)
    with pytest.raises(HomeAssistantError):
        await home.call("quick_off")
    await home.hass.async_block_till_done()
    assert home.stored()["off_repeat"] is None
