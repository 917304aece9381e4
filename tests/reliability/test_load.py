"""A thousand ticks: the integration's memory does not grow, the stored state stays small.

``scripts/bench_load`` runs a whole week and prints the figures; this is its short form,
with generous bounds and no timing: a leak of a few hundred bytes a tick would fail it.
What stays allocated after the first 500 ticks levels off within 300 more (about 70 kB on
either Home Assistant version); 500 ticks under ``tracemalloc`` (the costly part) and a bound
of 128 kB catch a leak of 120 bytes a tick, as 1500 ticks and 256 kB did.
"""

import asyncio
import gc
import json
import logging
import tracemalloc
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.store import storage_key
from switchbot_sim import SwitchBotSimulator, daily_sine
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, async_advance, async_setup_with

from .support import STEADY_POLLING, sensor

TICKS: Final = 1000
BASELINE: Final = 500
WHOLE_WEEK: Final = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59:59"}
MAX_GROWTH: Final = 128 * 1024
"""Bytes still held at the end that were allocated after the baseline tick."""
MAX_STORED: Final = 2048
"""Bytes of the stored state, as Home Assistant writes it (indented JSON)."""


def _forget_records(simulator: SwitchBotSimulator) -> None:
    """Drop what grows by design and is not the integration's.

    The simulator records every request and command; the in-memory storage of the test
    plugin is a mock that remembers every call.
    """
    simulator.requests.clear()
    simulator.account.commands.clear()
    simulator.account.scene_runs.clear()
    Store._async_write_data.reset_mock()  # type: ignore[attr-defined]
    Store._async_load.reset_mock()  # type: ignore[attr-defined]


# Ten seconds of ticks over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
async def test_memory_and_stored_state_stay_bounded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    simulator.room.outdoor = daily_sine(8.0, 5.0)
    simulator.room.temperature = 19.0
    await async_setup_with(
        hass, entry, **STEADY_POLLING, time_windows=[WHOLE_WEEK], off_repeat_count=3
    )
    largest = 0
    growth = 0
    # Log records would pile up in pytest's log capture, not in the integration: those below
    # WARNING, and the event loop's debug warnings about slow steps (moving the frozen clock
    # 15 s makes the test's own step look 15 s long). The loop runs without its debug mode,
    # as in production: it keeps a traceback for every callback, which only slows the run.
    logging.disable(logging.INFO)
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    loop.set_debug(False)
    try:
        for tick in range(1, TICKS + 1):
            await async_advance(hass, freezer, 15)
            _forget_records(simulator)
            document = hass_storage[storage_key(ROOM_ID)]
            largest = max(largest, len(json.dumps(document, indent=2)))
            if tick == BASELINE:
                gc.collect()
                tracemalloc.start()
            elif tick == TICKS:
                gc.collect()
                growth = tracemalloc.get_traced_memory()[0]
                tracemalloc.stop()
    finally:
        logging.disable(logging.NOTSET)
        loop.set_debug(debug)
        tracemalloc.stop()

    assert sensor(hass, entry, "last_tick") == START.replace(hour=10, minute=40).isoformat()
    assert 0 < growth < MAX_GROWTH
    assert largest < MAX_STORED
