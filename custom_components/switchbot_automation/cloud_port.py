"""What the engine needs from the SwitchBot Cloud: the subset of ``SwitchBotCloudClient`` used.

The engine depends on this protocol rather than on the client so tests can drive it with an
in-memory fake, and so the engine stays free of HTTP and Home Assistant.
"""

from typing import Any, Protocol

from .cloud_models import MeterReading


class CloudPort(Protocol):
    """The calls a tick makes; errors are those of ``cloud_errors``."""

    async def async_get_meter_reading(self, device_id: str) -> MeterReading:
        """Return the reading of a thermometer (``SwitchBotInvalidReadingError`` if garbled)."""

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        """Return the raw status body of a physical device."""

    async def async_send_command(
        self,
        device_id: str,
        command: str,
        parameter: str = "default",
        command_type: str = "command",
    ) -> None:
        """Send one command to a device."""

    async def async_execute_scene(self, scene_id: str) -> None:
        """Run a manual scene."""
