#!/usr/bin/env python3
"""A simulated week of ticks through the real coordinator: speed, memory and stored size.

Run from the repository root: ``.venv/bin/python scripts/bench_load``. Home Assistant's test
harness runs outside pytest: a test instance of Home Assistant, the storage kept in memory,
freezegun's clock moved 15 s at a time and the timers fired as the tests fire them. The
integration ticks against the in-process SwitchBot Cloud simulator over real HTTP, in a room
whose temperature follows a daily sine and the AC, with one window covering the whole week
and the quota savings off: a tick every 15 s, about 40,000 in a week.

Printed: ticks per second (wall clock, with ``tracemalloc`` running unless ``--fast``), the
peak of traced memory, its growth between tick ``--baseline`` and the last tick (what
``tracemalloc`` still holds, so a leak shows as growth proportional to the ticks), the
biggest growths by source line, and the size of the stored state (the JSON document Home
Assistant writes to ``.storage``). The simulator's own records (requests, commands) are
cleared as they come: they grow by design, and this measures the integration.
"""

# The test plugin's time patches must be imported before Home Assistant's helpers.
import argparse
import asyncio
from datetime import UTC, datetime, timedelta
import gc
import json
import logging
from pathlib import Path
import sys
import tempfile
import tracemalloc
from typing import Any
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pytest_homeassistant_custom_component import patch_time  # isort: skip

from aiohttp.resolver import AsyncResolver
import freezegun
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
    mock_storage,
)

from custom_components.switchbot_automation.account import account_unique_id
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine.settings import default_options
from custom_components.switchbot_automation.store import storage_key
from switchbot_sim import AC_REMOTE_ID, METER_ID, SwitchBotSimulator, daily_sine

START = datetime(2026, 1, 12, tzinfo=UTC)  # a Monday
TICK_SECONDS = 15
WEEK_TICKS = 7 * 24 * 3600 // TICK_SECONDS
WHOLE_WEEK = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59:59"}


def _wall_clock() -> float:
    """Real seconds: freezegun's saved ``perf_counter``, read where freezegun leaves it.

    (A module global bound to the real function would be replaced by the frozen one.)
    """
    return freezegun.api.real_perf_counter()  # type: ignore[attr-defined,no-any-return]


def _use_frozen_time() -> None:
    """Apply the test plugin's freezegun classes, as its ``pytest_runtest_setup`` does."""
    freezegun.api.FakeDate = patch_time.HAFakeDate  # type: ignore[attr-defined]
    freezegun.api.datetime_to_fakedatetime = patch_time.ha_datetime_to_fakedatetime  # type: ignore[attr-defined]
    freezegun.api.FakeDatetime = patch_time.HAFakeDatetime  # type: ignore[attr-defined]


def _options() -> dict[str, Any]:
    return {
        **default_options(),
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        # A window from 00:00 to 23:59:59 every day: regulating all week, the base interval.
        "time_windows": [WHOLE_WEEK],
        "timezone": "Europe/Paris",
        "off_repeat_count": 3,
        # The quota savings off (ignored if unknown): a tick and a reading every 15 s.
        "max_temperature_rate": 0,
        "idle_read_interval_seconds": 0,
        "daily_call_budget": 0,
    }


def _stored_bytes(storage: dict[str, Any], entry_id: str) -> int:
    """The size of the state file as Home Assistant writes it (JSON, indented by 2)."""
    return len(json.dumps(storage[storage_key(entry_id)], indent=2).encode())


class Probe:
    """Traced memory at the baseline tick and at the last one."""

    def __init__(self, baseline: int, last: int) -> None:
        self.ticks = {baseline: "baseline", last: "end"}
        self.snapshots: dict[str, tracemalloc.Snapshot] = {}
        self.current: dict[str, int] = {}
        self.peak = 0

    def at(self, tick: int) -> None:
        if (name := self.ticks.get(tick)) is None or not tracemalloc.is_tracing():
            return
        gc.collect()
        self.snapshots[name] = tracemalloc.take_snapshot()
        self.current[name], self.peak = tracemalloc.get_traced_memory()


