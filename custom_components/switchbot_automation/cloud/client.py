"""Async client for the SwitchBot Cloud API v1.1.

One method, ``_request``, owns the signed headers, the timeout, the single GET retry and the
mapping of every failure to the errors of ``cloud_errors``: callers never see an aiohttp,
asyncio or JSON exception. Only aiohttp and the standard library are used, so the module
runs inside Home Assistant without extra requirements and is testable without it.
"""

import asyncio
import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
import hashlib
import hmac
import json
import logging
import time
from typing import Any, Final
from urllib.parse import quote
import uuid

import aiohttp

from .exceptions import (
    SwitchBotAuthError,
    SwitchBotCommandError,
    SwitchBotConnectionError,
    SwitchBotDeviceOfflineError,
    SwitchBotQuotaExceededError,
)
from .models import DeviceList, MeterReading, Scene

_LOGGER = logging.getLogger(__name__)

DEFAULT_API_URL: Final = "https://api.switch-bot.com"
REQUEST_TIMEOUT: Final = 10.0
"""Seconds allowed for one request, connection and body included."""
GET_RETRY_DELAY: Final = 0.5
"""Seconds to wait before the single retry of a GET that met a 5xx or a network error."""

_STATUS_SUCCESS: Final = 100
_OFFLINE_STATUS_CODES: Final = frozenset({161, 171})
_STATUS_INTERNAL_ERROR: Final = 190
_DAILY_LIMIT_MARKERS: Final = ("daily limit", "too many requests")
"""Messages of a statusCode 190 answer that mean the daily quota, not a bad command."""
_MESSAGE_LIMIT: Final = 200
"""Longest server-supplied message kept in an error, so a verbose body cannot flood logs."""


