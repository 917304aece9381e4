#!/usr/bin/env python3
"""Measure three fail-safe figures of the integration through a real Home Assistant instance.

Run from the repository root: ``.venv/bin/python scripts/bench_fail_safe`` (about a minute on
two cores), or ``--quick`` (one day, one hour of hub outage, one hour after the daily limit: a
smoke test; the test suite runs the functions below on such a shortened scenario). The
machinery is ``bench_quota``'s: the same instance, frozen clock, simulator, reference room
and options; nothing here asserts a timing.

1. **Store writes per day**: the reference week with the default options (``bench_quota``'s
   configuration (c)); the writes of the integration's state document
   (``Store.async_save`` of a ``switchbot_automation.*`` key) and the commands sent
   (accepted commands and scene runs), per local day. ``docs/behaviour.md`` ("Persistence")
   promises at most the commands plus 288 writes a day; checked here against commands + 300.
2. **Calls per hour while the hub refuses every command**: every POST answered statusCode 171
   ("hub offline"), the room at 17 °C (below 18.7 °C) inside Saturday's 08:00-23:30 window,
   from 08:00 for three hours; the requests the simulator received in each hour.
3. **Hours without any call after one daily-limit answer at 00:00:05 UTC**: the cloud's
   counter resets 30 s late (``reset_delay``) and the previous day's limit is reached, so a
   manual tick (the ``run_tick`` action's path) at 00:00:05 UTC is refused with HTTP 429;
   the run goes on until 06:00 UTC; the longest gap between consecutive requests from the
   refusal on, and when calls resumed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
import sys
from typing import Any, Final
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# bench_quota imports Home Assistant's test plugin first (freezegun, see there).
from scripts import bench_quota as quota  # isort: skip

from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from custom_components.switchbot_automation.engine.outcomes import Outcome
from switchbot_sim import Fault, SwitchBotSimulator

DEFAULTS: Final = next(config for config in quota.CONFIGS if config.key == "c")
STORE_PREFIX: Final = "switchbot_automation."
WRITES_MARGIN: Final = 300
HUB_OFFLINE_START: Final = quota.WEEK_START + timedelta(days=5, hours=8)  # Saturday 08:00
COLD_ROOM: Final = 17.0
QUOTA_START: Final = datetime(2026, 1, 12, 23, 0, tzinfo=UTC)  # Tuesday 00:00 in Paris
REFUSAL_AT: Final = datetime(2026, 1, 13, 0, 0, 5, tzinfo=UTC)
QUOTA_END: Final = datetime(2026, 1, 13, 6, 0, tzinfo=UTC)
RESET_DELAY: Final = timedelta(seconds=30)


# --- 1. Store writes per day ---------------------------------------------------------------


@dataclass(slots=True)
class WritesDay:
    """One local day: the state document's writes and the commands sent."""

    day: date
    writes: int = 0
    commands: int = 0

    @property
    def within(self) -> bool:
        """Whether the writes stay within the commands plus the margin."""
        return self.writes <= self.commands + WRITES_MARGIN


async def store_writes(days: int = 7, model: quota.RoomModel | None = None) -> list[WritesDay]:
    """Run the reference week's first ``days`` days with the defaults; figures per day."""
    model = model or quota.RoomModel()
    start = quota.WEEK_START
    end = start + timedelta(days=days)
    writes: list[datetime] = []
    original = Store.async_save

    async def counting_save(store: Store[Any], data: Any) -> None:
        if store.key.startswith(STORE_PREFIX):
            writes.append(dt_util.utcnow())
        await original(store, data)

    with patch.object(Store, "async_save", counting_save):
        async with quota.running_instance(DEFAULTS, start, model) as instance:
            await instance.advance_until(end)
    sim = instance.sim
    sent = [command.at for command in sim.commands_sent()]
    sent += [run.at for run in sim.account.scene_runs]
    result = {
        quota.local_day(start + timedelta(days=offset)): WritesDay(
            quota.local_day(start + timedelta(days=offset))
        )
        for offset in range(days)
    }
    for at in writes:
        if start <= at < end:
            result[quota.local_day(at)].writes += 1
    for at in sent:
        if start <= at < end:
            result[quota.local_day(at)].commands += 1
    return list(result.values())


def writes_lines(rows: Sequence[WritesDay]) -> list[str]:
    """Return the writes table, in Markdown."""
    lines = [
        f"| Day | Store writes | Commands | Writes <= commands + {WRITES_MARGIN} |",
        "|---|--:|--:|---|",
    ]
    lines += [
        f"| {row.day:%a %d} | {row.writes} | {row.commands} | {'yes' if row.within else 'NO'} |"
        for row in rows
    ]
    return lines


# --- 2. Calls per hour while the hub refuses every command --------------------------------


@dataclass(slots=True)
class HourCalls:
    """One hour of the outage: the requests received, reads and commands."""

    opens: datetime
    reads: int = 0
    commands: int = 0

    @property
    def calls(self) -> int:
        """Reads and commands."""
        return self.reads + self.commands


async def hub_offline_calls(hours: int = 3) -> list[HourCalls]:
    """Run ``hours`` hours with every POST refused as hub offline, the room too cold."""
    model = quota.RoomModel(initial=COLD_ROOM)
    start = HUB_OFFLINE_START
    end = start + timedelta(hours=hours)

    def hub_offline(sim: SwitchBotSimulator) -> None:
        sim.inject(Fault.status_code(171, "hub offline"), method="POST", times=None)

    async with quota.running_instance(DEFAULTS, start, model, hub_offline) as instance:
        await instance.advance_until(end)
    rows = [HourCalls(start + timedelta(hours=hour)) for hour in range(hours)]
    for request in instance.sim.requests:
        if start <= request.at < end:
            row = rows[int((request.at - start) / timedelta(hours=1))]
            if request.method == "GET":
                row.reads += 1
            else:
                row.commands += 1
    return rows


