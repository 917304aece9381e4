"""The SwitchBot Cloud client as Home Assistant's glue builds it from a config entry.

The config flow and the coordinator both need a client for the same account: building it in
one place keeps the shared web session, the API URL default and the account id identical.
"""

from collections.abc import Callable, Mapping
import hashlib
from typing import Any

from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .cloud_client import DEFAULT_API_URL, SwitchBotCloudClient
from .const import CONF_API_URL, CONF_SECRET


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


def account_unique_id(token: str) -> str:
    """Return the config entry's unique id for an account: a digest, never the raw token."""
    return hashlib.sha256(token.strip().encode()).hexdigest()