def sign_request(token: str, secret: str, t: str, nonce: str) -> str:
    """Return the ``sign`` header: base64 of HMAC-SHA256 keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{token}{t}{nonce}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class SwitchBotCloudClient:
    """Talks to the SwitchBot Cloud with one account's token and secret.

    ``on_request(method, path)`` is called once for every request that got an HTTP response,
    errors included, so the caller can count calls against the 10,000-a-day quota the way
    the cloud does. A request that timed out or never connected is not reported; a timed
    out request may still have been counted by the cloud, which the caller accepts as a
    small under-count rather than guessing.

    Retry policy: a POST is never retried (a command or scene might run twice). A GET that
    met an HTTP 5xx or a network error is retried once after ``retry_delay`` seconds. A GET
    that timed out is not retried: it already waited ``request_timeout`` seconds, and the
    caller's next polling cycle is the better retry.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: str,
        secret: str,
        *,
        api_url: str = DEFAULT_API_URL,
        request_timeout: float = REQUEST_TIMEOUT,
        on_request: Callable[[str, str], None] | None = None,
        retry_delay: float = GET_RETRY_DELAY,
    ) -> None:
        """Use ``session`` (owned by the caller, e.g. Home Assistant's shared one)."""
        self._session = session
        self._token = token
        self._secret = secret
        self._api_url = api_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._on_request = on_request
        self._retry_delay = retry_delay

    async def async_list_devices(self) -> DeviceList:
        """Return the account's physical devices and infrared remotes."""
        path = "/v1.1/devices"
        body = await self._request("GET", path)
        if not isinstance(body, dict):
            raise SwitchBotConnectionError(f"GET {path} returned a body that is not an object")
        with self._reading_body("GET", path):
            return DeviceList.from_api(body)

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        """Return the raw status ``body`` of a physical device."""
        path = f"/v1.1/devices/{quote(device_id, safe='')}/status"
        body = await self._request("GET", path)
        if not isinstance(body, dict):
            raise SwitchBotConnectionError(f"GET {path} returned a body that is not an object")
        return body

    async def async_get_meter_reading(self, device_id: str) -> MeterReading:
        """Return the temperature, humidity and battery a device reports.

        Raises ``SwitchBotInvalidReadingError`` when the temperature is not a finite number.
        """
        return MeterReading.from_api(await self.async_get_status(device_id))

    async def async_send_command(
        self,
        device_id: str,
        command: str,
        parameter: str = "default",
        command_type: str = "command",
    ) -> None:
        """Send one command, e.g. ``setAll`` with ``"26,5,1,on"`` to an infrared AC remote."""
        await self._request(
            "POST",
            f"/v1.1/devices/{quote(device_id, safe='')}/commands",
            {"command": command, "parameter": parameter, "commandType": command_type},
        )

    async def async_list_scenes(self) -> list[Scene]:
        """Return the account's manual scenes."""
        path = "/v1.1/scenes"
        body = await self._request("GET", path)
        if not isinstance(body, list):
            raise SwitchBotConnectionError(f"GET {path} returned a body that is not a list")
        with self._reading_body("GET", path):
            return [Scene.from_api(entry) for entry in body]

    async def async_execute_scene(self, scene_id: str) -> None:
        """Run a manual scene."""
        await self._request("POST", f"/v1.1/scenes/{quote(scene_id, safe='')}/execute")

    async def _request(
        self, method: str, path: str, payload: dict[str, str] | None = None
    ) -> object:
        """Send one signed request and return the ``body`` of a statusCode 100 answer."""
        attempts_left = 2 if method == "GET" else 1
        while True:
            attempts_left -= 1
            try:
                status, raw = await self._exchange(method, path, payload)
            except TimeoutError as err:
                raise SwitchBotConnectionError(
                    f"{method} {path} timed out after {self._timeout.total} s"
                ) from err
            except aiohttp.ClientError as err:
                reason = self._redacted(f"{type(err).__name__}: {err}")
                if not attempts_left:
                    raise SwitchBotConnectionError(f"{method} {path} failed: {reason}") from err
                _LOGGER.debug("%s %s failed (%s), retrying once", method, path, reason)
            else:
                if status < 500 or not attempts_left:
                    return self._unwrap(method, path, status, raw)
                _LOGGER.debug("%s %s answered HTTP %s, retrying once", method, path, status)
            await asyncio.sleep(self._retry_delay)

    async def _exchange(
        self, method: str, path: str, payload: dict[str, str] | None
    ) -> tuple[int, bytes]:
        """Perform one signed HTTP exchange and return the status and the raw body."""
        t = str(int(time.time() * 1000))
        nonce = str(uuid.uuid4())
        headers = {
            "authorization": self._token,
            "t": t,
            "nonce": nonce,
            "sign": sign_request(self._token, self._secret, t, nonce),
        }
        data = None
        if method == "POST":
            headers["content-type"] = "application/json; charset=utf8"
            data = json.dumps(payload or {}).encode()
        async with self._session.request(
            method,
            f"{self._api_url}{path}",
            headers=headers,
            data=data,
            timeout=self._timeout,
            allow_redirects=False,
        ) as response:
            if self._on_request is not None:
                self._on_request(method, path)
            return response.status, await response.read()

    def _unwrap(self, method: str, path: str, status: int, raw: bytes) -> object:
        """Map an HTTP answer to the ``body`` of a successful envelope or to an error."""
        where = f"{method} {path}"
        if status in (401, 403):
            raise SwitchBotAuthError(f"{where}: HTTP {status}, token or secret refused")
        if status == 429:
            raise SwitchBotQuotaExceededError(f"{where}: HTTP 429, daily request limit reached")
        if not 200 <= status < 300:
            raise SwitchBotConnectionError(f"{where}: unexpected HTTP {status}")
        try:
            envelope = json.loads(raw)
        except ValueError as err:  # UnicodeDecodeError and JSONDecodeError included
            raise SwitchBotConnectionError(f"{where}: HTTP {status} body is not JSON") from err
        if not isinstance(envelope, dict):
            raise SwitchBotConnectionError(f"{where}: response is not a JSON object")
        code = envelope.get("statusCode")
        if not isinstance(code, int) or isinstance(code, bool):
            raise SwitchBotConnectionError(f"{where}: response has no integer statusCode")
        if code == _STATUS_SUCCESS:
            _LOGGER.debug("%s: statusCode 100", where)
            return envelope.get("body")
        message = envelope.get("message")
        message = self._redacted(message if isinstance(message, str) else "")
        detail = f"{where}: statusCode {code} ({message})"
        if code in _OFFLINE_STATUS_CODES:
            raise SwitchBotDeviceOfflineError(detail, code)
        if code == _STATUS_INTERNAL_ERROR and any(
            marker in message.lower() for marker in _DAILY_LIMIT_MARKERS
        ):
            raise SwitchBotQuotaExceededError(detail)
        raise SwitchBotCommandError(detail, code)

    @contextmanager
    def _reading_body(self, method: str, path: str) -> Iterator[None]:
        """Report a body the models cannot read like any other answer that is not the API's."""
        try:
            yield
        except (KeyError, TypeError, ValueError) as err:
            reason = self._redacted(f"{type(err).__name__}: {err}")
            raise SwitchBotConnectionError(
                f"{method} {path} returned an unexpected body: {reason}"
            ) from err

    def _redacted(self, text: str) -> str:
        """Shorten ``text`` and mask the credentials should a server or library echo them."""
        for credential in (self._token, self._secret):
            if credential:
                text = text.replace(credential, "***")
        return text[:_MESSAGE_LIMIT]
