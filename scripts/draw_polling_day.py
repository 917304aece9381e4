#!/usr/bin/env python3
"""Draw a day of adaptive polling from the engine itself: ``docs/polling-day.svg``.

The README shows when the integration ticks and why. Rather than a hand-drawn figure that
drifts from the code, this script runs the pure engine over one weekday and one Saturday with
the default settings (one window, Monday to Friday 07:00-22:00; base interval 15 s, idle
interval 600 s, warm-up 15 minutes; winter, 19-22 °C; the quota savings: fastest temperature
change 0.2 °C/min, longest interval in a window 900 s, meter update interval 120 s, idle
reads every 1800 s, daily budget 8000 calls), exactly as the coordinator does: a tick
(``tick.run_tick``), then the interval until the next one (``polling.compute_interval``),
and so on from 00:00 to midnight. It draws, for each day:

* the polling mode band: the mode chosen after each tick, over the interval it chose;
* the ticks themselves, one mark each (where they are dense they merge into a bar);
* the room temperature, with the two thresholds (minimum and maximum, less and plus the
  hysteresis) and the time the air conditioner runs;
* the API calls made in each hour.

A tick is not an API call: outside the windows a scheduled tick reads the meter only every
``idle_read_interval_seconds``, and a command is one call more. The calls are those the
engine makes to its cloud port, counted by the stand-in below (which answers at once, with
the room's live temperature: no upload lag).

The cloud is an in-memory stand-in that counts the calls, and a simple room: with the air
conditioner off it cools toward 8 °C outdoors (time constant ten hours), heating it warms
toward 30 °C (time constant two hours, so at most about 0.15 °C a minute); it is at 17 °C at
00:00. Times are wall-clock
times of the windows' time zone; UTC is used to compute, so the figure does not depend on the
machine's time zone data. The output is deterministic (plain SVG text, no timestamps): it is
reviewed as a diff, and the test suite checks that it is current.

Usage, from the repository root (the engine's package imports Home Assistant, so use the
project's environment)::

    .venv/bin/python scripts/draw_polling_day            # writes docs/polling-day.svg
    .venv/bin/python scripts/draw_polling_day --check    # exit 1 if the file is stale
    .venv/bin/python scripts/draw_polling_day --summary  # print the counts only
"""

import argparse
from collections import Counter
from collections.abc import Coroutine, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
import math
from pathlib import Path
import sys
from typing import Any
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from custom_components.switchbot_automation.engine.automation_state import AutomationState  # noqa: E402
from custom_components.switchbot_automation.engine.polling import compute_interval  # noqa: E402
from custom_components.switchbot_automation.engine.port import Reading  # noqa: E402
from custom_components.switchbot_automation.engine.settings import (  # noqa: E402
    DEFAULT_SETTINGS,
    Settings,
    format_time,
)
from custom_components.switchbot_automation.engine.tick import run_tick  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "docs" / "polling-day.svg"
SECONDS_PER_DAY = 86400
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# A Wednesday and the Saturday after it (no window on Saturdays with the defaults).
DAYS: tuple[date, ...] = (date(2026, 1, 14), date(2026, 1, 17))
# The default settings, with a thermometer and an air conditioner chosen.
SETTINGS = replace(DEFAULT_SETTINGS, meter_device_id="meter", aircon_device_id="aircon")

# The room.
OUTDOOR_CELSIUS = 8.0
COOLING_MINUTES = 600.0
HEATED_CELSIUS = 30.0
HEATING_MINUTES = 120.0
START_CELSIUS = 17.0
HEAT_MODE = 5

# Colours: one per polling mode (unknown modes get the last one).
MODE_COLOURS = {
    "in_window": "#f97316",
    "in_window_stretched": "#fdba74",
    "warmup": "#facc15",
    "idle": "#38bdf8",
    "pending_off_repeat": "#a855f7",
    "fixed": "#64748b",
    "automation_disabled": "#94a3b8",
    "no_windows": "#cbd5e1",
    "quota_exhausted": "#ef4444",
    "budget_limited": "#f43f5e",
}
OTHER_MODE_COLOUR = "#a3a3a3"
TICK_COLOUR = "#1e293b"
BAR_COLOUR = "#475569"
GRID_COLOUR = "#e2e8f0"
TEXT_COLOUR = "#0f172a"
MUTED_COLOUR = "#475569"
TEMPERATURE_COLOUR = "#dc2626"
THRESHOLD_COLOUR = "#94a3b8"
HEATING_COLOUR = "#fee2e2"

