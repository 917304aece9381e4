"""Daylight saving in Europe/Paris: whole days of ticks across both changes of 2026.

On 2026-03-29 the clocks go from 02:00 to 03:00 (no 02:00-03:00 that night); on 2026-10-25
from 03:00 back to 02:00 (02:00-03:00 twice). Windows touching those hours are driven
through the real coordinator from Friday evening to Monday morning, tick after tick at the
instant each one schedules, with the integration's adaptive polling (a tick a minute in the
windows, or fewer with the quota savings, and during the warmup; 53 min 37 s at most between
them: fewer ticks, and never on a whole minute by chance). Every occurrence of the window
must be entered exactly once, at its first instant, and left at its last:

- a wall-clock time in the missing hour is the first instant after it (02:30 is 03:00), so
  02:00-02:30 does not run on the spring day and 02:30-04:00 runs from 03:00;
- a wall-clock time in the repeated hour is its first occurrence, so 02:00-02:30 runs once
  on the autumn day (in summer time) and a window ending at 03:00 ends in winter time.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.engine.settings import default_options
from switchbot_sim import SwitchBotSimulator
from tests.integration_fixtures import SEED_POLLING
from tests.integration_support import async_advance_to, async_setup_with, entity_state

from .support import commands, sensor, set_room

ALL_DAYS: Final = [0, 1, 2, 3, 4, 5, 6]
IDLE_SECONDS: Final = 3217
LANDING: Final = timedelta(seconds=1)
"""A tick aimed at an instant lands on it, or a second after it (timers run on whole
seconds, so a tick aimed exactly at it could come a fraction of a second early)."""


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class Case(NamedTuple):
    """A window, the span of simulated time, and the occurrences expected in it (UTC)."""

    start: str
    end: str
    run_from: datetime
    run_to: datetime
    occurrences: list[tuple[datetime, datetime]]


# From Friday evening to Monday 06:00 in Paris. The first tick is off the minute, so no tick
# lands on a window start by chance: only by waiting exactly for it.
SPRING = utc(3, 27, 17, 7) + timedelta(seconds=13), utc(3, 30, 4)
AUTUMN = utc(10, 23, 16, 7) + timedelta(seconds=13), utc(10, 26, 5)

CASES: Final = {
    # Spring: Saturday in winter time (+1), Sunday the change, Monday in summer time (+2).
    "spring-02:00-02:30": Case(
        "02:00", "02:30", *SPRING,
        [(utc(3, 28, 1), utc(3, 28, 1, 30)), (utc(3, 30, 0), utc(3, 30, 0, 30))],
    ),
    "spring-01:30-03:00": Case(
        "01:30", "03:00", *SPRING,
        [
            (utc(3, 28, 0, 30), utc(3, 28, 2)),
            (utc(3, 29, 0, 30), utc(3, 29, 1)),  # 30 minutes: 02:00-03:00 does not exist
            (utc(3, 29, 23, 30), utc(3, 30, 1)),
        ],
    ),
    "spring-02:30-04:00": Case(
        "02:30", "04:00", *SPRING,
        [
            (utc(3, 28, 1, 30), utc(3, 28, 3)),
            (utc(3, 29, 1), utc(3, 29, 2)),  # from 03:00, the first instant after 02:30
            (utc(3, 30, 0, 30), utc(3, 30, 2)),
        ],
    ),
    # Autumn: Saturday in summer time (+2), Sunday the change, Monday in winter time (+1).
    "autumn-02:00-02:30": Case(
        "02:00", "02:30", *AUTUMN,
        [
            (utc(10, 24, 0), utc(10, 24, 0, 30)),
            (utc(10, 25, 0), utc(10, 25, 0, 30)),  # once: not again at 02:00 winter time
            (utc(10, 26, 1), utc(10, 26, 1, 30)),
        ],
    ),
    "autumn-01:30-03:00": Case(
        "01:30", "03:00", *AUTUMN,
        [
            (utc(10, 23, 23, 30), utc(10, 24, 1)),
            (utc(10, 24, 23, 30), utc(10, 25, 2)),  # 2 h 30: 02:00-03:00 happens twice
            (utc(10, 26, 0, 30), utc(10, 26, 2)),
        ],
    ),
    "autumn-02:30-04:00": Case(
        "02:30", "04:00", *AUTUMN,
        [
            (utc(10, 24, 0, 30), utc(10, 24, 2)),
            (utc(10, 25, 0, 30), utc(10, 25, 3)),
            (utc(10, 26, 1, 30), utc(10, 26, 3)),
        ],
    ),
}  # fmt: skip


def _instant(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> datetime:
    instant = dt_util.parse_datetime(sensor(hass, entry, key))
    assert instant is not None
    return instant


# The original's polling (a tick every base interval in the windows), and the integration's
# defaults (stretched in the windows, as far as their end, and fewer readings between them).
POLLING: Final = {
    "seed": SEED_POLLING,
    "savings": {key: default_options()[key] for key in SEED_POLLING},
}


# Whole weekends of ticks over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
@pytest.mark.parametrize("polling", POLLING.values(), ids=POLLING.keys())
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_windows_across_a_daylight_saving_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    case: Case,
    polling: dict[str, Any],
) -> None:
    entry = mock_config_entry
    freezer.move_to(case.run_from)
    set_room(simulator, 20.5)  # between the thresholds: the ticks regulate, send nothing
    window: dict[str, Any] = {"days": ALL_DAYS, "start": case.start, "end": case.end}
    await async_setup_with(
        hass,
        entry,
        time_windows=[window],
        timezone="Europe/Paris",
        poll_interval_seconds=60,
        idle_poll_interval_seconds=IDLE_SECONDS,
        **polling,
    )

    ticks: list[tuple[datetime, bool]] = []
    while True:
        tick_at = _instant(hass, entry, "last_tick")
        assert not ticks or tick_at > ticks[-1][0]  # one tick per wake-up
        in_window = entity_state(hass, entry, "binary_sensor", "in_window").state == STATE_ON
        ticks.append((tick_at, in_window))
        next_tick = _instant(hass, entry, "next_tick")
        if next_tick > case.run_to:
            break
        await async_advance_to(hass, freezer, next_tick)

    # Each tick knows whether it is in the window; no tick is late for a start or an end.
    def inside(instant: datetime) -> bool:
        return any(start <= instant < end for start, end in case.occurrences)

    assert [in_window for _, in_window in ticks] == [inside(at) for at, _ in ticks]
    entered = [
        at for (at, now), (_, before) in zip(ticks[1:], ticks, strict=False) if now and not before
    ]
    left = [
        at for (at, now), (_, before) in zip(ticks[1:], ticks, strict=False) if before and not now
    ]
    assert len(entered) == len(left) == len(case.occurrences)
    for (start, end), entered_at, left_at in zip(case.occurrences, entered, left, strict=True):
        assert start <= entered_at <= start + LANDING
        assert end <= left_at <= end + LANDING
    assert commands(simulator) == []
