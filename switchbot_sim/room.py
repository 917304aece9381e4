"""A one-room thermal model heated or cooled by one infrared air conditioner.

Newton's law of cooling plus a constant push while the AC heats or cools::

    dT/dt = (outdoor - T) / time_constant + drive,   drive = +-ac_rate (0 otherwise)

The room is integrated lazily up to the clock's current time whenever it is read or changed,
with the exact exponential solution over steps of constant inputs, so the result depends only
on the simulated times of the reads and writes, never on real time. Every change of a
parameter or of the AC state first integrates up to now, so it takes effect from now on.

A real meter does not report every change to the cloud: the hub uploads a sample every few
minutes (SwitchBot's support gives 2 minutes), so the cloud's value lags the room. With
``report_interval`` > 0 the room keeps the temperature it had at the last upload, at
``report_phase`` plus a multiple of ``report_interval`` seconds since the Unix epoch
(``reported_temperature``), which is what the cloud's status answers; 0, the default,
reports the temperature of the moment.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import math
from typing import Final

from .clock import SimClock

MODE_AUTO: Final = 1
MODE_COOL: Final = 2
MODE_DRY: Final = 3
MODE_FAN: Final = 4
MODE_HEAT: Final = 5

type Outdoor = float | Callable[[datetime], float]
"""A constant outdoor temperature, or a function of the simulated UTC time."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_STEP: Final = 60.0
"""Seconds per integration step when the outdoor temperature varies with time."""


@dataclass(frozen=True, slots=True)
class AirConditionerState:
    """What the infrared remote last told the air conditioner (``setAll`` fields)."""

    power: bool = False
    mode: int = MODE_AUTO
    temperature: float = 25.0
    fan_speed: int = 1

    @property
    def heating(self) -> bool:
        """Whether the unit is on in heat mode."""
        return self.power and self.mode == MODE_HEAT

    @property
    def cooling(self) -> bool:
        """Whether the unit is on in cool mode (auto, dry and fan change nothing here)."""
        return self.power and self.mode == MODE_COOL


def daily_sine(
    mean: float, amplitude: float, warmest_hour: float = 15.0
) -> Callable[[datetime], float]:
    """Return an outdoor temperature swinging ``amplitude`` around ``mean`` once a day.

    The warmest moment is at ``warmest_hour`` UTC and the coldest twelve hours away.
    """

    def outdoor(now: datetime) -> float:
        hours = (now - now.replace(hour=0, minute=0, second=0, microsecond=0)) / timedelta(hours=1)
        return mean + amplitude * math.cos(2 * math.pi * (hours - warmest_hour) / 24)

    return outdoor