# Layout, in pixels.
WIDTH = 1000
LEFT = 150
RIGHT = 24
PLOT_WIDTH = WIDTH - LEFT - RIGHT
HEADER = 98
BAND_HEIGHT = 26
RUG_HEIGHT = 16
ROOM_HEIGHT = 70
BAR_HEIGHT = 56
GAP = 8
ROW_HEIGHT = 24 + BAND_HEIGHT + RUG_HEIGHT + ROOM_HEIGHT + BAR_HEIGHT + 4 * GAP + 34
LEGEND_HEIGHT = 40
MIN_LABEL_WIDTH = 120


class Room:
    """A room heated by the air conditioner, and the calls made to the stand-in cloud."""

    def __init__(self, start: datetime) -> None:
        self.temperature = START_CELSIUS
        self.heating = False
        self.calls = 0
        self._at = start

    def advance_to(self, now: datetime) -> None:
        """Let the room warm or cool until ``now``."""
        minutes = (now - self._at).total_seconds() / 60
        if self.heating:
            target, constant = HEATED_CELSIUS, HEATING_MINUTES
        else:
            target, constant = OUTDOOR_CELSIUS, COOLING_MINUTES
        decay = math.exp(-minutes / constant)
        self.temperature = target + (self.temperature - target) * decay
        self._at = now

    # The cloud port of the engine (``cloud_port.CloudPort``): each call is counted.

    async def async_get_meter_reading(self, device_id: str) -> Reading:
        """Read the room, to the tenth of a degree like a SwitchBot meter."""
        self.calls += 1
        return Reading(round(self.temperature, 1), 45.0)

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        """No status: the air conditioner is an infrared remote."""
        self.calls += 1
        return {}

    async def async_send_command(
        self,
        device_id: str,
        command: str,
        parameter: str = "default",
        command_type: str = "command",
    ) -> None:
        """Switch the heating: ``setAll`` in heat mode turns it on, anything else off."""
        self.calls += 1
        fields = parameter.split(",")
        self.heating = command == "setAll" and fields[1:2] == [str(HEAT_MODE)] and "on" in fields

    async def async_execute_scene(self, scene_id: str) -> None:
        """No scene is configured with the defaults."""
        self.calls += 1


