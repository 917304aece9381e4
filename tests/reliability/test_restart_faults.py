"""Home Assistant stopping and starting again: mid-tick, with OFF repeats pending, and on a
stored state file that is corrupt or truncated.

A restart here is a real one: the first Home Assistant stops (``async_stop``, as on a
shutdown), and a second one starts on the same storage and the same simulated cloud.
"""

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.switchbot_automation.store import SAVE_INTERVAL, storage_key
from switchbot_sim import Fault
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, Home, async_advance

from .support import COLD, COMMAND_PATH, WARM, async_restarted, async_spin_until, sensor

# The real loading, taken before the test plugin replaces it by its in-memory storage.
REAL_STORE_LOAD = Store._async_load

HEAT_ON = "setAll", "21,5,3,on"
TURN_OFF = "turnOff", "default"


async def test_stopped_in_the_middle_of_a_tick(home: Home) -> None:
    """Home Assistant stops while the ON is in flight: it waits for the tick, which saves it.

    After the restart the AC is known to be on: the ON is not sent a second time.
    """
    await home.set_up(20.5)
    home.set_room(COLD)
    home.simulator.inject(Fault.delayed(5), method="POST")
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)
    stopping: asyncio.Task[None] | None = None
    try:
        await async_spin_until(lambda: bool(home.requests_at(COMMAND_PATH, "POST")))
        stopping = asyncio.create_task(home.hass.async_stop())
        for _ in range(100):
            await asyncio.sleep(0)
        waited = not stopping.done()
    finally:
        home.freezer.tick(5)
        async_fire_time_changed(home.hass)  # the ON is answered
        if stopping is not None:
            await stopping
    assert waited  # the stop waited for the tick
    assert home.hass.state is CoreState.stopped
    decided_at, answered_at = START + timedelta(seconds=15), START + timedelta(seconds=20)
    assert home.commands() == [(answered_at, *HEAT_ON)]
    state = home.stored()
    assert (state["assumed_power"], state["last_action_at"]) == (True, decided_at.isoformat())

    home.freezer.tick(60)
    async with async_restarted(home.entry) as (restarted, again):
        assert await restarted.config_entries.async_setup(again.entry_id)
        await restarted.async_block_till_done()
        assert sensor(restarted, again, "last_outcome") == "already_on"
        assert home.commands() == [(answered_at, *HEAT_ON)]


async def test_off_repeat_due_while_stopped_is_sent_once_at_the_first_tick(home: Home) -> None:
    await home.set_up(WARM, off_repeat_count=3, off_repeat_interval_seconds=10)
    await home.advance(10)  # the first repeat
    home.freezer.tick(2)
    await home.hass.async_stop()
    assert home.stored()["off_repeat"]["remaining"] == 1
    assert home.commands() == [(START, *TURN_OFF), (START + timedelta(seconds=10), *TURN_OFF)]

    home.freezer.tick(48)  # the last repeat fell due 8 s into the downtime
    restarted_at = START + timedelta(seconds=60)
    async with async_restarted(home.entry) as (restarted, again):
        assert await restarted.config_entries.async_setup(again.entry_id)
        await restarted.async_block_till_done()
        for _ in range(4):
            await async_advance(restarted, home.freezer, 15)
        assert home.commands() == [
            (START, *TURN_OFF),
            (START + timedelta(seconds=10), *TURN_OFF),
            (restarted_at, *TURN_OFF),
        ]
        assert home.stored()["off_repeat"] is None
        assert sensor(restarted, again, "polling_mode") == "in_window"


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir()
    path.write_bytes(content)


def _names(directory: Path) -> list[str]:
    return [path.name for path in directory.iterdir()]


# Files that are not JSON at all are set aside by Home Assistant (``.corrupt.<time>``), which
# logs an error and raises a repair issue; the others are read, and the integration warns.
NOT_JSON = ("truncated", "empty", "binary")


