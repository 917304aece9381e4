"""What the engine needs from a cloud client, and the failures it tells apart.

The engine depends on this protocol, not on the SwitchBot client: tests drive it with an
in-memory fake, and the engine stays free of HTTP and Home Assistant. The errors are the
engine's own, classified by what a tick must do about them; the glue's ``CloudAdapter``
translates the client's exceptions into them.
"""

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Reading:
    """A thermometer's climate values; each is None when the device omits it."""

    temperature: float | None
    humidity: float | None


class CloudError(Exception):
    """Base of every failure of a cloud call."""


class CloudAuthError(CloudError):
    """The cloud refused the credentials: re-authentication is needed."""


class CloudQuotaError(CloudError):
    """The account's daily call limit is reached."""


class CloudOfflineError(CloudError):
    """The device or its hub is offline."""


class CloudRefusedError(CloudError):
    """The cloud answered and refused the request itself (unknown device, bad command)."""


class CloudUnavailableError(CloudError):
    """No usable answer: network error, timeout, server error or garbled body."""


class InvalidReadingError(CloudError):
    """A thermometer reported a temperature that is not a finite number."""


class CloudPort(Protocol):
    """The calls a tick makes; each failure is a ``CloudError``."""

    async def async_get_meter_reading(self, device_id: str) -> Reading:
        """Return the reading of a thermometer."""

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        """Return the raw status body of a physical device."""

    async def async_send_command(self, device_id: str, command: str, parameter: str) -> None:
        """Send one command to a device."""

    async def async_execute_scene(self, scene_id: str) -> None:
        """Run a manual scene."""