def run_now[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (the stand-in cloud answers at once)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the coroutine suspended")


@dataclass(frozen=True, slots=True)
class Tick:
    """One tick: when it ran, what the engine chose after it, and what it found."""

    at: datetime
    seconds: int
    mode: str
    calls: int
    temperature: float
    heating: bool


def simulate_day(settings: Settings, day: date, tz: tzinfo = UTC) -> list[Tick]:
    """Return the ticks from 00:00 to the end of ``day`` (wall-clock time in ``tz``)."""
    start = datetime.combine(day, time(), tzinfo=tz)
    end = start + timedelta(days=1)
    room = Room(start)
    state = AutomationState()
    ticks: list[Tick] = []
    now = start
    while now < end:
        room.advance_to(now)
        calls_before = room.calls
        state = run_now(run_tick(settings, state, now, room, tz)).state
        calls = room.calls - calls_before
        for _ in range(calls):
            state.quota.record_call(now)  # the coordinator's on_request hook
        poll = compute_interval(settings, state, now, tz)
        ticks.append(Tick(now, poll.seconds, poll.mode, calls, room.temperature, room.heating))
        now += timedelta(seconds=poll.seconds)
    return ticks


def seconds_into_day(instant: datetime) -> float:
    """Seconds from the day's 00:00 to ``instant``."""
    midnight = instant.replace(hour=0, minute=0, second=0, microsecond=0)
    return (instant - midnight).total_seconds()


def spans(ticks: Sequence[Tick], key: str) -> list[tuple[float, float, Any]]:
    """Merge the ticks into ``(start, end, value)`` spans of the attribute ``key``."""
    result: list[tuple[float, float, Any]] = []
    for tick in ticks:
        start = seconds_into_day(tick.at)
        end = min(SECONDS_PER_DAY, start + tick.seconds)
        value = getattr(tick, key)
        if result and result[-1][2] == value and result[-1][1] == start:
            result[-1] = (result[-1][0], end, value)
        else:
            result.append((start, end, value))
    return result


def calls_per_hour(ticks: Iterable[Tick]) -> list[int]:
    """Count the API calls made in each hour of the day."""
    counts: Counter[int] = Counter()
    for tick in ticks:
        counts[int(seconds_into_day(tick.at) // 3600)] += tick.calls
    return [counts.get(hour, 0) for hour in range(24)]


def window_text(settings: Settings) -> str:
    """Describe the windows, e.g. ``Mon-Fri 07:00-22:00`` (with en dashes)."""
    parts = []
    for window in settings.time_windows:
        days = window.days
        consecutive = list(days) == list(range(days[0], days[-1] + 1))
        if len(days) > 2 and consecutive:
            day_text = f"{DAY_NAMES[days[0]]}\N{EN DASH}{DAY_NAMES[days[-1]]}"
        else:
            day_text = ", ".join(DAY_NAMES[day] for day in days)
        parts.append(f"{day_text} {format_time(window.start)}\N{EN DASH}{format_time(window.end)}")
    return "; ".join(parts) or "none"


def fixed_ticks(settings: Settings) -> int:
    """Ticks in a day with adaptive polling off (always the base interval)."""
    return -(-SECONDS_PER_DAY // settings.poll_interval_seconds)


def x_of(seconds: float) -> float:
    """Horizontal position of an instant of the day, given in seconds after 00:00."""
    return LEFT + seconds / SECONDS_PER_DAY * PLOT_WIDTH


def number(value: float) -> str:
    """Format a coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def rect(x: float, y: float, width: float, height: float, fill: str, *, extra: str = "") -> str:
    """An SVG rectangle."""
    return (
        f'<rect x="{number(x)}" y="{number(y)}" width="{number(width)}" '
        f'height="{number(height)}" fill="{fill}"{extra}/>'
    )


def text(x: float, y: float, content: str, *, size: int = 12, extra: str = "") -> str:
    """An SVG text element."""
    return (
        f'<text x="{number(x)}" y="{number(y)}" font-size="{size}"{extra}>{escape(content)}</text>'
    )


def label(y: float, content: str, size: int = 12) -> str:
    """A row label, right-aligned in the left margin."""
    return text(LEFT - 10, y, content, size=size, extra=' text-anchor="end"')


def rug_runs(ticks: Iterable[Tick]) -> list[tuple[int, int]]:
    """Return runs ``(first, last)`` of pixel columns holding at least one tick."""
    columns = sorted({int(x_of(seconds_into_day(tick.at))) for tick in ticks})
    runs: list[tuple[int, int]] = []
    for column in columns:
        if runs and column == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], column)
        else:
            runs.append((column, column))
    return runs


def draw_modes(y: float, ticks: Sequence[Tick]) -> list[str]:
    """The polling mode band."""
    parts = [label(y + 17, "polling mode")]
    for start, end, mode in spans(ticks, "mode"):
        width = x_of(end) - x_of(start)
        parts.append(rect(x_of(start), y, width, BAND_HEIGHT, mode_colour(mode)))
        if width >= MIN_LABEL_WIDTH:
            centre = x_of(start) + width / 2
            parts.append(text(centre, y + 17, mode, size=11, extra=' text-anchor="middle"'))
    return parts


def draw_room(y: float, ticks: Sequence[Tick], settings: Settings) -> list[str]:
    """The room temperature, the thresholds and the time the heating runs."""
    profile = settings.active_profile
    low = profile.min_temp - settings.hysteresis_celsius
    high = profile.max_temp + settings.hysteresis_celsius
    temperatures = [tick.temperature for tick in ticks]
    bottom = math.floor(min(low, *temperatures)) - 1
    top = math.ceil(max(high, *temperatures)) + 1

    def y_of(celsius: float) -> float:
        return y + ROOM_HEIGHT * (top - celsius) / (top - bottom)

    parts = [label(y + 14, "room (°C)"), label(y + 28, "heating shaded", size=11)]
    parts.extend(
        rect(x_of(start), y, x_of(end) - x_of(start), ROOM_HEIGHT, HEATING_COLOUR)
        for start, end, heating in spans(ticks, "heating")
        if heating
    )
    parts.append(rect(LEFT, y, PLOT_WIDTH, ROOM_HEIGHT, "none", extra=f' stroke="{GRID_COLOUR}"'))
    for celsius in (low, high):
        parts.append(
            f'<line x1="{LEFT}" y1="{number(y_of(celsius))}" x2="{LEFT + PLOT_WIDTH}" '
            f'y2="{number(y_of(celsius))}" stroke="{THRESHOLD_COLOUR}" stroke-dasharray="4 3"/>'
        )
        parts.append(
            text(
                LEFT + 4, y_of(celsius) - 3, f"{celsius:g}", size=9, extra=f' fill="{MUTED_COLOUR}"'
            )
        )
    points = " ".join(
        f"{number(x_of(seconds_into_day(tick.at)))},{number(y_of(tick.temperature))}"
        for tick in ticks
    )
    parts.append(
        f'<polyline points="{points}" fill="none" stroke="{TEMPERATURE_COLOUR}" '
        'stroke-width="1.5"/>'
    )
    return parts


def draw_calls(y: float, ticks: Sequence[Tick], scale: int) -> list[str]:
    """The API calls made in each hour."""
    parts = [label(y + 14, "API calls per hour"), label(y + 28, f"(scale: {scale})", size=11)]
    parts.append(rect(LEFT, y, PLOT_WIDTH, BAR_HEIGHT, "none", extra=f' stroke="{GRID_COLOUR}"'))
    hour_width = PLOT_WIDTH / 24
    for hour, count in enumerate(calls_per_hour(ticks)):
        height = BAR_HEIGHT * count / scale
        x = LEFT + hour * hour_width
        parts.append(rect(x + 1, y + BAR_HEIGHT - height, hour_width - 2, height, BAR_COLOUR))
        parts.append(
            text(
                x + hour_width / 2,
                y + BAR_HEIGHT - height - 3,
                str(count),
                size=9,
                extra=' text-anchor="middle"',
            )
        )
    return parts


def mode_colour(mode: str) -> str:
    """The colour of a polling mode."""
    return MODE_COLOURS.get(mode, OTHER_MODE_COLOUR)


def draw_row(y: float, day: date, ticks: Sequence[Tick], scale: int) -> list[str]:
    """Draw one day, from ``y`` down."""
    calls = sum(tick.calls for tick in ticks)
    parts = [
        text(LEFT, y + 14, f"{day:%A}", size=14, extra=' font-weight="bold"'),
        text(
            WIDTH - RIGHT,
            y + 14,
            f"{len(ticks):,} ticks, {calls:,} API calls "
            f"(a tick every {SETTINGS.poll_interval_seconds} s: {fixed_ticks(SETTINGS):,} ticks)",
            extra=' text-anchor="end"',
        ),
    ]
    y += 24
    parts.extend(draw_modes(y, ticks))
    y += BAND_HEIGHT + GAP
    parts.append(label(y + 12, "ticks"))
    parts.extend(
        rect(first, y, last - first + 1, RUG_HEIGHT, TICK_COLOUR) for first, last in rug_runs(ticks)
    )
    y += RUG_HEIGHT + GAP
    parts.extend(draw_room(y, ticks, SETTINGS))
    y += ROOM_HEIGHT + GAP
    parts.extend(draw_calls(y, ticks, scale))
    y += BAR_HEIGHT + 14
    parts.extend(
        text(x_of(hour * 3600), y, f"{hour:02d}:00", size=10, extra=' text-anchor="middle"')
        for hour in range(0, 25, 3)
    )
    return parts


def draw() -> str:
    """Return the SVG document."""
    days = [(day, simulate_day(SETTINGS, day)) for day in DAYS]
    scale = max(1, *(max(calls_per_hour(ticks)) for _, ticks in days))
    height = HEADER + ROW_HEIGHT * len(days) + LEGEND_HEIGHT
    seen = {tick.mode for _, ticks in days for tick in ticks}
    modes = [mode for mode in MODE_COLOURS if mode in seen] + sorted(seen - set(MODE_COLOURS))
    settings = SETTINGS
    profile = settings.active_profile
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" fill="{TEXT_COLOUR}">',
        rect(0, 0, WIDTH, height, "#ffffff"),
        text(LEFT, 28, "A day of adaptive polling with the default settings", size=18),
        text(
            LEFT,
            50,
            f"window {window_text(settings)} \N{MIDDLE DOT} base interval "
            f"{settings.poll_interval_seconds} s \N{MIDDLE DOT} idle interval "
            f"{settings.idle_poll_interval_seconds} s \N{MIDDLE DOT} warm-up "
            f"{settings.poll_warmup_minutes} min \N{MIDDLE DOT} {settings.mode} "
            f"{profile.min_temp:g}\N{EN DASH}{profile.max_temp:g} °C",
            extra=f' fill="{MUTED_COLOUR}"',
        ),
        text(
            LEFT,
            67,
            f"fastest change {settings.max_temperature_rate:g} °C/min \N{MIDDLE DOT} longest "
            f"window interval {settings.max_window_poll_interval_seconds} s \N{MIDDLE DOT} "
            f"meter update {settings.meter_update_interval_seconds} s \N{MIDDLE DOT} idle reads "
            f"every {settings.idle_read_interval_seconds} s \N{MIDDLE DOT} budget "
            f"{settings.daily_call_budget} calls/day",
            extra=f' fill="{MUTED_COLOUR}"',
        ),
        text(
            LEFT,
            85,
            "the engine's ticks and intervals (tick.run_tick, polling.compute_interval) on a "
            "simulated room; drawn by scripts/draw_polling_day",
            size=11,
            extra=f' fill="{MUTED_COLOUR}"',
        ),
    ]
    for index, (day, ticks) in enumerate(days):
        parts.extend(draw_row(HEADER + index * ROW_HEIGHT, day, ticks, scale))
    legend_y = HEADER + ROW_HEIGHT * len(days) + 10
    x = float(LEFT)
    for mode in modes:
        parts.append(rect(x, legend_y, 14, 14, mode_colour(mode)))
        parts.append(text(x + 20, legend_y + 12, mode))
        x += 40 + 7.5 * len(mode)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def counts() -> dict[date, tuple[int, int]]:
    """The ticks and API calls of each drawn day."""
    result = {}
    for day in DAYS:
        ticks = simulate_day(SETTINGS, day)
        result[day] = (len(ticks), sum(tick.calls for tick in ticks))
    return result


def summary() -> str:
    """Describe each drawn day: ticks by mode and API calls."""
    lines = []
    for day in DAYS:
        ticks = simulate_day(SETTINGS, day)
        by_mode = Counter(tick.mode for tick in ticks)
        detail = ", ".join(f"{mode} {count}" for mode, count in sorted(by_mode.items()))
        calls = sum(tick.calls for tick in ticks)
        lines.append(f"{day:%A}: {len(ticks)} ticks ({detail}), {calls} API calls")
    lines.append(f"a tick every {SETTINGS.poll_interval_seconds} s: {fixed_ticks(SETTINGS)} ticks")
    return "\n".join(lines)


def main() -> int:
    """Write, check or summarise the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="SVG file to write")
    parser.add_argument("--check", action="store_true", help="fail if the file is not current")
    parser.add_argument("--summary", action="store_true", help="print the counts only")
    args = parser.parse_args()
    if args.summary:
        print(summary())
        return 0
    svg = draw()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != svg:
            print(f"{args.out} is stale: run scripts/draw_polling_day", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg, encoding="utf-8")
    print(f"wrote {args.out}")
    print(summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
