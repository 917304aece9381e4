#!/usr/bin/env python3
"""Time the automation engine without I/O: one decision, one whole tick, one interval.

Run from the repository root: ``.venv/bin/python scripts/bench_engine``. Each case is timed
with ``timeit`` (``--repeat`` runs of ``--number`` calls); the median and 95th percentile of
the per-call time are printed. The target is under 200 µs per decision.

The tick uses an in-memory port that returns at once, so its coroutine finishes on its first
step: it is driven directly, without an event loop, to time the engine and not asyncio.
"""

import argparse
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path
import statistics
import sys
import timeit
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.switchbot_automation.engine.automation_state import AutomationState
from custom_components.switchbot_automation.engine.decision import decide
from custom_components.switchbot_automation.engine.polling import compute_interval
from custom_components.switchbot_automation.engine.port import Reading
from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_SETTINGS,
    AirconScenes,
    TimeWindow,
)
from custom_components.switchbot_automation.engine.tick import run_tick

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = replace(
    DEFAULT_SETTINGS,
    meter_device_id="meter",
    aircon_device_id="ac",
    aircon_scenes=AirconScenes(winter="heat"),
    time_windows=(
        TimeWindow((0, 1, 2, 3, 4), time(7), time(9)),
        TimeWindow((0, 1, 2, 3, 4), time(17), time(23)),
        TimeWindow((5, 6), time(22), time(2)),
    ),
)
IN_WINDOW = datetime(2026, 3, 4, 18, tzinfo=PARIS).astimezone(UTC)  # Wednesday 18:00
IDLE = datetime(2026, 3, 28, 10, tzinfo=PARIS).astimezone(UTC)  # Saturday, before the change
HEATING = AutomationState(assumed_power=True, assumed_parameter="21,5,3,on")


class InstantCloud:
    """A port that answers at once, without I/O."""

    def __init__(self, temperature: float) -> None:
        self._reading = Reading(temperature, 40.0)

    async def async_get_meter_reading(self, device_id: str) -> Reading:
        return self._reading

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        return {}

    async def async_send_command(
        self,
        device_id: str,
        command: str,
        parameter: str = "default",
        command_type: str = "command",
    ) -> None:
        return None

    async def async_execute_scene(self, scene_id: str) -> None:
        return None


def run_now[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends; fail loudly if it does."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the coroutine suspended: the port is not instant")


def measure(name: str, call: Callable[[], object], number: int, repeat: int) -> float:
    """Print and return the median per-call time of ``call`` in microseconds."""
    runs = timeit.Timer(call).repeat(repeat=repeat, number=number)
    per_call = sorted(run / number * 1e6 for run in runs)
    median = statistics.median(per_call)
    p95 = per_call[min(len(per_call) - 1, round(0.95 * (len(per_call) - 1)))]
    print(f"{name:<54} median {median:8.2f} µs   p95 {p95:8.2f} µs")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=200, help="calls per run")
    parser.add_argument("--repeat", type=int, default=100, help="runs")
    args = parser.parse_args()
    number, repeat = args.number, args.repeat

    heat = InstantCloud(17.0)
    neutral = InstantCloud(20.5)
    cases: dict[str, Callable[[], object]] = {
        "decide (in window, no action)": lambda: decide(
            SETTINGS, HEATING, IN_WINDOW, in_window=True, temperature=20.5
        ),
        "decide (in window, already on)": lambda: decide(
            SETTINGS, HEATING, IN_WINDOW, in_window=True, temperature=17.0
        ),
        "run_tick (in window, no action)": lambda: run_now(
            run_tick(SETTINGS, HEATING, IN_WINDOW, neutral, PARIS)
        ),
        "run_tick (in window, ON by scene)": lambda: run_now(
            run_tick(SETTINGS, AutomationState(), IN_WINDOW, heat, PARIS)
        ),
        "compute_interval (in window)": lambda: compute_interval(
            SETTINGS, HEATING, IN_WINDOW, PARIS
        ),
        "compute_interval (idle, window ending in the DST gap)": lambda: compute_interval(
            SETTINGS, HEATING, IDLE, PARIS
        ),
    }
    print(f"{number} calls x {repeat} runs per case, Python {sys.version.split()[0]}")
    decision_times = [measure(name, call, number, repeat) for name, call in cases.items()]
    worst_decision = max(decision_times[:4])
    verdict = "OK" if worst_decision < 200 else "ABOVE TARGET"
    print(f"slowest decision or tick: {worst_decision:.2f} µs (target < 200 µs): {verdict}")
    return 0 if worst_decision < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
