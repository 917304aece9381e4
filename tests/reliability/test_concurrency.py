"""Ticks that overlap: a hundred manual ticks while a slow tick runs (one tick at a time, one
command in all), and a slow tick while the entry is removed, reloaded or unloaded."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from homeassistant.const import STATE_ON
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.switchbot_automation import coordinator as coordinator_module
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.tick_lock import TICK_LOCKS
from switchbot_sim import Fault
from tests.integration_support import START, Home

from .support import COLD, COMMAND_PATH, STATUS_PATH, async_spin_until

CALLS = 100


class TickProbe:
    """Wraps ``run_tick``: counts the ticks running at once, and the most ever."""

    def __init__(self, run_tick: Callable[..., Awaitable[Any]]) -> None:
        self._run_tick = run_tick
        self.running = 0
        self.most = 0
        self.ticks = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.running += 1
        self.most = max(self.most, self.running)
        self.ticks += 1
        try:
            return await self._run_tick(*args, **kwargs)
        finally:
            self.running -= 1


async def test_manual_ticks_during_a_slow_tick_are_serialized(home: Home) -> None:
    probe = TickProbe(coordinator_module.run_tick)
    events = async_capture_events(home.hass, f"{DOMAIN}_command")
    with patch.object(coordinator_module, "run_tick", probe):
        await home.set_up(20.5, command_cooldown_seconds=60)
        home.set_room(COLD)
        home.simulator.inject(Fault.delayed(5), path=COMMAND_PATH)  # the ON takes 5 s

        home.freezer.tick(15)
        async_fire_time_changed(home.hass)  # the scheduled tick decides ON and sends it
        await async_spin_until(lambda: bool(home.requests_at(COMMAND_PATH, "POST")))
        calls = [
            home.hass.async_create_task(
                home.hass.services.async_call(
                    DOMAIN, "run_tick", {"config_entry_id": home.entry.entry_id}, blocking=True
                )
            )
            for _ in range(CALLS)
        ]
        try:
            for _ in range(1000):
                await asyncio.sleep(0)
            running = probe.running
            waiting = sum(not call.done() for call in calls)
            reads = len(home.requests_at(STATUS_PATH))
        finally:
            home.freezer.tick(5)
            async_fire_time_changed(home.hass)  # the ON is answered
            await asyncio.gather(*calls)
            await home.hass.async_block_till_done(wait_background_tasks=True)
    assert (running, waiting, reads) == (1, CALLS, 2)  # all wait for the slow tick

    assert probe.most == 1
    assert probe.ticks == 1 + 1 + CALLS  # set-up, the slow one, the manual ones
    assert [(command, parameter) for _, command, parameter in home.commands()] == [
        ("setAll", "21,5,3,on")
    ]
    assert len(events) == 1
    assert len(home.requests_at(COMMAND_PATH, "POST")) == 1
    assert len(home.requests_at(STATUS_PATH)) == 2 + CALLS
    assert home.sensor("last_outcome") == "cooldown"
    state = home.stored()
    assert (state["assumed_power"], state["last_action_at"]) == (
        True,
        (START + timedelta(seconds=15)).isoformat(),
    )

    # The schedule goes on from the last manual tick, once.
    reads = len(home.requests_at(STATUS_PATH))
    await home.advance(15)
    assert len(home.requests_at(STATUS_PATH)) == reads + 1


SLOW = 8
"""Seconds each request of the slow tick takes: its read and its command together outlast
the ten seconds an unload waits for the entry's tasks."""


async def _start_a_slow_on(home: Home) -> None:
    """Set up, then start a tick that reads and sends an ON slowly (2 x ``SLOW`` s)."""
    await home.set_up(20.5)
    home.set_room(COLD)
    home.simulator.inject(Fault.delayed(SLOW), path=STATUS_PATH)
    home.simulator.inject(Fault.delayed(SLOW), path=COMMAND_PATH)
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)
    await async_spin_until(lambda: len(home.requests_at(STATUS_PATH)) == 2)


async def _run_seconds(home: Home, seconds: int) -> None:
    """Let ``seconds`` pass one at a time, running what falls due."""
    for _ in range(seconds):
        home.freezer.tick(1)
        async_fire_time_changed(home.hass)
        for _ in range(50):
            await asyncio.sleep(0)


async def test_removal_during_a_slow_tick_leaves_nothing_behind(home: Home) -> None:
    """The tick outlasts the unload; the removal deletes the state after its last save."""
    await _start_a_slow_on(home)
    removal = home.hass.async_create_task(
        home.hass.config_entries.async_remove(home.entry.entry_id)
    )
    await _run_seconds(home, 3 * SLOW)
    assert (await removal)["require_restart"] is False
    await home.hass.async_block_till_done(wait_background_tasks=True)

    assert [command for _, command, _ in home.commands()] == ["setAll"]
    assert f"{DOMAIN}.{home.entry.entry_id}" not in home.storage
    assert not [
        issue for issue in ir.async_get(home.hass).issues.values() if issue.domain == DOMAIN
    ]
    assert home.entry.entry_id not in home.hass.data[TICK_LOCKS]
    requests = len(home.simulator.requests)
    await home.advance(3600)
    assert len(home.simulator.requests) == requests


async def test_reload_during_a_slow_tick_keeps_its_command(home: Home) -> None:
    """The new coordinator starts from the state the old one's last tick saved, after it."""
    probe = TickProbe(coordinator_module.run_tick)
    with patch.object(coordinator_module, "run_tick", probe):
        await _start_a_slow_on(home)
        reload = home.hass.async_create_task(
            home.hass.config_entries.async_reload(home.entry.entry_id)
        )
        await _run_seconds(home, 3 * SLOW)
        assert await reload
        await home.hass.async_block_till_done(wait_background_tasks=True)
        await home.advance(15)

    assert probe.most == 1  # never two ticks at once, across the two coordinators
    assert [command for _, command, _ in home.commands()] == ["setAll"]
    assert home.stored()["assumed_power"] is True
    assert home.sensor("last_outcome") == "already_on"
    assert home.state("binary_sensor", "aircon_power") == STATE_ON


async def test_a_tick_waiting_when_the_entry_unloads_does_not_run(home: Home) -> None:
    """A manual tick queued behind a slow one is refused once the entry has unloaded."""
    await _start_a_slow_on(home)
    manual = home.hass.async_create_task(
        home.hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": home.entry.entry_id}, blocking=True
        )
    )
    for _ in range(100):
        await asyncio.sleep(0)
    unload = home.hass.async_create_task(home.hass.config_entries.async_unload(home.entry.entry_id))
    await _run_seconds(home, 3 * SLOW)
    assert await unload
    with pytest.raises(ServiceValidationError) as raised:
        await manual
    assert raised.value.translation_key == "entry_not_loaded"
    assert len(home.requests_at(STATUS_PATH)) == 2  # the set-up's and the slow tick's
