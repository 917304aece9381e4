"""The simulator's HTTP face: the v1.1 endpoints over aiohttp, plus test conveniences.

Usage from a test::

    async with SwitchBotSimulator() as sim:
        client = SwitchBotCloudClient(session, sim.token, sim.secret, api_url=sim.url)
        sim.clock.advance(600)
        sim.inject(Fault.http(503))

Each request goes through one middleware, in this order: it is recorded in ``requests``, a
queued fault may answer it, a bad token or signature gets HTTP 401, the daily counter counts
it (answering HTTP 429 or a "daily limit" 190 past the limit), then the endpoint answers.
"""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
import json
import re
import socket
from types import TracebackType
from typing import Any, Final, Self

from aiohttp import web
from aiohttp.typedefs import Handler

from .account import DAILY_LIMIT_MESSAGE, QuotaResponse, SentCommand, VirtualAccount
from .auth import is_authorized
from .clock import SimClock
from .envelope import STATUS_INTERNAL_ERROR, ApiResult, failure
from .faults import CannedResponse, Fault, FaultInjector
from .room import AirConditionerState, Room

DEV_TOKEN: Final = "switchbot-simulator-token"  # noqa: S105 - a fixed development value
DEV_SECRET: Final = "switchbot-simulator-secret"  # noqa: S105 - a fixed development value
_SHUTDOWN_TIMEOUT: Final = 1.0
"""Seconds ``stop`` waits for requests still being served (e.g. a delay fault)."""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as received; ``body`` is the parsed JSON, or None if there was none."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    at: datetime
    authorized: bool
    fault: Fault | None


def _json_or_none(raw: bytes) -> Any:
    """Return the JSON value of a request body, or None when it is empty or not JSON."""
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _canned(response: CannedResponse) -> web.Response:
    """Serve a fault's canned answer as is."""
    return web.Response(
        status=response.status, body=response.body, content_type=response.content_type
    )


def _answer(result: ApiResult) -> web.Response:
    """Serve an account answer as the cloud does: HTTP 200 and a JSON envelope."""
    return web.json_response(result.to_json())


