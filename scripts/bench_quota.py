#!/usr/bin/env python3
"""Measure the API calls and the reaction delays of the integration over a reference week.

Run from the repository root: ``.venv/bin/python scripts/bench_quota`` (a week, about a
minute and a half on two cores), ``--days N``, or ``--quick`` (one day, a smoke test; the
test suite runs it through ``run_benchmark``).

What runs is the real integration: Home Assistant's test harness in this process, a
``MockConfigEntry`` set up as in production, the coordinator's own timers fired one after
the other under a frozen clock (freezegun) that jumps to each one, and the SwitchBot Cloud
simulator on 127.0.0.1 in the same event loop, its clock following the frozen one. Its room
(``switchbot_sim.room``) is the reference room below. Three configurations go through the
same week and the same room:

- (a) fixed 15 s polling (``adaptive_polling_enabled`` off);
- (b) the original dashboard's adaptive polling (base 15 s, idle 600 s, warm-up 15 min,
  one meter read per tick): this integration with its quota savings switched off;
- (c) this integration's defaults;
- (d) this integration's defaults with a Home Assistant sensor entity as the thermometer
  (``temperature_entity_id``; the SwitchBot meter stays configured, as its fallback): the
  room's temperature reaches Home Assistant as a Bluetooth meter's does, its state written
  on each 0.1 °C change, looked at every ``SENSOR_PACE_SECONDS`` seconds, and an unchanged
  value re-reported every ``SENSOR_REREPORT_SECONDS`` (a Bluetooth meter advertises far
  more often). The ticks follow the entity's changes (polling mode ``on_change``).

The reference week: Europe/Paris, Monday 12 January 2026; windows Monday to Friday
06:30-08:30 and 17:30-23:00, Saturday and Sunday 08:00-23:30, and Friday 23:00-01:00 across
midnight; winter profile 19-22 °C, hysteresis 0.3 °C, so heating starts at 18.7 °C and
stops at 22.3 °C; the AC is turned off outside the windows. Outdoors, a daily sine between
2 and 10 °C (warmest at 15:00 UTC). The room drifts toward outdoors with a 6 h time
constant (about -0.04 °C/min in the band) and the heating adds 0.14 °C/min, so the room
warms at about 0.1 °C/min. The meter's sample reaches the cloud every 120 s
(``--report-interval``), as SwitchBot documents for a meter behind a hub, at 47 s past
each even minute (``--report-phase``; a phase unrelated to the windows, which start on whole
minutes): the cloud's value lags the room, for every configuration alike.

Measured, per local day and for the week:

- API calls: every request the simulator received, reads (GET) and commands (POST: the AC
  commands) separately;
- reaction delay: from the instant the room really crosses a threshold while the AC is in
  the wrong state (off at or below 18.7 °C, heating at or above 22.3 °C) inside a window, to
  the command that fixes it reaching the cloud. The crossing is found by replaying the
  room model second by second with the commands sent, the temperature at the meter's
  resolution (rounded to 0.1 °C, as the meter shows it); a room already past a threshold
  when a window starts counts under the window start instead;
- window start delay: from the start of a regulation period (windows back to back are one
  period) to the first tick inside it, the first decision;
- in band: the share of window time the room spends within [min - h, max + h] =
  [18.7, 22.3] °C, the band the automation keeps it in.

``--rooms`` runs four rooms on one account instead (one entry, four room subentries, each
with its own meter and AC in the simulator, ``ACCOUNT_ROOMS``): the reference week's windows
shifted by 0 to 3 hours, heat rates and insulation of their own, and every OFF sent twice.
It prints the calls per local day of each room (a request belongs to the room of its device;
the device list is the account's), each room's reactions, window starts and time in band,
whether each room sent the same commands as without a budget, then a day under a too-small
``daily_call_budget`` (``SMALL_BUDGET``): the account's calls of each UTC day against it,
and, per room, the window starts served by a tick within 15 s, the window-end OFFs and
their repeats sent within 120 s, the in-window ticks with a reading too old and the
``stale_reading_off`` outcomes (none expected: no fault is injected).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
import logging
from pathlib import Path
import re
import statistics
import sys
import time as time_module
from typing import Any, Final
from unittest.mock import patch
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Home Assistant's test plugin makes ``dt_util.utcnow`` patchable by freezegun: this import
# comes before anything else of Home Assistant.
from pytest_homeassistant_custom_component import patch_time  # isort: skip

import aiohttp
import freezegun
from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.helpers.event import RANDOM_MICROSECOND_MAX
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
    mock_storage,
)

from custom_components.switchbot_automation.account import account_unique_id
from custom_components.switchbot_automation.const import DOMAIN, SUBENTRY_ROOM
from custom_components.switchbot_automation.coordinator import RoomCoordinator
from custom_components.switchbot_automation.engine import account_options, room_options
from custom_components.switchbot_automation.engine.settings import default_options
from switchbot_sim import (
    AC_REMOTE_ID,
    METER_ID,
    Room,
    SentCommand,
    SimClock,
    SwitchBotSimulator,
    daily_sine,
)
from switchbot_sim.account import VirtualAccount

_MONOTONIC_RESOLUTION: Final = time_module.get_clock_info("monotonic").resolution
PARIS: Final = ZoneInfo("Europe/Paris")
WEEK_START: Final = datetime(2026, 1, 12, tzinfo=PARIS)  # a Monday, far from DST changes
WEEKDAYS: Final = (0, 1, 2, 3, 4)
WEEKEND: Final = (5, 6)
WINDOWS: Final[tuple[dict[str, Any], ...]] = (
    {"days": list(WEEKDAYS), "start": "06:30", "end": "08:30"},
    {"days": list(WEEKDAYS), "start": "17:30", "end": "23:00"},
    {"days": list(WEEKEND), "start": "08:00", "end": "23:30"},
    {"days": [4], "start": "23:00", "end": "01:00"},
)
MIN_TEMP: Final = 19.0
MAX_TEMP: Final = 22.0
WINTER: Final = {
    "min_temp": MIN_TEMP,
    "max_temp": MAX_TEMP,
    "target_temp": 21.0,
    "ac_mode": 5,
    "fan_speed": 3,
}
HYSTERESIS: Final = 0.3
LOW: Final = round(MIN_TEMP - HYSTERESIS, 1)
HIGH: Final = round(MAX_TEMP + HYSTERESIS, 1)
BASE_SECONDS: Final = 15
SAMPLE: Final = timedelta(seconds=1)
TARGET_RATIO: Final = 0.25
SENSOR_TARGET_RATIO: Final = 0.02
SENSOR_TARGET_REACTION: Final = 20
SENSOR_ENTITY: Final = "sensor.living_room_temperature"
SENSOR_PACE_SECONDS: Final = 5
SENSOR_REREPORT_SECONDS: Final = 60
SENSOR_ATTRIBUTES: Final = {"unit_of_measurement": "°C", "device_class": "temperature"}
TIMER_OFFSET: Final = 250_000  # microseconds

SEED_POLLING: Final = {
    "max_temperature_rate": 0.0,
    "idle_read_interval_seconds": 0,
    "daily_call_budget": 0,
}


@dataclass(frozen=True, slots=True)
class RoomModel:
    """The reference room (module docstring)."""

    initial: float = 19.0
    outdoor_mean: float = 6.0
    outdoor_amplitude: float = 4.0
    time_constant: float = 6 * 3600.0
    ac_rate: float = 0.14
    report_interval: float = 120.0
    report_phase: float = 47.0

    def apply(self, room: Room, *, live: bool = False) -> None:
        """Give ``room`` this model; ``live`` reports every change (the replay's truth)."""
        room.temperature = self.initial
        room.outdoor = daily_sine(self.outdoor_mean, self.outdoor_amplitude)
        room.time_constant = self.time_constant
        room.ac_rate = self.ac_rate
        room.report_interval = 0.0 if live else self.report_interval
        room.report_phase = self.report_phase


@dataclass(frozen=True, slots=True)
class Config:
    """One configuration of the comparison: its letter, name and options over the common."""

    key: str
    name: str
    options: Mapping[str, Any]


CONFIGS: Final = (
    Config(
        "a",
        "fixed 15 s",
        {**SEED_POLLING, "adaptive_polling_enabled": False, "poll_interval_seconds": 15},
    ),
    Config(
        "b",
        "seed adaptive",
        {
            **SEED_POLLING,
            "adaptive_polling_enabled": True,
            "poll_interval_seconds": 15,
            "idle_poll_interval_seconds": 600,
            "poll_warmup_minutes": 15,
        },
    ),
    Config("c", "new defaults", {}),
)
MAIN_KEYS: Final = tuple(config.key for config in CONFIGS)
SENSOR_CONFIG: Final = Config("d", "sensor entity", {"temperature_entity_id": SENSOR_ENTITY})

# Variants of (c), each with one thing changed (``--explore``): the evidence for the defaults.
EXPLORED: Final = (
    Config("c1", "(c) with max_temperature_rate 0.1", {"max_temperature_rate": 0.1}),
    Config("c2", "(c) with max_temperature_rate 0.3", {"max_temperature_rate": 0.3}),
    Config(
        "c3",
        "(c) ignoring the cloud lag (meter_update_interval_seconds 0)",
        {
            "meter_update_interval_seconds": 0,
        },
    ),
    Config(
        "c4",
        "(c) with max_window_poll_interval_seconds 1800",
        {
            "max_window_poll_interval_seconds": 1800,
        },
    ),
    Config(
        "c5",
        "(c) never reading faster than the cloud updates (base 120 s)",
        {
            "poll_interval_seconds": 120,
        },
    ),
    Config(
        "c6",
        "(c) without stretching in windows (max_temperature_rate 0)",
        {
            "max_temperature_rate": 0.0,
        },
    ),
    Config(
        "c7",
        "(c) reading the meter at every idle tick (idle_read_interval_seconds 0)",
        {
            "idle_read_interval_seconds": 0,
        },
    ),
)


def entry_options(config: Config) -> dict[str, Any]:
    """Return the options of ``config``: the defaults, the reference week, its changes."""
    return {
        **default_options(),
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        "time_windows": [dict(window) for window in WINDOWS],
        "timezone": "Europe/Paris",
        "mode": "winter",
        "winter": dict(WINTER),
        "hysteresis_celsius": HYSTERESIS,
        # Heating left on after a window would run all night: the windows bound it.
        "turn_off_outside_windows": True,
        **config.options,
    }


# --- Running the integration ------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """What one configuration did: requests, accepted commands, ticks, and the time taken."""

    config: Config
    requests: list[tuple[datetime, str]] = field(default_factory=list)
    commands: list[SentCommand] = field(default_factory=list)
    ticks: list[tuple[datetime, bool]] = field(default_factory=list)
    wall_seconds: float = 0.0
    sensor_writes: int = 0


def _use_home_assistant_freezegun() -> None:
    """Let freezegun make the datetimes Home Assistant expects, as its test plugin does.

    Newer test plugins keep those classes in ``patch_time``, older ones in ``plugins``, which
    only pytest can import (it must be loaded before Home Assistant's recorder).
    """
    plugins = sys.modules.get("pytest_homeassistant_custom_component.plugins")
    sources = (patch_time,) if plugins is None else (patch_time, plugins)
    for name, target in (
        ("HAFakeDate", "FakeDate"),
        ("HAFakeDatetime", "FakeDatetime"),
        ("ha_datetime_to_fakedatetime", "datetime_to_fakedatetime"),
    ):
        value = next((getattr(source, name) for source in sources if hasattr(source, name)), None)
        if value is not None:
            setattr(freezegun.api, target, value)


def _quiet_logs() -> None:
    """Keep the console for the report: Home Assistant's info and warnings are not it."""
    for name in ("homeassistant", "custom_components", "aiohttp", "switchbot_sim"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _resolver() -> aiohttp.ThreadedResolver:
    """A resolver for Home Assistant's web session: its own needs a loaded ``network``."""
    resolver = aiohttp.ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    return resolver


def only_room(entry: MockConfigEntry) -> RoomCoordinator:
    """Return the coordinator of the entry's room (a benchmark's entry has one)."""
    (room,) = entry.runtime_data.rooms.values()
    return room


def seconds_to_next_tick(hass: HomeAssistant, entry: MockConfigEntry) -> float:
    """Return how many seconds ahead the next timer of the entry's rooms is due."""
    # A coordinator keeps its timer handle's ``cancel``: the handle says when it is due.
    handles: list[asyncio.TimerHandle] = [
        room._unsub_refresh.__self__  # noqa: SLF001
        for room in entry.runtime_data.rooms.values()
        if room._unsub_refresh is not None  # noqa: SLF001
    ]
    if not handles:
        raise RuntimeError("the coordinator has no tick scheduled")
    return max(0.0, min(handle.when() for handle in handles) - hass.loop.time())


def _run_due_timers(hass: HomeAssistant) -> None:
    """Run the event loop's timers that the frozen clock has reached, as they would run.

    The test harness's ``async_fire_time_changed`` does the same (timers due within half a
    second included, as it does), but patches Home Assistant's time trackers around each
    timer, which costs more than a tick: the runs have no time tracker (the coordinator, the
    store and the simulator use plain timers).
    """
    now = hass.loop.time() + RANDOM_MICROSECOND_MAX / 1_000_000 + _MONOTONIC_RESOLUTION
    for handle in list(hass.loop._scheduled):  # type: ignore[attr-defined]  # noqa: SLF001
        if not handle.cancelled() and handle.when() <= now:
            handle._run()  # noqa: SLF001
            handle.cancel()


async def _advance_to_next_tick(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """Jump the frozen clock to the coordinator's next timer and run what fell due."""
    frozen.tick(timedelta(seconds=seconds_to_next_tick(hass, entry)))
    _run_due_timers(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@dataclass(slots=True)
class Instance:
    """A running instance: Home Assistant, its frozen clock, the entry, the simulator."""

    hass: HomeAssistant
    frozen: FrozenDateTimeFactory
    entry: MockConfigEntry
    sim: SwitchBotSimulator
    sensor_writes: int = 0

    async def advance_until(self, end: datetime) -> None:
        """Run the coordinator's ticks one after the other until the clock reaches ``end``.

        The last tick may land past ``end``.
        """
        while dt_util.utcnow() < end:
            await _advance_to_next_tick(self.hass, self.frozen, self.entry)

    async def follow_room(self, end: datetime) -> None:
        """Run the ticks until ``end`` while the room's temperature reaches the sensor entity.

        Every ``SENSOR_PACE_SECONDS`` the room's temperature, at the meter's resolution, is
        written to ``SENSOR_ENTITY`` when it changed (a state change: a tick follows), or
        re-reported unchanged every ``SENSOR_REREPORT_SECONDS`` (no state change, only its
        report time). The coordinator's timers in between are run at their own instants.
        """
        pace = timedelta(seconds=SENSOR_PACE_SECONDS)
        rereport = timedelta(seconds=SENSOR_REREPORT_SECONDS)
        written, reported_at = self.write_sensor(None, dt_util.utcnow())
        next_sample = dt_util.utcnow() + pace
        while dt_util.utcnow() < end:
            due = dt_util.utcnow() + timedelta(seconds=seconds_to_next_tick(self.hass, self.entry))
            if due < next_sample:
                await _advance_to_next_tick(self.hass, self.frozen, self.entry)
                continue
            self.frozen.tick(max(timedelta(0), next_sample - dt_util.utcnow()))
            now = dt_util.utcnow()
            if round(self.sim.room.temperature, 1) != written or now - reported_at >= rereport:
                written, reported_at = self.write_sensor(written, now)
            async_fire_time_changed(self.hass)
            await self.hass.async_block_till_done(wait_background_tasks=True)
            next_sample += pace

    def write_sensor(self, written: float | None, now: datetime) -> tuple[float, datetime]:
        """Write the room's temperature to the sensor entity; return it and ``now``."""
        value = round(self.sim.room.temperature, 1)
        if value != written:
            self.sensor_writes += 1
        self.hass.states.async_set(SENSOR_ENTITY, str(value), SENSOR_ATTRIBUTES)
        return value, now

    async def advance_to(self, instant: datetime) -> None:
        """Run every tick due before ``instant``, then move the clock to ``instant`` exactly."""
        while (
            dt_util.utcnow() + timedelta(seconds=seconds_to_next_tick(self.hass, self.entry))
            < instant
        ):
            await _advance_to_next_tick(self.hass, self.frozen, self.entry)
        self.frozen.tick(max(timedelta(0), instant - dt_util.utcnow()))
        async_fire_time_changed(self.hass)
        await self.hass.async_block_till_done(wait_background_tasks=True)


@asynccontextmanager
async def home_assistant(start: datetime) -> AsyncIterator[tuple[HomeAssistant, Any]]:
    """Start a fresh Home Assistant (Paris time) under a clock frozen at ``start``.

    The instance is stopped on leaving; yields it and the frozen clock's factory.
    """
    _use_home_assistant_freezegun()
    with (
        freezegun.freeze_time(start.astimezone(UTC)) as frozen,
        mock_storage(),
        patch(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            return_value=_resolver(),
        ),
        # Each coordinator fires its timer a random 0.05-0.5 s into the second: the same
        # offset for every configuration keeps that noise out of the comparison.
        patch("homeassistant.helpers.update_coordinator.randint", return_value=TIMER_OFFSET),
    ):
        async with async_test_home_assistant() as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # find this repository's
            await hass.config.async_set_time_zone("Europe/Paris")
            yield hass, frozen
            await hass.async_stop(force=True)
            await asyncio.sleep(0)  # lets the harness forget this instance


@asynccontextmanager
async def running_instance(
    config: Config,
    start: datetime,
    model: RoomModel,
    prepare: Callable[[SwitchBotSimulator], None] | None = None,
) -> AsyncIterator[Instance]:
    """Set the integration up under ``config`` at ``start``, in a fresh instance.

    ``prepare`` is given the simulator before the set-up (faults, quota). The entry is
    unloaded and the instance stopped on leaving; the simulator's records stay readable.
    """
    async with (
        home_assistant(start) as (hass, frozen),
        SwitchBotSimulator(clock=dt_util.utcnow) as sim,
    ):
        model.apply(sim.room)
        if prepare is not None:
            prepare(sim)
        if "temperature_entity_id" in config.options:
            hass.states.async_set(SENSOR_ENTITY, f"{sim.room.temperature:.1f}", SENSOR_ATTRIBUTES)
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=config.name,
            data={"token": sim.token, "secret": sim.secret, "api_url": sim.url},
            options=entry_options(config),
            unique_id=account_unique_id(sim.token),
        )
        entry.add_to_hass(hass)
        if not await hass.config_entries.async_setup(entry.entry_id):
            raise RuntimeError(f"set-up failed for {config.name}")
        await hass.async_block_till_done()
        yield Instance(hass, frozen, entry, sim)
        await hass.config_entries.async_unload(entry.entry_id)


async def run_config(config: Config, start: datetime, end: datetime, model: RoomModel) -> Run:
    """Run the integration under ``config`` from ``start`` to ``end``, in a fresh instance."""
    run = Run(config)
    real_start = freezegun.api.real_perf_counter()
    async with running_instance(config, start, model) as instance:
        coordinator = only_room(instance.entry)

        def record_tick() -> None:
            state = coordinator.data.state
            tick = state.last_tick
            if tick is not None and (not run.ticks or run.ticks[-1][0] != tick):
                run.ticks.append((tick, bool(state.in_window)))

        record_tick()
        remove = coordinator.async_add_listener(record_tick)
        if "temperature_entity_id" in config.options:
            await instance.follow_room(end)
        else:
            await instance.advance_until(end)
        remove()
        run.sensor_writes = instance.sensor_writes
    run.requests = [(request.at, request.method) for request in instance.sim.requests]
    run.commands = instance.sim.commands_sent(AC_REMOTE_ID)
    run.wall_seconds = freezegun.api.real_perf_counter() - real_start
    return run


# --- Measuring ----------------------------------------------------------------------------


def regulation_periods(
    start: datetime, end: datetime, windows: Sequence[Mapping[str, Any]] = WINDOWS
) -> list[tuple[datetime, datetime]]:
    """Return the occurrences of ``windows`` in ``[start, end)`` as merged UTC periods."""
    occurrences: list[tuple[datetime, datetime]] = []
    first = start.astimezone(PARIS).date() - timedelta(days=1)
    for offset in range((end - start).days + 2):
        day = first + timedelta(days=offset)
        for window in windows:
            if day.weekday() not in window["days"]:
                continue
            wall_start = time.fromisoformat(window["start"])
            wall_end = time.fromisoformat(window["end"])
            end_day = day + timedelta(days=1) if wall_end < wall_start else day
            occurrences.append(
                (
                    datetime.combine(day, wall_start, PARIS).astimezone(UTC),
                    datetime.combine(end_day, wall_end, PARIS).astimezone(UTC),
                )
            )
    periods: list[tuple[datetime, datetime]] = []
    for opens, closes in sorted(occurrences):
        if periods and opens <= periods[-1][1]:
            periods[-1] = (periods[-1][0], max(periods[-1][1], closes))
        else:
            periods.append((opens, closes))
    return [
        (max(opens, start), min(closes, end))
        for opens, closes in periods
        if closes > start and opens < end
    ]


def local_day(instant: datetime) -> date:
    """Return the Paris date of ``instant``."""
    return instant.astimezone(PARIS).date()


@dataclass(slots=True)
class DayStats:
    """The figures of one local day (or of the week)."""

    label: str
    reads: int = 0
    commands: int = 0
    reactions: list[float] = field(default_factory=list)
    missed: int = 0
    window_starts: list[float] = field(default_factory=list)
    in_band_seconds: int = 0
    window_seconds: int = 0

    @property
    def calls(self) -> int:
        """Reads and commands."""
        return self.reads + self.commands

    @property
    def worst_reaction(self) -> float | None:
        """The longest reaction delay, in seconds (None: no crossing)."""
        return max(self.reactions, default=None)

    @property
    def median_reaction(self) -> float | None:
        """The median reaction delay, in seconds (None: no crossing)."""
        return statistics.median(self.reactions) if self.reactions else None

    @property
    def worst_window_start(self) -> float | None:
        """The longest delay from a period start to its first tick, in seconds."""
        return max(self.window_starts, default=None)

    @property
    def in_band(self) -> float | None:
        """The share of window time within [LOW, HIGH] (None: no window)."""
        return self.in_band_seconds / self.window_seconds if self.window_seconds else None

    def add(self, other: DayStats) -> None:
        """Add ``other``'s figures to these (the week from its days)."""
        self.reads += other.reads
        self.commands += other.commands
        self.reactions += other.reactions
        self.missed += other.missed
        self.window_starts += other.window_starts
        self.in_band_seconds += other.in_band_seconds
        self.window_seconds += other.window_seconds


def _replay_samples(
    start: datetime,
    end: datetime,
    model: RoomModel,
    commands: Sequence[SentCommand],
    windows: Sequence[Mapping[str, Any]] = WINDOWS,
) -> Iterator[tuple[datetime, float, bool]]:
    """Yield (instant, room temperature, heating) each second of every regulation period.

    The room is the model's, live (no cloud lag), driven by the commands as sent.
    """
    clock = SimClock(start.astimezone(UTC))
    account = VirtualAccount(clock)
    model.apply(account.room, live=True)
    pending = sorted(commands, key=lambda command: command.at)
    index = 0

    def apply_until(instant: datetime) -> None:
        nonlocal index
        while index < len(pending) and pending[index].at <= instant:
            command = pending[index]
            clock.set(command.at)
            account.command(
                command.device_id,
                {
                    "command": command.command,
                    "parameter": command.parameter,
                    "commandType": command.command_type,
                },
            )
            index += 1
        clock.set(instant)

    for opens, closes in regulation_periods(start, end, windows):
        instant = opens
        while instant < closes:
            apply_until(instant)
            yield instant, account.room.temperature, account.room.ac.heating
            instant += SAMPLE


class _Days(dict[date, DayStats]):
    """The figures by local day, created on first use."""

    def of(self, instant: datetime) -> DayStats:
        key = local_day(instant)
        if key not in self:
            self[key] = DayStats(key.strftime("%a %d"))
        return self[key]


def _count_requests(run: Run, start: datetime, end: datetime, days: _Days) -> None:
    for at, method in run.requests:
        if not start <= at < end:
            continue  # the last tick may land past the end
        stats = days.of(at)
        if method == "GET":
            stats.reads += 1
        else:
            stats.commands += 1


def _window_starts(
    run: Run, start: datetime, end: datetime, days: _Days, windows: Sequence[Mapping[str, Any]]
) -> None:
    ticks = sorted(tick for tick, in_window in run.ticks if in_window)
    for opens, _closes in regulation_periods(start, end, windows):
        if opens <= start:
            continue  # the set-up's own first tick
        first = next((tick for tick in ticks if tick >= opens), None)
        if first is not None:
            days.of(opens).window_starts.append((first - opens).total_seconds())


def analyse(
    run: Run,
    start: datetime,
    end: datetime,
    model: RoomModel,
    windows: Sequence[Mapping[str, Any]] = WINDOWS,
) -> list[DayStats]:
    """Return the figures of each local day of ``run``, then the week's (last).

    ``run``'s commands are the room's, to the replayed room's air conditioner
    (``AC_REMOTE_ID``); ``windows`` are its windows.
    """
    days = _Days()
    cursor = start
    while cursor < end:
        days.of(cursor)
        cursor += timedelta(days=1)
    _count_requests(run, start, end, days)
    _window_starts(run, start, end, days, windows)
    command_times = sorted(command.at for command in run.commands)
    periods = regulation_periods(start, end, windows)
    period_starts = {opens for opens, _ in periods}
    period_of = iter(periods)
    current = next(period_of, None)
    crossing: datetime | None = None
    for instant, temperature, heating in _replay_samples(start, end, model, run.commands, windows):
        while current is not None and instant >= current[1]:
            current = next(period_of, None)
        stats = days.of(instant)
        stats.window_seconds += 1
        stats.in_band_seconds += LOW <= temperature <= HIGH
        shown = round(temperature, 1)
        wrong = (not heating and shown <= LOW) or (heating and shown >= HIGH)
        if not wrong:
            crossing = None
            continue
        if crossing is not None:
            continue
        crossing = instant
        if instant in period_starts:
            continue  # already past a threshold at the start: a window-start case
        fixed = next((at for at in command_times if at >= instant), None)
        if fixed is None or current is None or fixed >= current[1]:
            stats.missed += 1
        else:
            stats.reactions.append((fixed - instant).total_seconds())
    ordered = [days[key] for key in sorted(days)]
    week = DayStats("Week")
    for stats in ordered:
        week.add(stats)
    return [*ordered, week]


# --- Reporting ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    """The figures of each configuration (days, then the week) and the comparison."""

    days: int
    stats: dict[str, list[DayStats]]
    runs: dict[str, Run]
    wall_seconds: float

    @property
    def week(self) -> dict[str, DayStats]:
        """The totals of each configuration."""
        return {key: rows[-1] for key, rows in self.stats.items()}

    def same_commands(self, key: str, other: str) -> bool:
        """Whether two configurations sent the same commands at the same instants."""

        def sent(run: Run) -> list[tuple[datetime, str, Any]]:
            return [(command.at, command.command, command.parameter) for command in run.commands]

        return sent(self.runs[key]) == sent(self.runs[other])

    def ratios(self) -> dict[str, float | None]:
        """(c) against (b): calls, worst reaction, worst window start (and the base)."""
        week = self.week
        seed, new = week["b"], week["c"]
        calls_days = [
            new_day.calls / seed_day.calls
            for seed_day, new_day in zip(self.stats["b"][:-1], self.stats["c"][:-1], strict=True)
            if seed_day.calls
        ]
        return {
            "calls_c_over_b": new.calls / seed.calls if seed.calls else None,
            "worst_day_calls_c_over_b": max(calls_days, default=None),
            "worst_reaction_b": seed.worst_reaction,
            "worst_reaction_c": new.worst_reaction,
            "worst_window_start_b": seed.worst_window_start,
            "worst_window_start_c": new.worst_window_start,
        }

    def targets_met(self) -> dict[str, bool]:
        """The issue's targets: a quarter of the calls, reactions and window starts kept."""
        ratios = self.ratios()
        week = self.week
        worst_b, worst_c = ratios["worst_reaction_b"], ratios["worst_reaction_c"]
        start_c = ratios["worst_window_start_c"]
        return {
            "calls_per_day_at_most_25_percent": (
                ratios["worst_day_calls_c_over_b"] is not None
                and ratios["worst_day_calls_c_over_b"] <= TARGET_RATIO
            ),
            "worst_reaction_no_worse": worst_c is None
            or (worst_b is not None and worst_c <= worst_b),
            "no_crossing_missed": week["c"].missed == 0,
            "window_starts_within_base": start_c is not None and start_c <= BASE_SECONDS,
        }

    def sensor_targets_met(self) -> dict[str, bool]:
        """The targets of (d) against (b): calls, worst reaction, commands, no miss."""
        seed, sensor = self.week["b"], self.week["d"]
        worst = sensor.worst_reaction
        return {
            "sensor_calls_at_most_2_percent": bool(seed.calls)
            and sensor.calls / seed.calls <= SENSOR_TARGET_RATIO,
            "sensor_worst_reaction_at_most_20_s": worst is None or worst <= SENSOR_TARGET_REACTION,
            "sensor_commands_no_more": sensor.commands <= seed.commands,
            "sensor_no_crossing_missed": sensor.missed == 0,
        }


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def markdown_table(report: Report) -> str:
    """Return the per-day table of the three configurations, in Markdown."""
    lines = [
        "| Day | Config | Calls | Reads | Commands | Worst reaction (s) | Median reaction (s)"
        " | Worst window start (s) | In band |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    keys = [key for key in (*MAIN_KEYS, SENSOR_CONFIG.key) if key in report.stats]
    for index in range(len(report.stats[keys[0]])):
        for key in keys:
            stats = report.stats[key][index]
            name = report.runs[key].config.name
            label = f"**{stats.label}**" if stats.label == "Week" else stats.label
            lines.append(
                f"| {label} | ({key}) {name} | {stats.calls} | {stats.reads} | {stats.commands}"
                f" | {_seconds(stats.worst_reaction)} | {_seconds(stats.median_reaction)}"
                f" | {_seconds(stats.worst_window_start)} | {_share(stats.in_band)} |"
            )
    return "\n".join(lines)


def explored_table(report: Report) -> str:
    """Return the week's figures of the explored variants next to (b) and (c), in Markdown."""
    seed = report.week["b"]
    lines = [
        "| Variant | Calls | Calls / (b) | Worst reaction (s) | Median reaction (s)"
        " | Worst window start (s) | Same commands as (b) |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for key, run in report.runs.items():
        if key == "a":
            continue
        week = report.week[key]
        ratio = week.calls / seed.calls if seed.calls else None
        same = "yes" if report.same_commands(key, "b") else "no"
        lines.append(
            f"| ({key}) {run.config.name} | {week.calls} | {_share(ratio)}"
            f" | {_seconds(week.worst_reaction)} | {_seconds(week.median_reaction)}"
            f" | {_seconds(week.worst_window_start)} | {same} |"
        )
    return "\n".join(lines)


def ratio_lines(report: Report) -> list[str]:
    """Return the comparison of (c) with (b), one line each."""
    ratios = report.ratios()
    calls = ratios["calls_c_over_b"]
    worst_day = ratios["worst_day_calls_c_over_b"]
    return [
        f"calls (c)/(b): {_share(calls)} over the period, {_share(worst_day)} on the worst day"
        f" (target <= {TARGET_RATIO:.0%})",
        f"worst reaction delay: (c) {_seconds(ratios['worst_reaction_c'])} s vs"
        f" (b) {_seconds(ratios['worst_reaction_b'])} s",
        f"worst window start delay: (c) {_seconds(ratios['worst_window_start_c'])} s vs"
        f" (b) {_seconds(ratios['worst_window_start_b'])} s (base interval {BASE_SECONDS} s)",
        "(c) sent the same commands as (b) at the same instants:"
        f" {'yes' if report.same_commands('c', 'b') else 'no'}",
    ]


def sensor_line(report: Report) -> str:
    """Return the comparison of (d) with (b), and how often the sensor changed."""
    seed, sensor = report.week["b"], report.week["d"]
    share = sensor.calls / seed.calls if seed.calls else None
    return (
        f"calls (d)/(b): {_share(share)} (target <= {SENSOR_TARGET_RATIO:.0%}); worst reaction"
        f" (d) {_seconds(sensor.worst_reaction)} s (target <= {SENSOR_TARGET_REACTION} s);"
        f" commands (d) {sensor.commands} vs (b) {seed.commands};"
        f" {report.runs['d'].sensor_writes} sensor changes, {len(report.runs['d'].ticks)} ticks"
    )


def print_report(report: Report) -> None:
    """Print the per-day table, the ratios, the targets and the time taken."""
    print(markdown_table(report))
    print()
    if set(report.runs) - {*MAIN_KEYS, SENSOR_CONFIG.key}:
        print(explored_table(report))
        print()
    for line in ratio_lines(report):
        print(line)
    targets = report.targets_met()
    if SENSOR_CONFIG.key in report.runs:
        print(sensor_line(report))
        targets |= report.sensor_targets_met()
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'NOT MET'}")
    missed = {key: rows[-1].missed for key, rows in report.stats.items()}
    print(f"crossings not fixed before their window ended: {missed}")
    runs = ", ".join(
        f"({key}) {run.wall_seconds:.1f} s, {len(run.ticks)} ticks"
        for key, run in report.runs.items()
    )
    print(f"runtime: {report.wall_seconds:.1f} s ({runs})")


@dataclass(frozen=True, slots=True)
class Storm:
    """What a sensor flooding Home Assistant with changes made the integration do."""

    minutes: int
    changes: int
    ticks: int
    commands: list[SentCommand]

    def line(self) -> str:
        """Return the figures, one line."""
        gaps = [
            (later.at - earlier.at).total_seconds()
            for earlier, later in zip(self.commands, self.commands[1:], strict=False)
        ]
        return (
            f"storm: {self.changes} sensor changes in {self.minutes} min (10 a second) ->"
            f" {self.ticks} ticks, {len(self.commands)} commands, closest two"
            f" {_seconds(min(gaps, default=None))} s apart"
        )


STORM_START: Final = datetime(2026, 1, 12, 17, 30, 30, tzinfo=PARIS)
"""Monday, inside the evening window."""


async def run_storm(minutes: int = 60) -> Storm:
    """Write a new temperature to the sensor ten times a second for ``minutes``, in a window.

    The values swing across both thresholds every second, so that every tick could send a
    command: only the cooldowns hold them back.
    """
    changes = 0
    ticks: list[datetime] = []
    async with running_instance(SENSOR_CONFIG, STORM_START, RoomModel()) as instance:
        coordinator = only_room(instance.entry)

        def record_tick() -> None:
            tick = coordinator.data.state.last_tick
            if tick is not None and (not ticks or ticks[-1] != tick):
                ticks.append(tick)

        remove = coordinator.async_add_listener(record_tick)
        for step in range(minutes * 600):
            value = (LOW - 1 if step % 20 < 10 else HIGH + 1) + (step % 10) / 10
            instance.hass.states.async_set(SENSOR_ENTITY, f"{value:.1f}", SENSOR_ATTRIBUTES)
            changes += 1
            instance.frozen.tick(timedelta(seconds=0.1))
            async_fire_time_changed(instance.hass)
            await instance.hass.async_block_till_done(wait_background_tasks=True)
        remove()
    commands = [
        command
        for command in instance.sim.commands_sent(AC_REMOTE_ID)
        if command.at > STORM_START.astimezone(UTC)
    ]
    return Storm(minutes, changes, len(ticks), commands)


async def run_benchmark(
    days: int = 7,
    model: RoomModel = RoomModel(),
    configs: Sequence[Config] = CONFIGS,
) -> Report:
    """Run each configuration over ``days`` days of the reference week; return the report."""
    real_start = freezegun.api.real_perf_counter()
    start = WEEK_START
    end = start + timedelta(days=days)
    stats: dict[str, list[DayStats]] = {}
    runs: dict[str, Run] = {}
    for config in configs:
        run = await run_config(config, start, end, model)
        runs[config.key] = run
        stats[config.key] = analyse(run, start, end, model)
    wall = freezegun.api.real_perf_counter() - real_start
    return Report(days, stats, runs, wall)


# --- Four rooms on one account (``--rooms``) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountRoom:
    """A room of the four-room account: its name, its windows' shift, its thermal model."""

    name: str
    shift_hours: int
    model: RoomModel


ACCOUNT_ROOMS: Final = (
    AccountRoom("living room", 0, RoomModel()),
    AccountRoom(
        "bedroom",
        1,
        RoomModel(initial=18.5, time_constant=8 * 3600.0, ac_rate=0.10, report_phase=13.0),
    ),
    AccountRoom(
        "study",
        2,
        RoomModel(initial=20.0, time_constant=4 * 3600.0, ac_rate=0.20, report_phase=89.0),
    ),
    AccountRoom(
        "kitchen",
        3,
        RoomModel(initial=19.5, time_constant=5 * 3600.0, ac_rate=0.12, report_phase=101.0),
    ),
)
"""The reference room, then three others: each room's windows are the reference week's
shifted by ``shift_hours`` (a later start, the same length), its heat rate and insulation its
own, its meter uploading at its own phase."""
OFF_SENDS: Final = 2
ROOMS_CONFIG: Final = Config("rooms", "four rooms", {"off_repeat_count": OFF_SENDS})
"""The defaults, but each OFF sent twice (``off_repeat_count`` counts the first send): the
repeats are among the ticks the budget must never hold back."""
DEFAULT_BUDGET: Final = int(default_options()["daily_call_budget"])
SMALL_BUDGET: Final = 500
"""The too-small budget: under half of what the four rooms spend on the reference Monday with
the default budget (1,102 calls from 00:00 to 24:00 UTC), and well above what the budget sets
aside then: the rooms' protected calls (101 at 00:00 UTC, printed with the figures) and one
worst-case tick per room (4 x 10)."""
SMALL_BUDGET_HOURS: Final = 27
"""The too-small budget's run: Monday 00:00 to Tuesday 03:00 (Paris), a whole UTC day and
every Monday window of every room to its end and OFF repeats."""
START_SLACK: Final = timedelta(seconds=BASE_SECONDS)
"""A window start is served by a tick within this of it."""
OFF_SLACK: Final = timedelta(seconds=120)
"""A window end's OFF and its repeats are sent within this of it."""
_DEVICE_PATH: Final = re.compile(r"/v1\.1/devices/([^/]+)/(?:status|commands)")
ACCOUNT_LABEL: Final = "account"


def shift_windows(windows: Sequence[Mapping[str, Any]], hours: int) -> list[dict[str, Any]]:
    """Return ``windows`` starting ``hours`` later, as long; a start past midnight moves a day."""
    monday = date(2026, 1, 5)
    shifted: list[dict[str, Any]] = []
    for window in windows:
        start = datetime.combine(monday, time.fromisoformat(window["start"]))
        end = datetime.combine(monday, time.fromisoformat(window["end"]))
        start, end = start + timedelta(hours=hours), end + timedelta(hours=hours)
        later = (start.date() - monday).days
        shifted.append(
            {
                "days": sorted((day + later) % 7 for day in window["days"]),
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
            }
        )
    return shifted


@dataclass(frozen=True, slots=True)
class TickRecord:
    """A room's tick as its entities saw it: when, in a window, the next interval's mode."""

    at: datetime
    in_window: bool
    mode: str
    outcome: str | None
    reading_stale: bool


@dataclass(slots=True)
class RoomTrace:
    """A room of the account's run: its devices, windows and ticks."""

    room: AccountRoom
    meter_id: str
    ac_remote_id: str
    windows: list[dict[str, Any]]
    ticks: list[TickRecord] = field(default_factory=list)


@dataclass(slots=True)
class AccountRun:
    """What the four rooms did under one ``daily_call_budget``."""

    budget: int
    start: datetime
    end: datetime
    rooms: list[RoomTrace]
    requests: list[tuple[datetime, str, str]] = field(default_factory=list)
    commands: list[SentCommand] = field(default_factory=list)
    reserves: dict[date, int] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def owner(self, path: str) -> str:
        """Return the room a request is for (by its device id), or ``ACCOUNT_LABEL``."""
        match = _DEVICE_PATH.fullmatch(path)
        for trace in self.rooms:
            if match is not None and match[1] in (trace.meter_id, trace.ac_remote_id):
                return trace.room.name
        return ACCOUNT_LABEL

    def room_run(self, trace: RoomTrace) -> Run:
        """Return ``trace``'s room as a one-room run, its commands to the replay's AC."""
        return Run(
            Config(trace.room.name, trace.room.name, {}),
            requests=[
                (at, method)
                for at, method, path in self.requests
                if self.owner(path) == trace.room.name
            ],
            commands=[
                replace(command, device_id=AC_REMOTE_ID)
                for command in self.commands
                if command.device_id == trace.ac_remote_id
            ],
            ticks=[(tick.at, tick.in_window) for tick in trace.ticks],
        )

    def calls_per_utc_day(self) -> dict[date, int]:
        """Return the account's calls on each UTC day: the budget's days."""
        calls: dict[date, int] = {}
        for at, _method, _path in self.requests:
            day = at.astimezone(UTC).date()
            calls[day] = calls.get(day, 0) + 1
        return calls


def account_entry(
    sim: SwitchBotSimulator, traces: Sequence[RoomTrace], budget: int
) -> MockConfigEntry:
    """Return the account's entry (version 2): the budget, and a room subentry per trace."""
    options = {**entry_options(ROOMS_CONFIG), "daily_call_budget": budget}
    return MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title=ROOMS_CONFIG.name,
        data={"token": sim.token, "secret": sim.secret, "api_url": sim.url},
        options=account_options(options),
        unique_id=account_unique_id(sim.token),
        subentries_data=[
            ConfigSubentryData(
                data=room_options(
                    {
                        **options,
                        "meter_device_id": trace.meter_id,
                        "aircon_device_id": trace.ac_remote_id,
                        "time_windows": trace.windows,
                    }
                ),
                subentry_id=f"room_{index}",
                subentry_type=SUBENTRY_ROOM,
                title=trace.room.name,
                unique_id=trace.ac_remote_id,
            )
            for index, trace in enumerate(traces)
        ],
    )


async def run_account(
    start: datetime,
    end: datetime,
    budget: int,
    rooms: Sequence[AccountRoom] = ACCOUNT_ROOMS,
) -> AccountRun:
    """Run the rooms on one account from ``start`` to ``end`` under ``budget``."""
    real_start = freezegun.api.real_perf_counter()
    async with (
        home_assistant(start) as (hass, frozen),
        SwitchBotSimulator(clock=dt_util.utcnow) as sim,
    ):
        traces: list[RoomTrace] = []
        for index, room in enumerate(rooms):
            if index == 0:
                simulated, meter_id, ac_remote_id = sim.room, METER_ID, AC_REMOTE_ID
            else:
                added = sim.account.add_room(name=room.name.capitalize())
                simulated, meter_id, ac_remote_id = added.room, added.meter_id, added.ac_remote_id
            room.model.apply(simulated)
            windows = shift_windows(WINDOWS, room.shift_hours)
            traces.append(RoomTrace(room, meter_id, ac_remote_id, windows))
        entry = account_entry(sim, traces, budget)
        entry.add_to_hass(hass)
        if not await hass.config_entries.async_setup(entry.entry_id):
            raise RuntimeError("set-up failed for the four rooms")
        await hass.async_block_till_done()
        run = AccountRun(budget, start, end, traces)
        account = entry.runtime_data
        removers = [
            _record_ticks(account, account.rooms[f"room_{index}"], trace, run)
            for index, trace in enumerate(traces)
        ]
        await Instance(hass, frozen, entry, sim).advance_until(end)
        for remove in removers:
            remove()
        await hass.config_entries.async_unload(entry.entry_id)
    run.requests = [(request.at, request.method, request.path) for request in sim.requests]
    run.commands = sim.commands_sent()
    run.wall_seconds = freezegun.api.real_perf_counter() - real_start
    return run


def _record_ticks(
    account: Any, coordinator: RoomCoordinator, trace: RoomTrace, run: AccountRun
) -> Callable[[], None]:
    """Record each tick of ``coordinator`` in ``trace``, and the account's reserve then."""

    def record() -> None:
        data = coordinator.data
        tick = data.state.last_tick
        if tick is None or (trace.ticks and trace.ticks[-1].at == tick):
            return
        outcome = data.state.last_outcome
        trace.ticks.append(
            TickRecord(
                tick,
                bool(data.state.in_window),
                str(data.poll.mode),
                None if outcome is None else str(outcome),
                data.reading_stale,
            )
        )
        day = tick.astimezone(UTC).date()
        reserve = sum(demand.reserve for demand in account.demands.values())
        run.reserves[day] = max(run.reserves.get(day, 0), reserve)

    record()
    return coordinator.async_add_listener(record)


def is_off(command: SentCommand) -> bool:
    """Whether ``command`` turns the unit off."""
    return command.command == "turnOff" or (
        command.command == "setAll" and str(command.parameter).endswith("off")
    )


@dataclass(frozen=True, slots=True)
class RoomCheck:
    """What the budget must not touch in one room: window starts, window-end OFFs, fail-safe."""

    name: str
    starts: int
    starts_served: int
    worst_start: float | None
    ends_expected: int
    ends_served: int
    worst_end: float | None
    stale_ticks: int
    stale_offs: int
    budget_limited_ticks: int

    @property
    def untouched(self) -> bool:
        """Every start served, every end's OFF and repeats sent, no tick blind."""
        return (
            self.starts_served == self.starts
            and self.ends_served == self.ends_expected
            and self.stale_ticks == 0
            and self.stale_offs == 0
        )


def check_room(run: AccountRun, trace: RoomTrace, off_sends: int) -> RoomCheck:
    """Return ``trace``'s room's check; ``off_sends``: an OFF with its repeats.

    An end expects its OFFs when the last command before it was not an OFF (the unit on, or
    its state unknown); they are sent when the first comes within ``OFF_SLACK`` of the end,
    the repeats within ``OFF_SLACK`` of it (the worst end delay is the first's, however
    late). A reading too old at an in-window tick, or a ``stale_reading_off``, is counted:
    the benchmark injects no fault, so either would be the budget's doing.
    """
    in_window = sorted(tick.at for tick in trace.ticks if tick.in_window)
    commands = [command for command in run.commands if command.device_id == trace.ac_remote_id]
    starts = served = ends = ends_served = 0
    start_delays: list[float] = []
    end_delays: list[float] = []
    for opens, closes in regulation_periods(run.start, run.end, trace.windows):
        if opens > run.start:
            starts += 1
            first = next((at for at in in_window if at >= opens), None)
            if first is not None:
                start_delays.append((first - opens).total_seconds())
                served += first - opens <= START_SLACK
        before = [command for command in commands if command.at < closes]
        if closes + OFF_SLACK > run.end or (before and is_off(before[-1])):
            continue
        ends += 1
        first = next((c.at for c in commands if is_off(c) and c.at >= closes), None)
        if first is None:
            continue
        end_delays.append((first - closes).total_seconds())
        sends = [c for c in commands if is_off(c) and first <= c.at <= first + OFF_SLACK]
        ends_served += first - closes <= OFF_SLACK and len(sends) >= off_sends
    return RoomCheck(
        trace.room.name,
        starts,
        served,
        max(start_delays, default=None),
        ends,
        ends_served,
        max(end_delays, default=None),
        sum(tick.in_window and tick.reading_stale for tick in trace.ticks),
        sum(tick.outcome == "stale_reading_off" for tick in trace.ticks),
        sum(tick.mode == "budget_limited" for tick in trace.ticks),
    )


@dataclass(frozen=True, slots=True)
class AccountReport:
    """The four rooms' figures under the default budget, and the too-small budget's check."""

    days: int
    default: AccountRun
    stats: dict[str, list[DayStats]]
    small: AccountRun
    unbudgeted: AccountRun
    wall_seconds: float

    def same_commands_as_unbudgeted(self) -> dict[str, bool]:
        """Whether each room sent the same commands, at the same instants, as without a budget."""

        def sent(run: AccountRun, trace: RoomTrace) -> list[tuple[datetime, str, Any]]:
            return [
                (command.at, command.command, command.parameter)
                for command in run.commands
                if command.device_id == trace.ac_remote_id
            ]

        return {
            trace.room.name: sent(self.default, trace) == sent(self.unbudgeted, other)
            for trace, other in zip(self.default.rooms, self.unbudgeted.rooms, strict=True)
        }

    def checks(self, run: AccountRun) -> list[RoomCheck]:
        """Return each room's check in ``run``."""
        return [check_room(run, trace, OFF_SENDS) for trace in run.rooms]

    def targets_met(self) -> dict[str, bool]:
        """The issue's: no room throttled by default; the small budget held, nothing skipped."""
        default, small = self.checks(self.default), self.checks(self.small)
        return {
            "default_budget_nothing_throttled": all(
                check.budget_limited_ticks == 0 for check in default
            ),
            "default_budget_nothing_skipped": all(check.untouched for check in default),
            "small_budget_held": max(self.small.calls_per_utc_day().values()) <= self.small.budget,
            "small_budget_throttled": any(check.budget_limited_ticks for check in small),
            "small_budget_nothing_skipped": all(check.untouched for check in small),
        }


def _account_stats(run: AccountRun) -> dict[str, list[DayStats]]:
    """Return the figures per local day of each room, the account-level calls and the total."""
    stats = {
        trace.room.name: analyse(
            run.room_run(trace), run.start, run.end, trace.room.model, trace.windows
        )
        for trace in run.rooms
    }
    for label, owners in ((ACCOUNT_LABEL, {ACCOUNT_LABEL}), ("total", None)):
        days = _Days()
        cursor = run.start
        while cursor < run.end:
            days.of(cursor)
            cursor += timedelta(days=1)
        requests = [
            (at, method)
            for at, method, path in run.requests
            if owners is None or run.owner(path) in owners
        ]
        _count_requests(Run(ROOMS_CONFIG, requests=requests), run.start, run.end, days)
        ordered = [days[key] for key in sorted(days)]
        week = DayStats("Week")
        for day in ordered:
            week.add(day)
        stats[label] = [*ordered, week]
    return stats


async def run_rooms(days: int = 7, small_budget: int = SMALL_BUDGET) -> AccountReport:
    """Run the four rooms ``days`` days under the default budget and without a budget, then
    the too-small budget's day."""
    real_start = freezegun.api.real_perf_counter()
    end = WEEK_START + timedelta(days=days)
    default = await run_account(WEEK_START, end, DEFAULT_BUDGET)
    unbudgeted = await run_account(WEEK_START, end, 0)
    small = await run_account(
        WEEK_START, WEEK_START + timedelta(hours=SMALL_BUDGET_HOURS), small_budget
    )
    wall = freezegun.api.real_perf_counter() - real_start
    return AccountReport(days, default, _account_stats(default), small, unbudgeted, wall)


def rooms_table(report: AccountReport) -> str:
    """Return the calls per local day of each room, account-level and in all, in Markdown."""
    names = list(report.stats)
    lines = [
        "| Day | " + " | ".join(names) + " |",
        "|---|" + "--:|" * len(names),
    ]
    for index in range(len(report.stats[names[0]])):
        label = report.stats[names[0]][index].label
        label = f"**{label}**" if label == "Week" else label
        cells = " | ".join(str(report.stats[name][index].calls) for name in names)
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


def rooms_summary(report: AccountReport) -> str:
    """Return each room's figures over the period under the default budget, in Markdown."""
    lines = [
        "| Room | Windows | Heat (°C/min) | Calls | Reads | Commands | Worst reaction (s)"
        " | Median reaction (s) | Worst window start (s) | In band | Missed |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for trace in report.default.rooms:
        week = report.stats[trace.room.name][-1]
        lines.append(
            f"| {trace.room.name} | +{trace.room.shift_hours} h | {trace.room.model.ac_rate:g}"
            f" | {week.calls} | {week.reads} | {week.commands}"
            f" | {_seconds(week.worst_reaction)} | {_seconds(week.median_reaction)}"
            f" | {_seconds(week.worst_window_start)} | {_share(week.in_band)} | {week.missed} |"
        )
    return "\n".join(lines)


def checks_table(checks: Sequence[RoomCheck]) -> str:
    """Return the protected ticks of each room, in Markdown."""
    lines = [
        "| Room | Window starts served | Worst start (s) | Window-end OFFs + repeats sent"
        " | Worst end OFF (s) | Blind in-window ticks | stale_reading_off | budget_limited ticks |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines.extend(
        f"| {check.name} | {check.starts_served}/{check.starts} | {_seconds(check.worst_start)}"
        f" | {check.ends_served}/{check.ends_expected} | {_seconds(check.worst_end)}"
        f" | {check.stale_ticks} | {check.stale_offs} | {check.budget_limited_ticks} |"
        for check in checks
    )
    return "\n".join(lines)


def budget_lines(run: AccountRun) -> list[str]:
    """Return the account's calls on each UTC day against the budget and the reserves."""
    reserves = run.reserves
    return [
        f"UTC {day:%a %d}: {calls} calls (budget {run.budget}; largest reserve of the"
        f" rooms' protected ticks {reserves.get(day, 0)})"
        for day, calls in sorted(run.calls_per_utc_day().items())
    ]


def print_rooms_report(report: AccountReport) -> None:
    """Print the four rooms' figures, the too-small budget's check and the targets."""
    print(f"Default budget ({report.default.budget} calls a day), calls per local day:")
    print(rooms_table(report))
    print()
    print(rooms_summary(report))
    print()
    print(checks_table(report.checks(report.default)))
    for line in budget_lines(report.default):
        print(line)
    same = ", ".join(
        f"{name} {'yes' if equal else 'no'}"
        for name, equal in report.same_commands_as_unbudgeted().items()
    )
    print(f"same commands at the same instants as without a budget: {same}")
    print()
    small = report.small
    print(
        f"Too-small budget ({small.budget} calls a day), {small.start:%a %d %H:%M} to"
        f" {small.end:%a %d %H:%M} (Paris):"
    )
    print(checks_table(report.checks(small)))
    for line in budget_lines(small):
        print(line)
    for name, met in report.targets_met().items():
        print(f"target {name}: {'met' if met else 'NOT MET'}")
    print(
        f"runtime: {report.wall_seconds:.1f} s (default budget {report.default.wall_seconds:.1f}"
        f" s, no budget {report.unbudgeted.wall_seconds:.1f} s, too-small budget"
        f" {small.wall_seconds:.1f} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; exit 1 when a target is not met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7, help="days to simulate (default 7)")
    parser.add_argument("--quick", action="store_true", help="one day, a smoke test")
    parser.add_argument(
        "--explore", action="store_true", help="also run variants of (c), one change each"
    )
    parser.add_argument(
        "--storm",
        action="store_true",
        help="instead: a sensor changing ten times a second for an hour, in a window",
    )
    parser.add_argument(
        "--report-interval",
        type=float,
        default=RoomModel().report_interval,
        help="seconds between the meter's uploads to the cloud (0: live)",
    )
    parser.add_argument(
        "--report-phase",
        type=float,
        default=RoomModel().report_phase,
        help="seconds past each multiple of the interval at which the meter uploads",
    )
    parser.add_argument(
        "--rooms",
        action="store_true",
        help="instead: four rooms on one account, then a day with a too-small budget",
    )
    options = parser.parse_args(argv)
    days = 1 if options.quick else options.days
    if days < 1:
        parser.error("--days must be at least 1")
    _quiet_logs()
    if options.storm:
        print(asyncio.run(run_storm()).line())
        return 0
    if options.rooms:
        print(
            f"Four rooms on one account from {WEEK_START:%a %d %b %Y}, {days} day(s): the"
            " reference week's windows shifted +0 to +3 h, heat rates of their own"
        )
        rooms_report = asyncio.run(run_rooms(days))
        print_rooms_report(rooms_report)
        return 0 if all(rooms_report.targets_met().values()) else 1
    model = RoomModel(report_interval=options.report_interval, report_phase=options.report_phase)
    print(
        f"Reference week from {WEEK_START:%a %d %b %Y}, {days} day(s); meter upload every"
        f" {model.report_interval:g} s, {model.report_phase:g} s into the interval"
    )
    configs = (*CONFIGS, SENSOR_CONFIG, *(EXPLORED if options.explore else ()))
    report = asyncio.run(run_benchmark(days, model, configs))
    print_report(report)
    targets = {**report.targets_met(), **report.sensor_targets_met()}
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