class Room:
    """The room the meter measures and the air conditioner acts on."""

    def __init__(
        self,
        clock: SimClock,
        *,
        temperature: float = 20.0,
        outdoor: Outdoor = 10.0,
        humidity: float = 45.0,
        time_constant: float = 3 * 3600.0,
        ac_rate: float = 0.1,
        report_interval: float = 0.0,
        report_phase: float = 0.0,
    ) -> None:
        """Start the room at ``temperature`` °C, now.

        ``time_constant`` (seconds) sets how fast the room drifts toward ``outdoor``;
        ``ac_rate`` (°C per minute) is how fast the AC heats or cools on top of that drift.
        ``humidity`` (%) is reported as is: no model needs it. ``report_interval`` (seconds)
        is how often the meter's sample reaches the cloud, ``report_phase`` (seconds) when
        (module docstring).
        """
        self._clock = clock
        self._updated = clock.now()
        self._temperature = temperature
        self._outdoor = outdoor
        self._time_constant = time_constant
        self._ac_rate = ac_rate
        self._ac = AirConditionerState()
        self._report_interval = report_interval
        self._report_phase = report_phase
        self._reported = temperature
        self.humidity = humidity

    @property
    def temperature(self) -> float:
        """The room temperature now, in °C."""
        self._catch_up()
        return self._temperature

    @temperature.setter
    def temperature(self, value: float) -> None:
        self._catch_up()
        self._temperature = value

    @property
    def reported_temperature(self) -> float:
        """The temperature the cloud knows now: the last sample uploaded (module docstring)."""
        self._catch_up()
        return self._reported if self._report_interval > 0 else self._temperature

    @property
    def report_interval(self) -> float:
        """Seconds between two samples uploaded to the cloud; 0 reports every change."""
        return self._report_interval

    @report_interval.setter
    def report_interval(self, value: float) -> None:
        self._catch_up()
        self._reported = self._temperature
        self._report_interval = value

    @property
    def report_phase(self) -> float:
        """Seconds past each multiple of ``report_interval`` since the epoch of an upload."""
        return self._report_phase

    @report_phase.setter
    def report_phase(self, value: float) -> None:
        self._catch_up()
        self._report_phase = value

    @property
    def ac(self) -> AirConditionerState:
        """The air conditioner's state now."""
        return self._ac

    @ac.setter
    def ac(self, state: AirConditionerState) -> None:
        self._catch_up()
        self._ac = state

    @property
    def outdoor(self) -> Outdoor:
        """The outdoor temperature: a constant or a function of the simulated time."""
        return self._outdoor

    @outdoor.setter
    def outdoor(self, value: Outdoor) -> None:
        self._catch_up()
        self._outdoor = value

    @property
    def time_constant(self) -> float:
        """Seconds for the gap to the outdoor temperature to shrink by a factor e."""
        return self._time_constant

    @time_constant.setter
    def time_constant(self, value: float) -> None:
        self._catch_up()
        self._time_constant = value

    @property
    def ac_rate(self) -> float:
        """°C per minute the air conditioner adds (heat) or removes (cool)."""
        return self._ac_rate

    @ac_rate.setter
    def ac_rate(self, value: float) -> None:
        self._catch_up()
        self._ac_rate = value

    def outdoor_at(self, when: datetime) -> float:
        """Return the outdoor temperature at ``when``."""
        return self._outdoor(when) if callable(self._outdoor) else self._outdoor

    def _catch_up(self) -> None:
        """Integrate from the last update to now.

        A clock set backwards (e.g. ``freezer.move_to`` to a date before the one the fixtures
        were created at) keeps the temperature and restarts the integration from the new time,
        so the room always evolves with the clock it is given.
        """
        now = self._clock.now()
        remaining = (now - self._updated).total_seconds()
        if remaining <= 0:
            self._updated = now
            return
        drive = 0.0
        if self._ac.heating:
            drive = self._ac_rate / 60
        elif self._ac.cooling:
            drive = -self._ac_rate / 60
        step_limit = _MAX_STEP if callable(self._outdoor) else remaining
        at = self._updated
        while remaining > 0:
            step = min(step_limit, remaining)
            sample_at = self._next_sample(at, step)
            if sample_at is not None:
                step = (sample_at - at).total_seconds()
            outdoor = self.outdoor_at(at + timedelta(seconds=step / 2))
            equilibrium = outdoor + drive * self._time_constant
            decay = math.exp(-step / self._time_constant)
            self._temperature = equilibrium + (self._temperature - equilibrium) * decay
            if sample_at is not None:
                self._reported = self._temperature
                at = sample_at
            else:
                at += timedelta(seconds=step)
            remaining -= step
        self._updated = now

    def _next_sample(self, at: datetime, step: float) -> datetime | None:
        """Return the next upload to the cloud after ``at``, if within ``step`` seconds.

        None as well when every change is reported. Computed on whole microseconds, so the
        integration lands on it exactly.
        """
        period = timedelta(seconds=self._report_interval)
        if period <= timedelta(0):
            return None
        origin = _EPOCH + timedelta(seconds=self._report_phase)
        sample_at = origin + ((at - origin) // period + 1) * period
        return sample_at if (sample_at - at).total_seconds() <= step else None