async def _run(ticks: int, probe: Probe, progress: int) -> dict[str, Any]:
    resolver = AsyncResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    with (
        freezegun.freeze_time(START) as frozen,
        mock_storage() as storage,
        tempfile.TemporaryDirectory() as config_dir,
        # As the test plugin does: no zeroconf (the simulator is at 127.0.0.1).
        patch(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            return_value=resolver,
        ),
    ):
        async with SwitchBotSimulator(clock=dt_util.utcnow) as sim:
            sim.room.outdoor = daily_sine(8.0, 5.0)
            sim.room.temperature = 19.0
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                frame.async_setup(hass)
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
                entry = MockConfigEntry(
                    domain=DOMAIN,
                    title="Load",
                    data={"token": sim.token, "secret": sim.secret, "api_url": sim.url},
                    options=_options(),
                    unique_id=account_unique_id(sim.token),
                )
                entry.add_to_hass(hass)
                assert await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
                stats = await _tick(
                    hass, frozen, sim, entry, ticks=ticks, probe=probe, progress=progress
                )
                stats["stored_bytes"] = _stored_bytes(storage, entry.entry_id)
                stats["stored_state"] = storage[storage_key(entry.entry_id)]["data"]
                await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_stop(force=True)
    return stats


async def _tick(
    hass: HomeAssistant,
    frozen: Any,
    sim: SwitchBotSimulator,
    entry: MockConfigEntry,
    *,
    ticks: int,
    probe: Probe,
    progress: int,
) -> dict[str, Any]:
    (coordinator,) = entry.runtime_data.rooms.values()
    commands = 0
    requests = 0
    largest = 0
    started = _wall_clock()
    for tick in range(1, ticks + 1):
        frozen.tick(timedelta(seconds=TICK_SECONDS))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        commands += len(sim.account.commands)
        requests += len(sim.requests)
        # Records that grow by design and are not the integration's: the simulator's, and
        # the calls the in-memory storage's mocks remember.
        sim.requests.clear()
        sim.account.commands.clear()
        sim.account.scene_runs.clear()
        Store._async_write_data.reset_mock()  # type: ignore[attr-defined]  # noqa: SLF001
        Store._async_load.reset_mock()  # type: ignore[attr-defined]  # noqa: SLF001
        largest = max(largest, len(json.dumps(coordinator.state.to_dict())))
        probe.at(tick)
        if progress and tick % progress == 0:
            rate = tick / (_wall_clock() - started)
            print(f"  tick {tick:>6}  {rate:7.1f} ticks/s", flush=True)
    elapsed = _wall_clock() - started
    last_tick = coordinator.state.last_tick
    assert last_tick is not None
    return {
        "ticks": ticks,
        "elapsed": elapsed,
        "commands": commands,
        "requests": requests,
        "simulated": last_tick - START,
        "largest_state": largest,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=WEEK_TICKS, help="ticks to run")
    parser.add_argument(
        "--baseline", type=int, default=10_000, help="tick from which memory growth is measured"
    )
    parser.add_argument("--fast", action="store_true", help="no tracemalloc: speed only")
    parser.add_argument(
        "--frames", type=int, default=1, help="frames tracemalloc keeps per allocation"
    )
    parser.add_argument("--progress", type=int, default=5000, help="print every N ticks")
    args = parser.parse_args()
    baseline = min(args.baseline, args.ticks)

    logging.basicConfig(level=logging.WARNING)
    _use_frozen_time()
    if not args.fast:
        tracemalloc.start(args.frames)
    probe = Probe(baseline, args.ticks)
    stats = asyncio.run(_run(args.ticks, probe, args.progress))

    print(
        f"{stats['ticks']} ticks ({stats['simulated']} simulated) in {stats['elapsed']:.1f} s:"
        f" {stats['ticks'] / stats['elapsed']:.0f} ticks/s"
        f"{'' if args.fast else ' (tracemalloc on)'}"
    )
    days = stats["simulated"].total_seconds() / 86400
    print(
        f"requests: {stats['requests']} ({stats['requests'] / days:.0f} a day), "
        f"commands sent: {stats['commands']}"
    )
    print(
        f"stored state: {stats['stored_bytes']} bytes (largest state seen: "
        f"{stats['largest_state']} bytes of compact JSON)"
    )
    if args.fast:
        return 0
    tracemalloc.stop()
    at_baseline, at_end = probe.current["baseline"], probe.current["end"]
    growth = at_end - at_baseline
    span = stats["ticks"] - baseline
    print(
        f"traced memory: peak {probe.peak / 1e6:.2f} MB, at tick {baseline} "
        f"{at_baseline / 1e6:.2f} MB, at tick {stats['ticks']} {at_end / 1e6:.2f} MB"
    )
    print(
        f"growth over the last {span} ticks: {growth / 1e3:+.1f} kB "
        f"({growth / max(span, 1):+.2f} bytes a tick)"
    )
    print("largest growths by source line:")
    differences = probe.snapshots["end"].compare_to(probe.snapshots["baseline"], "lineno")
    for difference in differences[:5]:
        print(f"  {difference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
