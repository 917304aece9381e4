"""The SwitchBot account as the glue sees it: its client, its unique id, the flows' calls.

The config flow, the room flow and the coordinator all need a client for the same account:
building it in one place keeps the shared web session, the API URL default and the account id
identical. Several flow steps call the cloud (the credentials of set-up, reauthentication and
reconfiguration, the device list of a room, its scene list): they turn a failure into the same
form error keys and decide "same account" the same way.
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping
import hashlib
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .cloud import (
    DEFAULT_API_URL,
    DeviceList,
    Scene,
    SwitchBotAuthError,
    SwitchBotCloudClient,
    SwitchBotConnectionError,
    SwitchBotQuotaExceededError,
)
from .const import CONF_API_URL, CONF_SECRET, SUBENTRY_ROOM

_LOGGER = logging.getLogger(__name__)

ERROR_INVALID_AUTH: Final = "invalid_auth"
ERROR_CANNOT_CONNECT: Final = "cannot_connect"
ERROR_QUOTA_EXCEEDED: Final = "quota_exceeded"
ERROR_UNKNOWN: Final = "unknown"


def create_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    *,
    on_request: Callable[[str, str], None] | None = None,
) -> SwitchBotCloudClient:
    """Return a client for the account in ``data`` (``entry.data`` or a flow's input).

    It uses Home Assistant's shared web session, so tests may stand in for the cloud with
    ``aioclient_mock`` or point ``api_url`` at the local simulator.
    """
    return SwitchBotCloudClient(
        async_get_clientsession(hass),
        data[CONF_TOKEN],
        data[CONF_SECRET],
        api_url=data.get(CONF_API_URL) or DEFAULT_API_URL,
        on_request=on_request,
    )


def rooms_of(entry: ConfigEntry) -> list[ConfigSubentry]:
    """Return the rooms of ``entry`` (its config subentries of type ``SUBENTRY_ROOM``)."""
    return [
        subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_ROOM
    ]


def account_unique_id(token: str) -> str:
    """Return the config entry's unique id for an account: a digest, never the raw token."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


class CloudStepError(Exception):
    """A cloud call made by a flow failed; ``error_key`` is the form error to show."""

    def __init__(self, error_key: str) -> None:
        """Keep the translation key of the form error."""
        super().__init__(error_key)
        self.error_key = error_key


async def _async_call[T](call: Awaitable[T]) -> T:
    """Await ``call``, turning every failure into a ``CloudStepError``.

    A flow must show a form error whatever went wrong, never a stack trace: failures the
    client does not classify (e.g. the cloud refusing a request with a status code) become
    ``unknown`` and are logged with their traceback, since only the log can explain them.
    """
    try:
        return await call
    except SwitchBotAuthError as err:
        raise CloudStepError(ERROR_INVALID_AUTH) from err
    except SwitchBotQuotaExceededError as err:
        raise CloudStepError(ERROR_QUOTA_EXCEEDED) from err
    except SwitchBotConnectionError as err:
        raise CloudStepError(ERROR_CANNOT_CONNECT) from err
    except Exception as err:
        _LOGGER.exception("Unexpected error from the SwitchBot Cloud")
        raise CloudStepError(ERROR_UNKNOWN) from err


async def async_fetch_devices(hass: HomeAssistant, data: Mapping[str, Any]) -> DeviceList:
    """Return the devices of the account in ``data``; proves the credentials work.

    Raises ``CloudStepError``.
    """
    return await _async_call(create_client(hass, data).async_list_devices())


async def async_fetch_scenes(hass: HomeAssistant, data: Mapping[str, Any]) -> list[Scene]:
    """Return the manual scenes of the account in ``data``. Raises ``CloudStepError``."""
    return await _async_call(create_client(hass, data).async_list_scenes())


def holds_configured_devices(devices: DeviceList, rooms: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the account of ``devices`` has the thermometers and ACs of all the ``rooms``.

    ``rooms`` are the rooms' options (the config subentries' data). The entry's unique id is a
    digest of the token, so a new token of the same account cannot be recognised by it: the
    devices the rooms drive are the account's fingerprint. A room measured by a sensor entity
    alone has no SwitchBot thermometer to look for.
    """
    return all(
        devices.find(room[key]) is not None
        for room in rooms
        for key in ("meter_device_id", "aircon_device_id")
        if room.get(key)
    )
