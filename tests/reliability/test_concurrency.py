"""A hundred manual ticks while a slow tick runs: one tick at a time, one command in all."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.switchbot_automation import coordinator as coordinator_module
from custom_components.switchbot_automation.const import DOMAIN
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