def hours_lines(rows: Sequence[HourCalls]) -> list[str]:
    """Return the calls of each hour of the outage, in Markdown."""
    lines = [
        "| Hour (Paris) | Calls | Reads (GET) | Commands (POST, refused) |",
        "|---|--:|--:|--:|",
    ]
    for row in rows:
        opens = row.opens.astimezone(quota.PARIS)
        closes = opens + timedelta(hours=1)
        lines.append(
            f"| {opens:%a %H:%M}-{closes:%H:%M} | {row.calls} | {row.reads} | {row.commands} |"
        )
    return lines


# --- 3. Hours without any call after one daily-limit answer -------------------------------


@dataclass(slots=True)
class QuotaGap:
    """What followed the refusal at ``refused_at``."""

    refused_at: datetime
    refused: bool
    paused_until: datetime | None
    requests: list[datetime] = field(default_factory=list)
    end: datetime = QUOTA_END

    @property
    def resumed_at(self) -> datetime | None:
        """The first request after the refused one (None: none before the end)."""
        return next((at for at in self.requests if at > self.refused_at), None)

    @property
    def longest_gap(self) -> timedelta:
        """The longest time between consecutive requests from the refusal on.

        With no request after the refusal, the time from it to the end.
        """
        after = [self.refused_at, *(at for at in self.requests if at > self.refused_at)]
        if len(after) == 1:
            return self.end - self.refused_at
        return max(later - earlier for earlier, later in pairwise(after))


async def quota_gap(end: datetime = QUOTA_END) -> QuotaGap:
    """Refuse a manual tick's call at 00:00:05 UTC as over the daily limit; run until ``end``."""
    reset_at = REFUSAL_AT.replace(second=0) + RESET_DELAY

    def late_reset(sim: SwitchBotSimulator) -> None:
        sim.account.reset_delay = RESET_DELAY

    async with quota.running_instance(
        DEFAULTS, QUOTA_START, quota.RoomModel(), late_reset
    ) as instance:
        sim = instance.sim
        coordinator = quota.only_room(instance.entry)
        await instance.advance_to(REFUSAL_AT)
        # The cloud still counts the previous day until 00:00:30: its limit is reached.
        made = sim.account.calls_today
        if made < 1:
            raise RuntimeError("no call before the refusal: the new day's limit would be 0")
        daily_limit = sim.account.daily_limit
        sim.account.daily_limit = made
        before = len(sim.requests)
        await coordinator.async_run_tick()
        await instance.hass.async_block_till_done(wait_background_tasks=True)
        refused = (
            len(sim.requests) > before and coordinator.state.last_outcome == Outcome.QUOTA_EXHAUSTED
        )
        paused_until = coordinator.state.quota.exhausted_until
        # After the late reset the new day counts from 0: its first calls pass under the old
        # limit, and the default one comes back before more than that could be made.
        await instance.advance_until(reset_at)
        sim.account.daily_limit = daily_limit
        await instance.advance_until(end)
    requests = [request.at for request in sim.requests if REFUSAL_AT <= request.at < end]
    return QuotaGap(REFUSAL_AT, refused, paused_until, requests, end)


def gap_lines(gap: QuotaGap) -> list[str]:
    """Return the figures after the daily-limit refusal, one line each."""
    resumed = gap.resumed_at
    paused = "-" if gap.paused_until is None else f"{gap.paused_until:%H:%M:%S} UTC"
    hours = gap.longest_gap / timedelta(hours=1)
    return [
        f"daily-limit answer at {gap.refused_at:%H:%M:%S} UTC:"
        f" {'refused' if gap.refused else 'NOT refused'}, calls paused until {paused}",
        f"longest gap between consecutive requests until {gap.end:%H:%M} UTC: {hours:.3f} h"
        f" ({gap.longest_gap.total_seconds():.0f} s)",
        "calls resumed at "
        + ("never" if resumed is None else f"{resumed:%H:%M:%S} UTC")
        + (
            ""
            if resumed is None
            else f", {(resumed - gap.refused_at) / timedelta(hours=1):.3f} h after the refusal"
        )
        + f"; {len(gap.requests)} request(s) from the refusal to {gap.end:%H:%M} UTC",
    ]


# --- Command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="one day, one hour of outage, one hour of quota"
    )
    options = parser.parse_args(argv)
    quota._quiet_logs()  # noqa: SLF001
    days, hours = (1, 1) if options.quick else (7, 3)
    end = REFUSAL_AT.replace(second=0) + timedelta(hours=1) if options.quick else QUOTA_END

    async def run() -> tuple[list[WritesDay], list[HourCalls], QuotaGap]:
        return await store_writes(days), await hub_offline_calls(hours), await quota_gap(end)

    real_start = quota.freezegun.api.real_perf_counter()
    writes, outage, gap = asyncio.run(run())
    print(f"1. Store writes per day, reference week from {quota.WEEK_START:%a %d %b %Y}, defaults")
    print("\n".join(writes_lines(writes)))
    print()
    print(f"2. Calls per hour, every command refused (171 hub offline), room at {COLD_ROOM} °C")
    print("\n".join(hours_lines(outage)))
    print()
    print("3. After one daily-limit answer (the cloud's reset 30 s late)")
    print("\n".join(gap_lines(gap)))
    print(f"runtime: {quota.freezegun.api.real_perf_counter() - real_start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
