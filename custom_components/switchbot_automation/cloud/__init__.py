"""Async client for the SwitchBot Cloud API v1.1: signed requests, typed models and errors.

Self-contained (aiohttp and the standard library only), like a client library published on its
own: nothing here knows about Home Assistant or the automation.
"""

from .client import DEFAULT_API_URL, SwitchBotCloudClient, sign_request
from .exceptions import (
    SwitchBotAuthError,
    SwitchBotCommandError,
    SwitchBotConnectionError,
    SwitchBotDeviceOfflineError,
    SwitchBotError,
    SwitchBotInvalidReadingError,
    SwitchBotQuotaExceededError,
)
from .models import Device, DeviceList, InfraredRemote, MeterReading, Scene

__all__ = [
    "DEFAULT_API_URL",
    "Device",
    "DeviceList",
    "InfraredRemote",
    "MeterReading",
    "Scene",
    "SwitchBotAuthError",
    "SwitchBotCloudClient",
    "SwitchBotCommandError",
    "SwitchBotConnectionError",
    "SwitchBotDeviceOfflineError",
    "SwitchBotError",
    "SwitchBotInvalidReadingError",
    "SwitchBotQuotaExceededError",
    "sign_request",
]
