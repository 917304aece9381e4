"""Helpers of the engine tests: plain Python, no Home Assistant."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from custom_components.switchbot_automation.engine.port import CloudError, Reading
from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_SETTINGS,
    Settings,
    TimeWindow,
)

ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
# Regulation every day 08:00-20:00 (read in UTC by the tick tests).
DAY_WINDOW = TimeWindow(days=ALL_DAYS, start=time(8), end=time(20))
# Wednesday 2026-01-07, noon UTC: inside DAY_WINDOW; 22:00: outside.
NOON = datetime(2026, 1, 7, 12, tzinfo=UTC)
NIGHT = datetime(2026, 1, 7, 22, tzinfo=UTC)


def make_settings(**changes: Any) -> Settings:
    """Return the default settings with devices, one daily window, and ``changes``.

    Outside the window the AC is left alone unless a test turns ``turn_off_outside_windows``
    on (the default of new entries): the tests of the other outside-window outcomes need it.
    """
    base = replace(
        DEFAULT_SETTINGS,
        meter_device_id="meter-1",
        aircon_device_id="ac-1",
        time_windows=(DAY_WINDOW,),
        turn_off_outside_windows=False,
    )
    return replace(base, **changes)


def seconds(value: float) -> timedelta:
    """Shorthand for a timedelta in seconds."""
    return timedelta(seconds=value)


class FakeCloud:
    """An in-memory ``CloudPort`` that records every call and can fail on demand.

    Calls are recorded as tuples: ``("meter", device_id)``, ``("status", device_id)``,
    ``("command", device_id, command, parameter)``, ``("scene", scene_id)``. ``errors`` maps
    those first elements to an error raised by every such call (recorded first, as the cloud
    counts failed calls too).
    """

    def __init__(
        self,
        temperature: float | None = 20.0,
        *,
        humidity: float | None = 40.0,
        status: dict[str, Any] | None = None,
    ) -> None:
        self.reading = Reading(temperature=temperature, humidity=humidity)
        self.status: dict[str, Any] = status or {}
        self.errors: dict[str, CloudError] = {}
        self.calls: list[tuple[str, ...]] = []

    def _call(self, *call: str) -> None:
        self.calls.append(call)
        if (error := self.errors.get(call[0])) is not None:
            raise error

    @property
    def sent(self) -> list[tuple[str, ...]]:
        """The commands and scenes sent, in order."""
        return [call for call in self.calls if call[0] in ("command", "scene")]

    async def async_get_meter_reading(self, device_id: str) -> Reading:
        self._call("meter", device_id)
        return self.reading

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        self._call("status", device_id)
        return self.status

    async def async_send_command(
        self,
        device_id: str,
        command: str,
        parameter: str = "default",
        command_type: str = "command",
    ) -> None:
        assert command_type == "command"
        self._call("command", device_id, command, parameter)

    async def async_execute_scene(self, scene_id: str) -> None:
        self._call("scene", scene_id)
