"""What the config and options flows ask the SwitchBot Cloud, and how its failures read.

Several steps call the cloud (the credentials of set-up, reauthentication and
reconfiguration, the scene list of the options flow): they all turn a failure into the same
form error keys, and they all decide "same account" the same way, so both live here once.
"""

from collections.abc import Awaitable, Mapping
import logging
from typing import Any, Final

from homeassistant.core import HomeAssistant

from .cloud_errors import SwitchBotAuthError, SwitchBotConnectionError, SwitchBotQuotaExceededError
from .cloud_models import DeviceList, Scene
from .cloud_session import create_client
from .option_keys import OPT_AIRCON_DEVICE_ID, OPT_METER_DEVICE_ID

_LOGGER = logging.getLogger(__name__)

ERROR_INVALID_AUTH: Final = "invalid_auth"
ERROR_CANNOT_CONNECT: Final = "cannot_connect"
ERROR_QUOTA_EXCEEDED: Final = "quota_exceeded"
ERROR_UNKNOWN: Final = "unknown"


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


def holds_configured_devices(devices: DeviceList, options: Mapping[str, Any]) -> bool:
    """Whether the account of ``devices`` has the thermometer and the AC of ``options``.

    The entry's unique id is a digest of the token, so a new token of the same account
    cannot be recognised by it: the devices the entry drives are the account's fingerprint.
    """
    return all(
        devices.find(options.get(key, "")) is not None
        for key in (OPT_METER_DEVICE_ID, OPT_AIRCON_DEVICE_ID)
    )