class SwitchBotSimulator:
    """A local SwitchBot Cloud for one virtual account, on 127.0.0.1 by default.

    ``clock`` is a ``SimClock``, or a ``now()`` callable to follow (e.g. Home Assistant's
    ``dt_util.utcnow`` under the ``freezer`` fixture); by default a manual clock starting at
    ``clock.DEFAULT_START``. ``port=0`` binds a free port, read back into ``url``.
    """

    def __init__(
        self,
        *,
        token: str = DEV_TOKEN,
        secret: str = DEV_SECRET,
        clock: SimClock | Callable[[], datetime] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Prepare the account; nothing listens until ``start``."""
        self.token = token
        self.secret = secret
        if clock is None:
            clock = SimClock()
        self.clock = clock if isinstance(clock, SimClock) else SimClock.following(clock)
        self.account = VirtualAccount(self.clock)
        self.faults = FaultInjector()
        self.requests: list[RecordedRequest] = []
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._placeholder: socket.socket | None = None

    # Conveniences for tests.

    @property
    def url(self) -> str:
        """Base URL to give the client as ``api_url`` (available once started)."""
        if self._url is None:
            raise RuntimeError("the simulator is not started")
        return self._url

    @property
    def room(self) -> Room:
        """The room the meter reads and the air conditioner heats or cools."""
        return self.account.room

    @property
    def ac_state(self) -> AirConditionerState:
        """The air conditioner's current state."""
        return self.account.room.ac

    @property
    def calls_today(self) -> int:
        """Authenticated calls counted today (UTC, simulated clock)."""
        return self.account.calls_today

    def inject(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        path: str | re.Pattern[str] | None = None,
        method: str | None = None,
    ) -> None:
        """Queue ``fault`` for the next ``times`` matching requests (see ``faults``)."""
        self.faults.inject(fault, times=times, path=path, method=method)

    def set_online(self, device_id: str, online: bool) -> None:
        """Take a device or hub offline (161 / 171) or bring it back."""
        self.account.set_online(device_id, online)

    def commands_sent(self, device_id: str | None = None) -> list[SentCommand]:
        """Return the accepted commands, optionally only those sent to ``device_id``."""
        return [
            command
            for command in self.account.commands
            if device_id is None or command.device_id == device_id
        ]

    # Serving.

    def build_app(self) -> web.Application:
        """Return the aiohttp application serving this simulator."""
        app = web.Application(middlewares=[self._gate])
        app.router.add_get("/v1.1/devices", self._list_devices)
        app.router.add_get("/v1.1/devices/{device_id}/status", self._status)
        app.router.add_post("/v1.1/devices/{device_id}/commands", self._command)
        app.router.add_get("/v1.1/scenes", self._list_scenes)
        app.router.add_post("/v1.1/scenes/{scene_id}/execute", self._execute_scene)
        app.router.add_post("/v1.1/webhook/{endpoint}", self._webhook)
        return app

    async def start(self) -> None:
        """Listen on ``host:port`` and set ``url``."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already started")
        runner = web.AppRunner(
            self.build_app(), handler_cancellation=True, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        if self._placeholder is not None:
            self._placeholder.close()
            self._placeholder = None
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self._url = f"http://{self._host}:{runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Stop listening (and free the address); the account, clock and records stay readable."""
        if self._placeholder is not None:
            self._placeholder.close()
            self._placeholder = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._url = None

    async def refuse_connections(self) -> None:
        """Stop listening but keep the address: connections are refused until ``start``.

        The port stays bound (not listening), so that no other process (a test running next
        to this one) is given it in the meantime and ``start`` serves on it again.
        """
        if self._runner is None:
            raise RuntimeError("the simulator is not started")
        port = self._runner.addresses[0][1]
        await self.stop()
        placeholder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Like the server's own socket: connections it closed may still wait on the port.
        placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        placeholder.bind((self._host, port))
        self._placeholder = placeholder
        self._port = port

    async def __aenter__(self) -> Self:
        """Start serving for the duration of an ``async with`` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()

    @web.middleware
    async def _gate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record, inject faults, authenticate and count, in the order the module states."""
        body = _json_or_none(await request.read())
        authorized = is_authorized(request.raw_headers, self.token, self.secret)
        fault = self.faults.take(request.method, request.path)
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                headers={name.decode(): value.decode() for name, value in request.raw_headers},
                body=body,
                at=self.clock.now(),
                authorized=authorized,
                fault=fault,
            )
        )
        if fault is not None and not fault.executes:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.response is not None:
                return _canned(fault.response)
        answer = await self._serve(request, handler, authorized=authorized)
        if fault is None or not fault.executes:
            return answer
        if fault.delay:
            await asyncio.sleep(fault.delay)
        return answer if fault.response is None else _canned(fault.response)

    async def _serve(
        self, request: web.Request, handler: Handler, *, authorized: bool
    ) -> web.StreamResponse:
        """Authenticate, count against the daily quota, and carry the request out."""
        if not authorized:
            return web.json_response({"message": "Unauthorized"}, status=401)
        if not self.account.register_call():
            if self.account.quota_response is QuotaResponse.STATUS_190:
                return _answer(failure(STATUS_INTERNAL_ERROR, DAILY_LIMIT_MESSAGE))
            return web.json_response({"message": "Too Many Requests"}, status=429)
        return await handler(request)

    async def _list_devices(self, _request: web.Request) -> web.Response:
        return _answer(self.account.list_devices())

    async def _status(self, request: web.Request) -> web.Response:
        return _answer(self.account.status(request.match_info["device_id"]))

    async def _command(self, request: web.Request) -> web.Response:
        payload = _json_or_none(await request.read())
        return _answer(self.account.command(request.match_info["device_id"], payload))

    async def _list_scenes(self, _request: web.Request) -> web.Response:
        return _answer(self.account.list_scenes())

    async def _execute_scene(self, request: web.Request) -> web.Response:
        return _answer(self.account.execute_scene(request.match_info["scene_id"]))

    async def _webhook(self, request: web.Request) -> web.Response:
        payload = _json_or_none(await request.read())
        return _answer(self.account.webhooks.handle(request.match_info["endpoint"], payload))
