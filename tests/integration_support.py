"""Helpers of the integration tests: the clock, and entity look-ups by unique id.

A module driving the integration through time makes the simulator follow Home Assistant's
frozen clock from ``START`` by overriding the ``simulator_clock`` fixture::

    @pytest.fixture
    def simulator_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
        return follow_hass_clock(freezer)
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.switchbot_automation.const import DOMAIN

START = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)
"""Thursday 07:30 in Paris: inside the morning window of the ``entry_options`` fixture."""


def follow_hass_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
    """Freeze Home Assistant's clock at ``START`` and return it for the simulator to follow."""
    freezer.move_to(START)
    return dt_util.utcnow


async def async_advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the frozen clock ``seconds`` ahead and run what fell due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def async_advance_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, instant: datetime
) -> None:
    """Move the frozen clock to ``instant`` and run what fell due."""
    freezer.move_to(instant)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def entity_id(hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str) -> str:
    """Return the entity id of the entity with unique id ``{entry_id}_{key}``."""
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{entry.entry_id}_{key}")
    assert found is not None, f"no {platform} entity {key}"
    return found


def entity_state(hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str) -> State:
    """Return the state of the entity with unique id ``{entry_id}_{key}``."""
    state = hass.states.get(entity_id(hass, entry, platform, key))
    assert state is not None, f"{platform} {key} has no state"
    return state


async def async_setup_with(hass: HomeAssistant, entry: MockConfigEntry, **changes: Any) -> None:
    """Add ``entry`` with ``changes`` to its options, and set it up (first tick included)."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options={**entry.options, **changes})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
