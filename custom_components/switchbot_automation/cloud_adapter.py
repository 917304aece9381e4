"""The SwitchBot Cloud client seen through the engine's ``CloudPort``.

The client and the engine each own their exceptions, so that neither depends on the other;
this adapter is the one place where a client error becomes the engine error that says what a
tick must do about it.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from .cloud import (
    DeviceList,
    SwitchBotAuthError,
    SwitchBotCloudClient,
    SwitchBotCommandError,
    SwitchBotDeviceOfflineError,
    SwitchBotError,
    SwitchBotInvalidReadingError,
    SwitchBotQuotaExceededError,
)
from .engine import (
    CloudAuthError,
    CloudError,
    CloudOfflineError,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
    InvalidReadingError,
    Reading,
)

_TRANSLATED: tuple[tuple[type[SwitchBotError], type[CloudError]], ...] = (
    (SwitchBotAuthError, CloudAuthError),
    (SwitchBotQuotaExceededError, CloudQuotaError),
    (SwitchBotDeviceOfflineError, CloudOfflineError),
    (SwitchBotCommandError, CloudRefusedError),
    (SwitchBotInvalidReadingError, InvalidReadingError),
)


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    """Re-raise a client error as the engine's error of the same meaning."""
    try:
        yield
    except SwitchBotError as err:
        engine_error = next(
            (mapped for source, mapped in _TRANSLATED if isinstance(err, source)),
            CloudUnavailableError,
        )
        raise engine_error(str(err)) from err


class CloudAdapter:
    """Implements ``CloudPort`` with a ``SwitchBotCloudClient``."""

    def __init__(self, client: SwitchBotCloudClient) -> None:
        """Wrap ``client``; every call goes through it."""
        self.client = client

    async def async_get_meter_reading(self, device_id: str) -> Reading:
        """Return the thermometer's temperature and humidity."""
        async with _translated():
            reading = await self.client.async_get_meter_reading(device_id)
        return Reading(reading.temperature, reading.humidity)

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        """Return the raw status body of a physical device."""
        async with _translated():
            return await self.client.async_get_status(device_id)

    async def async_send_command(self, device_id: str, command: str, parameter: str) -> None:
        """Send one command."""
        async with _translated():
            await self.client.async_send_command(device_id, command, parameter)

    async def async_execute_scene(self, scene_id: str) -> None:
        """Run a manual scene."""
        async with _translated():
            await self.client.async_execute_scene(scene_id)

    async def async_list_devices(self) -> DeviceList:
        """Return the account's devices (not part of ``CloudPort``: the glue needs them)."""
        async with _translated():
            return await self.client.async_list_devices()