@pytest.mark.parametrize(
    "content",
    [
        b'{"version": 1, "minor_version": 1, "key": "k", "data": {"version": 1, "assumed_po',
        b"",
        b"\x00\xff\xfe garbage \x89PNG\r\n",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"version": 1, "minor_version": 1, "key": "k", "data": [1, 2]}',
        b'{"version": 1, "minor_version": 1, "key": "k"}',
        b'{"version": 7, "minor_version": 1, "key": "k", "data": {}}',
        b'{"version": 1, "minor_version": 1, "key": "k", "data": {"version": 1, '
        b'"assumed_power": "yes", "off_repeat": {"remaining": 99}, "quota": 12}}',
    ],
    ids=[
        "truncated",
        "empty",
        "binary",
        "a-list",
        "a-string",
        "data-not-an-object",
        "no-data",
        "unknown-version",
        "wrong-types",
    ],
)
async def test_corrupt_state_file_starts_afresh_with_a_warning(
    home: Home,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
    content: bytes,
) -> None:
    home.hass.config.config_dir = str(tmp_path)
    state_file = Path(home.hass.config.path(".storage", storage_key(ROOM_ID)))
    _write(state_file, content)

    with patch.object(Store, "_async_load", REAL_STORE_LOAD):
        await home.set_up(COLD)
    assert home.entry.state is ConfigEntryState.LOADED
    if request.node.callspec.id in NOT_JSON:
        assert f"Unrecoverable error decoding storage {state_file.name}" in caplog.text
        assert [name.split(".corrupt.")[0] for name in _names(state_file.parent)] == [
            state_file.name
        ]
    else:
        assert "Stored automation state" in caplog.text
    assert home.sensor("last_outcome") == "winter_on"  # a fresh state regulates
    assert [command for _, command, _ in home.commands()] == ["setAll"]
    state = home.stored()
    assert (state["assumed_power"], state["off_repeat"]) == (True, None)


def _state(**fields: Any) -> dict[str, Any]:
    """A stored document holding ``fields`` (as an old or hand-edited file might)."""
    return {"version": 1, "minor_version": 1, "data": {"version": 1, **fields}}


NOW = START.isoformat()
REPEAT = {"remaining": 2, "interval_seconds": 10, "reason": "winter_off", "action": "off"}
HEATING = {"assumed_power": True, "assumed_parameter": "21,5,3,on", "last_action": "on"}


@pytest.mark.parametrize(
    ("document", "room", "sent"),
    [
        pytest.param(
            _state(last_reading={"temperature": 10**400, "humidity": 1, "read_at": None}),
            COLD,
            [HEAT_ON],
            id="reading-no-float-can-hold",
        ),
        pytest.param(
            _state(off_repeat={**REPEAT, "interval_seconds": 10**30, "next_run_at": NOW}),
            WARM,
            [TURN_OFF],  # decided: the AC's state is unknown
            id="repeat-interval-huge",
        ),
        pytest.param(
            _state(off_repeat={**REPEAT, "remaining": 10**6, "next_run_at": NOW}),
            WARM,
            [TURN_OFF],
            id="repeat-count-huge",
        ),
        pytest.param(
            _state(
                **HEATING,
                off_repeat={**REPEAT, "remaining": 1, "next_run_at": "9999-12-31T00:00:00"},
            ),
            WARM,
            [TURN_OFF],
            id="repeat-due-in-year-9999",
        ),
        pytest.param(
            _state(quota={"day": "2026-01-15", "calls": 5, "exhausted_until": "9999-01-01"}),
            COLD,
            [HEAT_ON],
            id="daily-limit-until-year-9999",
        ),
        pytest.param(
            _state(
                last_action_at="0001-01-01T00:00:00+14:00",
                last_tick="9999-12-31T23:59:59-14:00",
            ),
            COLD,
            [HEAT_ON],
            id="instants-without-a-utc-date",
        ),
        pytest.param(
            _state(**HEATING, last_action_at="9999-12-31T00:00:00+00:00"),
            WARM,
            [TURN_OFF],
            id="last-action-in-year-9999",
        ),
        pytest.param(
            _state(quota={"day": "9999-12-31", "calls": 10**30}, last_tick=10**400),
            COLD,
            [HEAT_ON],
            id="quota-of-another-day",
        ),
    ],
)
async def test_implausible_stored_state_never_stops_the_automation(
    home: Home,
    caplog: pytest.LogCaptureFixture,
    document: dict[str, Any],
    room: float,
    sent: list[tuple[str, str]],
) -> None:
    """Values no run could have written: set-up succeeds, the tick regulates, then saves.

    The command at set-up saves the state at once; the ticks that change nothing essential
    after it are saved with the next periodic write, ``SAVE_INTERVAL`` later.
    """
    home.storage[storage_key(ROOM_ID)] = document
    await home.set_up(room)
    assert home.entry.state is ConfigEntryState.LOADED
    assert [(command, parameter) for _, command, parameter in home.commands()] == sent
    assert home.stored()["last_tick"] == START.isoformat()
    for _ in range(3):
        await home.advance(15)
    assert "Tick failed" not in caplog.text
    assert [(command, parameter) for _, command, parameter in home.commands()] == sent
    assert home.sensor("last_tick") == (START + timedelta(seconds=45)).isoformat()
    assert home.stored()["last_tick"] == START.isoformat()
    saved_at = START + SAVE_INTERVAL
    for _ in range(int(SAVE_INTERVAL.total_seconds()) // 15 - 3):
        await home.advance(15)
    assert home.sensor("last_tick") == saved_at.isoformat()
    assert home.stored()["last_tick"] == saved_at.isoformat()
    assert [(command, parameter) for _, command, parameter in home.commands()] == sent
