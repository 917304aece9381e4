"""Tests of the SwitchBot Cloud client, its errors and models, over real HTTP to the simulator."""

from collections.abc import AsyncGenerator, Callable
import dataclasses
import logging
import math
import re
import socket
from typing import Any
import uuid

import aiohttp
from hypothesis import given, strategies as st
import pytest

from custom_components.switchbot_automation.cloud.client import (
    DEFAULT_API_URL,
    REQUEST_TIMEOUT,
    SwitchBotCloudClient,
    sign_request,
)
from custom_components.switchbot_automation.cloud.exceptions import (
    SwitchBotAuthError,
    SwitchBotCommandError,
    SwitchBotConnectionError,
    SwitchBotDeviceOfflineError,
    SwitchBotError,
    SwitchBotInvalidReadingError,
    SwitchBotQuotaExceededError,
)
from custom_components.switchbot_automation.cloud.models import (
    Device,
    DeviceList,
    InfraredRemote,
    MeterReading,
    Scene,
)
from switchbot_sim import (
    AC_REMOTE_ID,
    HUB_ID,
    METER_ID,
    SCENE_WINTER_ID,
    TV_REMOTE_ID,
    Fault,
    SwitchBotSimulator,
)
from switchbot_sim.faults import CannedResponse

type Calls = list[tuple[str, str]]
type ClientFactory = Callable[..., SwitchBotCloudClient]


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def calls() -> Calls:
    """What ``on_request`` reported, in order."""
    return []


@pytest.fixture
def make_client(
    session: aiohttp.ClientSession, simulator: SwitchBotSimulator, calls: Calls
) -> ClientFactory:
    """Build a client on the simulator that records ``on_request`` into ``calls``."""

    def make(**overrides: Any) -> SwitchBotCloudClient:
        options: dict[str, Any] = {
            "token": simulator.token,
            "secret": simulator.secret,
            "api_url": simulator.url,
            "on_request": lambda method, path: calls.append((method, path)),
            "retry_delay": 0,
        } | overrides
        token, secret = options.pop("token"), options.pop("secret")
        return SwitchBotCloudClient(session, token, secret, **options)

    return make


@pytest.fixture
def client(make_client: ClientFactory) -> SwitchBotCloudClient:
    return make_client()


def assert_no_credentials(error: BaseException, simulator: SwitchBotSimulator) -> None:
    assert simulator.token not in str(error)
    assert simulator.secret not in str(error)


# Signing and headers.


def test_sign_request_matches_known_vector() -> None:
    # Computed once with hmac/hashlib/base64 from the API documentation's recipe.
    assert (
        sign_request(
            "vector-token", "vector-secret", "1700000000000", "6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"
        )
        == "HRpD2l0ay2c/wQVUtFURrPGwIoEOwIf2XxAhx7mV3sU="
    )


def test_module_defaults() -> None:
    assert DEFAULT_API_URL == "https://api.switch-bot.com"
    assert REQUEST_TIMEOUT == 10.0


async def test_requests_carry_lower_case_signed_headers(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    await client.async_list_devices()
    await client.async_send_command(AC_REMOTE_ID, "turnOn")

    get, post = simulator.requests
    assert get.authorized
    assert post.authorized
    for request in (get, post):
        assert request.headers["authorization"] == simulator.token
        assert re.fullmatch(r"\d{13}", request.headers["t"])
        assert uuid.UUID(request.headers["nonce"]).version == 4
        assert "Authorization" not in request.headers
    assert get.headers["nonce"] != post.headers["nonce"]
    assert "content-type" not in {name.lower() for name in get.headers}
    assert post.headers["content-type"] == "application/json; charset=utf8"
    assert post.body == {"command": "turnOn", "parameter": "default", "commandType": "command"}


async def test_api_url_trailing_slash_is_ignored(
    make_client: ClientFactory, simulator: SwitchBotSimulator
) -> None:
    await make_client(api_url=simulator.url + "/").async_list_scenes()
    assert simulator.requests[0].path == "/v1.1/scenes"


# Successful calls.


async def test_list_devices(client: SwitchBotCloudClient) -> None:
    devices = await client.async_list_devices()

    assert [device.device_id for device in devices.thermometers] == [METER_ID]
    assert [remote.device_id for remote in devices.air_conditioners] == [AC_REMOTE_ID]
    assert {remote.device_id for remote in devices.remotes} == {AC_REMOTE_ID, TV_REMOTE_ID}
    meter = devices.find(METER_ID)
    assert meter == Device(
        METER_ID, "Living Room Meter", "Meter", HUB_ID, cloud_service_enabled=True
    )
    hub = devices.find(HUB_ID)
    assert isinstance(hub, Device)
    assert hub.hub_device_id is None  # the cloud's all-zero "no hub"


async def test_status_and_meter_reading(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.room.temperature = 21.26
    simulator.room.humidity = 48.4

    status = await client.async_get_status(METER_ID)
    reading = await client.async_get_meter_reading(METER_ID)

    assert status["deviceType"] == "Meter"
    assert status["temperature"] == 21.3
    assert reading == MeterReading(temperature=21.3, humidity=48.0, battery=100)


async def test_hub_status_has_no_temperature(client: SwitchBotCloudClient) -> None:
    assert await client.async_get_meter_reading(HUB_ID) == MeterReading(None, None, None)


async def test_send_command(client: SwitchBotCloudClient, simulator: SwitchBotSimulator) -> None:
    await client.async_send_command(AC_REMOTE_ID, "setAll", "26,5,3,on")

    (sent,) = simulator.commands_sent()
    assert (sent.device_id, sent.command, sent.parameter, sent.command_type) == (
        AC_REMOTE_ID,
        "setAll",
        "26,5,3,on",
        "command",
    )
    assert simulator.ac_state.heating


async def test_scenes(client: SwitchBotCloudClient, simulator: SwitchBotSimulator) -> None:
    scenes = await client.async_list_scenes()
    await client.async_execute_scene(SCENE_WINTER_ID)

    assert [scene.name for scene in scenes] == ["winter", "summer", "fan", "off"]
    assert Scene(SCENE_WINTER_ID, "winter") in scenes
    assert [run.scene_id for run in simulator.account.scene_runs] == [SCENE_WINTER_ID]


async def test_device_id_is_escaped_in_the_path(client: SwitchBotCloudClient) -> None:
    with pytest.raises(SwitchBotCommandError) as caught:
        await client.async_get_status("no/such device")
    assert caught.value.status_code == 152


# Error mapping.


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        pytest.param({"token": "wrong-token"}, SwitchBotAuthError, id="bad-token"),
        pytest.param({"secret": "wrong-secret"}, SwitchBotAuthError, id="bad-secret"),
    ],
)
async def test_bad_credentials(
    make_client: ClientFactory,
    simulator: SwitchBotSimulator,
    calls: Calls,
    overrides: dict[str, str],
    error: type[SwitchBotError],
) -> None:
    bad_client = make_client(**overrides)
    with pytest.raises(error) as caught:
        await bad_client.async_list_devices()
    assert_no_credentials(caught.value, simulator)
    assert "wrong" not in str(caught.value)
    assert calls == [("GET", "/v1.1/devices")]
    assert simulator.calls_today == 0


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param(Fault.http(403), SwitchBotAuthError, id="http-403"),
        pytest.param(Fault.http(429), SwitchBotQuotaExceededError, id="http-429-json"),
        pytest.param(
            Fault.text("Too Many Requests", http_status=429),
            SwitchBotQuotaExceededError,
            id="http-429-text",
        ),
        pytest.param(
            Fault.status_code(190, "Requests reached the daily limit"),
            SwitchBotQuotaExceededError,
            id="190-daily-limit",
        ),
        pytest.param(
            Fault.status_code(190, "REQUESTS REACHED THE DAILY LIMIT"),
            SwitchBotQuotaExceededError,
            id="190-daily-limit-upper-case",
        ),
        pytest.param(
            Fault.status_code(190, "Too Many Requests"),
            SwitchBotQuotaExceededError,
            id="190-too-many-requests",
        ),
        pytest.param(
            Fault.status_code(190, "device internal error"), SwitchBotCommandError, id="190-other"
        ),
        pytest.param(
            Fault.http(200, {"statusCode": 190}), SwitchBotCommandError, id="190-no-message"
        ),
        pytest.param(Fault.status_code(199, "new"), SwitchBotCommandError, id="unknown-code"),
        pytest.param(Fault.http(404), SwitchBotConnectionError, id="http-404"),
        pytest.param(Fault.http(302), SwitchBotConnectionError, id="redirect-not-followed"),
        pytest.param(Fault.text("<html>oops</html>"), SwitchBotConnectionError, id="not-json"),
        pytest.param(
            Fault(response=CannedResponse(200, b"\xff{", "application/json")),
            SwitchBotConnectionError,
            id="not-utf8",
        ),
        pytest.param(Fault.http(200, {"message": "hi"}), SwitchBotConnectionError, id="no-code"),
        pytest.param(
            Fault.http(200, {"statusCode": "100"}), SwitchBotConnectionError, id="string-code"
        ),
        pytest.param(
            Fault.http(200, {"statusCode": True}), SwitchBotConnectionError, id="bool-code"
        ),
        pytest.param(Fault.http(200, [1, 2]), SwitchBotConnectionError, id="json-array"),
    ],
)
async def test_error_mapping(
    client: SwitchBotCloudClient,
    simulator: SwitchBotSimulator,
    calls: Calls,
    fault: Fault,
    error: type[SwitchBotError],
) -> None:
    simulator.inject(fault)

    with pytest.raises(error) as caught:
        await client.async_list_scenes()

    assert type(caught.value) is error
    assert_no_credentials(caught.value, simulator)
    assert calls == [("GET", "/v1.1/scenes")]
    assert len(simulator.requests) == 1


@pytest.mark.parametrize(
    ("offline", "call", "status_code"),
    [
        pytest.param(
            None,
            lambda c: c.async_get_status(AC_REMOTE_ID),
            151,
            id="151-status-of-ir-remote",
        ),
        pytest.param(
            None,
            lambda c: c.async_send_command("C0FFEE000000", "turnOn"),
            152,
            id="152-unknown-device",
        ),
        pytest.param(
            None,
            lambda c: c.async_send_command(METER_ID, "turnOn"),
            160,
            id="160-command-on-meter",
        ),
        pytest.param(
            None,
            lambda c: c.async_send_command(AC_REMOTE_ID, "setAll", "26,heat,1,on"),
            190,
            id="190-invalid-parameter",
        ),
        pytest.param(
            METER_ID,
            lambda c: c.async_get_meter_reading(METER_ID),
            161,
            id="161-device-offline",
        ),
        pytest.param(
            HUB_ID,
            lambda c: c.async_send_command(AC_REMOTE_ID, "turnOff"),
            171,
            id="171-hub-offline",
        ),
    ],
)
async def test_status_codes_from_the_account(
    client: SwitchBotCloudClient,
    simulator: SwitchBotSimulator,
    offline: str | None,
    call: Callable[[SwitchBotCloudClient], Any],
    status_code: int,
) -> None:
    if offline is not None:
        simulator.set_online(offline, online=False)
    error = SwitchBotDeviceOfflineError if offline else SwitchBotCommandError

    with pytest.raises(error) as caught:
        await call(client)

    assert type(caught.value) is error
    assert caught.value.status_code == status_code
    assert f"statusCode {status_code}" in str(caught.value)
    assert len(simulator.requests) == 1


async def test_server_message_is_redacted_and_shortened(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(
        Fault.status_code(152, f"echo {simulator.token} / {simulator.secret} " + "x" * 500)
    )
    with pytest.raises(SwitchBotCommandError) as caught:
        await client.async_get_status(METER_ID)
    assert_no_credentials(caught.value, simulator)
    assert "***" in str(caught.value)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_get_is_retried_once_after_5xx(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, calls: Calls, status: int
) -> None:
    simulator.inject(Fault.http(status))

    devices = await client.async_list_devices()

    assert devices.find(METER_ID) is not None
    assert calls == [("GET", "/v1.1/devices")] * 2


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_get_fails_after_one_retry(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, calls: Calls, status: int
) -> None:
    simulator.inject(Fault.http(status), times=3)

    with pytest.raises(SwitchBotConnectionError, match=f"HTTP {status}"):
        await client.async_get_meter_reading(METER_ID)

    assert len(calls) == 2
    assert simulator.faults.pending == 1  # the third fault was never requested


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_post_is_never_retried(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, calls: Calls, status: int
) -> None:
    simulator.inject(Fault.text("Bad Gateway", http_status=status))

    with pytest.raises(SwitchBotConnectionError):
        await client.async_send_command(AC_REMOTE_ID, "turnOn")
    simulator.inject(Fault.http(status))
    with pytest.raises(SwitchBotConnectionError):
        await client.async_execute_scene(SCENE_WINTER_ID)

    assert [method for method, _ in calls] == ["POST", "POST"]
    assert simulator.commands_sent() == []


async def test_retry_waits_the_retry_delay(
    make_client: ClientFactory, simulator: SwitchBotSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(
        "custom_components.switchbot_automation.cloud.client.asyncio.sleep", fake_sleep
    )
    simulator.inject(Fault.http(503))
    await make_client(retry_delay=0.25).async_list_scenes()
    assert delays == [0.25]


async def test_timeout_is_a_connection_error_and_not_retried(
    make_client: ClientFactory, simulator: SwitchBotSimulator, calls: Calls
) -> None:
    simulator.inject(Fault.delayed(0.5), times=2)

    with pytest.raises(SwitchBotConnectionError, match="timed out") as caught:
        await make_client(request_timeout=0.2).async_list_devices()

    assert isinstance(caught.value.__cause__, TimeoutError)
    assert calls == []
    assert len(simulator.requests) == 1


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_connection_refused(
    make_client: ClientFactory,
    simulator: SwitchBotSimulator,
    calls: Calls,
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = make_client(api_url=closed_port_url())
    caplog.set_level(logging.DEBUG, "custom_components.switchbot_automation.cloud.client")

    with pytest.raises(SwitchBotConnectionError, match="failed") as caught:
        await refused.async_list_devices()
    with pytest.raises(SwitchBotConnectionError):
        await refused.async_execute_scene(SCENE_WINTER_ID)

    assert isinstance(caught.value.__cause__, aiohttp.ClientError)
    assert_no_credentials(caught.value, simulator)
    assert calls == []
    assert caplog.text.count("retrying once") == 1  # the GET, not the POST
    assert simulator.token not in caplog.text
    assert simulator.secret not in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"temperature": "warm"}, id="word"),
        pytest.param({"temperature": math.nan}, id="nan"),
        pytest.param({"temperature": math.inf}, id="infinity"),
        pytest.param({"temperature": True}, id="bool"),
        pytest.param({"temperature": [21]}, id="list"),
    ],
)
async def test_invalid_reading(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, body: dict[str, Any]
) -> None:
    simulator.inject(Fault.status_code(100, "success", body))
    with pytest.raises(SwitchBotInvalidReadingError):
        await client.async_get_meter_reading(METER_ID)


@pytest.mark.parametrize(
    ("path", "body", "call"),
    [
        pytest.param("/v1.1/devices", [], lambda c: c.async_list_devices(), id="devices-list"),
        pytest.param("/v1.1/scenes", {}, lambda c: c.async_list_scenes(), id="scenes-object"),
        pytest.param(
            "/v1.1/scenes", [{"sceneName": "x"}], lambda c: c.async_list_scenes(), id="no-sceneId"
        ),
        pytest.param(
            "/v1.1/devices/",
            None,
            lambda c: c.async_get_meter_reading(METER_ID),
            id="status-null",
        ),
    ],
)
async def test_malformed_bodies(
    client: SwitchBotCloudClient,
    simulator: SwitchBotSimulator,
    path: str,
    body: Any,
    call: Callable[[SwitchBotCloudClient], Any],
) -> None:
    simulator.inject(Fault.http(200, {"statusCode": 100, "body": body}), path=path)
    with pytest.raises(SwitchBotConnectionError, match="body"):
        await call(client)


@pytest.mark.parametrize(
    "bad_entry",
    [
        pytest.param({"deviceName": "no id"}, id="device-without-id"),
        pytest.param({"deviceId": "", "deviceType": "Meter"}, id="empty-id"),
        pytest.param({"deviceId": 42}, id="numeric-id"),
        pytest.param("not an object", id="not-an-object"),
    ],
)
async def test_unreadable_device_entries_are_skipped(
    client: SwitchBotCloudClient,
    simulator: SwitchBotSimulator,
    bad_entry: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One odd entry must not hide the account's other devices (nor fail every set-up)."""
    body = {
        "deviceList": [bad_entry, {"deviceId": "M1", "deviceType": "Meter"}],
        "infraredRemoteList": [bad_entry, {"deviceId": "R1", "remoteType": "Air Conditioner"}],
    }
    simulator.inject(Fault.http(200, {"statusCode": 100, "body": body}), path="/v1.1/devices")
    caplog.set_level(logging.DEBUG, "custom_components.switchbot_automation.cloud.models")
    devices = await client.async_list_devices()
    assert [device.device_id for device in devices.devices] == ["M1"]
    assert [remote.device_id for remote in devices.remotes] == ["R1"]
    assert caplog.text.count("Skipping an unreadable device entry") == 2


async def test_device_list_that_is_not_a_list_reads_as_empty(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    body = {"deviceList": "garbage", "infraredRemoteList": {"deviceId": "R1"}}
    simulator.inject(Fault.http(200, {"statusCode": 100, "body": body}), path="/v1.1/devices")
    assert await client.async_list_devices() == DeviceList(devices=(), remotes=())


async def test_on_request_counts_every_answered_request(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, calls: Calls
) -> None:
    simulator.inject(Fault.http(500), path="/v1.1/scenes")
    simulator.set_online(METER_ID, online=False)

    await client.async_list_devices()
    await client.async_list_scenes()  # 500 then success: two calls
    with pytest.raises(SwitchBotDeviceOfflineError):
        await client.async_get_status(METER_ID)
    await client.async_send_command(AC_REMOTE_ID, "turnOn")

    assert calls == [
        ("GET", "/v1.1/devices"),
        ("GET", "/v1.1/scenes"),
        ("GET", "/v1.1/scenes"),
        ("GET", f"/v1.1/devices/{METER_ID}/status"),
        ("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands"),
    ]
    assert len(calls) == len(simulator.requests)


async def test_client_without_on_request(
    session: aiohttp.ClientSession, simulator: SwitchBotSimulator
) -> None:
    plain = SwitchBotCloudClient(session, simulator.token, simulator.secret, api_url=simulator.url)
    assert len((await plain.async_list_devices()).devices) == 2


async def test_shared_fixture_client(simulator_client: SwitchBotCloudClient) -> None:
    assert len(await simulator_client.async_list_scenes()) == 4


# Errors.


def test_error_hierarchy_and_status_code() -> None:
    offline = SwitchBotDeviceOfflineError("hub offline", 171)
    command = SwitchBotCommandError("not found", 152)
    assert (offline.status_code, str(offline)) == (171, "hub offline")
    assert command.status_code == 152
    for error in (
        SwitchBotAuthError,
        SwitchBotQuotaExceededError,
        SwitchBotDeviceOfflineError,
        SwitchBotCommandError,
        SwitchBotConnectionError,
        SwitchBotInvalidReadingError,
    ):
        assert issubclass(error, SwitchBotError)
    assert issubclass(SwitchBotError, Exception)


# Models.


def test_device_from_minimal_entry() -> None:
    device = Device.from_api({"deviceId": "ABC"})
    assert device == Device("ABC", "ABC", "", None, cloud_service_enabled=True)
    assert not device.reports_temperature


@pytest.mark.parametrize(
    ("entry", "hub", "cloud"),
    [
        ({"hubDeviceId": "000000000000", "enableCloudService": False}, None, False),
        ({"hubDeviceId": "", "enableCloudService": "yes"}, None, True),
        ({"hubDeviceId": None}, None, True),
        ({"hubDeviceId": "E3B7D5A2C1F0", "enableCloudService": True}, "E3B7D5A2C1F0", True),
    ],
)
def test_device_hub_and_cloud_service(entry: dict[str, Any], hub: str | None, cloud: bool) -> None:
    device = Device.from_api({"deviceId": "X", "deviceName": "Meter", **entry})
    assert (device.hub_device_id, device.cloud_service_enabled) == (hub, cloud)


@pytest.mark.parametrize(
    ("device_type", "reports"),
    [
        ("Meter", True),
        ("MeterPlus", True),
        ("Meter Plus", True),
        ("WoIOSensor", True),
        ("MeterPro", True),
        ("MeterPro(CO2)", True),
        ("WeatherStation", True),
        ("Hub 2", True),
        ("Hub 3", True),
        ("Climate Panel", True),
        ("Hub Mini", False),
        ("Hub Plus", False),
        ("Bot", False),
        ("Smart Radiator Thermostat", False),
    ],
)
def test_reports_temperature(device_type: str, reports: bool) -> None:
    assert Device.from_api({"deviceId": "X", "deviceType": device_type}).reports_temperature is (
        reports
    )


@pytest.mark.parametrize("entry", [{}, {"deviceId": ""}, {"deviceId": None}])
def test_device_without_usable_id(entry: dict[str, Any]) -> None:
    with pytest.raises((KeyError, ValueError)):
        Device.from_api(entry)


@pytest.mark.parametrize(
    ("remote_type", "is_ac"),
    [
        ("Air Conditioner", True),
        ("DIY Air Conditioner", True),
        ("air conditioner", True),
        ("AirConditioner", True),
        ("DIY  air-conditioner ", True),
        ("TV", False),
        ("DIY Fan", False),
        ("", False),
    ],
)
def test_remote_is_air_conditioner(remote_type: str, is_ac: bool) -> None:
    remote = InfraredRemote.from_api({"deviceId": "R", "remoteType": remote_type})
    assert remote.is_air_conditioner is is_ac


def test_remote_from_minimal_entry() -> None:
    assert InfraredRemote.from_api({"deviceId": "R"}) == InfraredRemote("R", "R", "", None)


def test_device_list_helpers() -> None:
    devices = DeviceList.from_api(
        {
            "deviceList": [
                {"deviceId": "M1", "deviceType": "Meter"},
                {"deviceId": "M2", "deviceType": "Hub 2"},
                {"deviceId": "H", "deviceType": "Hub Mini"},
            ],
            "infraredRemoteList": [
                {"deviceId": "AC", "remoteType": "Air Conditioner", "hubDeviceId": "H"},
                {"deviceId": "TV", "remoteType": "TV"},
            ],
        }
    )
    assert [d.device_id for d in devices.thermometers] == ["M1", "M2"]
    assert [r.device_id for r in devices.air_conditioners] == ["AC"]
    assert devices.find("TV") == InfraredRemote("TV", "TV", "TV", None)
    assert devices.find("H") == Device("H", "H", "Hub Mini", None, cloud_service_enabled=True)
    assert devices.find("nope") is None


@pytest.mark.parametrize("body", [{}, {"deviceList": None, "infraredRemoteList": []}])
def test_device_list_missing_lists(body: dict[str, Any]) -> None:
    assert DeviceList.from_api(body) == DeviceList((), ())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"temperature": 21.5, "humidity": 40, "battery": 87}, MeterReading(21.5, 40.0, 87)),
        ({}, MeterReading(None, None, None)),
        ({"temperature": None, "humidity": None}, MeterReading(None, None, None)),
        ({"temperature": "21.5", "humidity": "41", "battery": "80"}, MeterReading(21.5, 41, 80)),
        ({"temperature": -3, "humidity": "damp", "battery": 99.6}, MeterReading(-3.0, None, 100)),
        ({"temperature": 0, "humidity": math.nan, "battery": True}, MeterReading(0.0, None, None)),
    ],
)
def test_meter_reading(body: dict[str, Any], expected: MeterReading) -> None:
    assert MeterReading.from_api(body) == expected


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_meter_reading_accepts_exactly_finite_temperatures(value: float) -> None:
    if math.isfinite(value):
        assert MeterReading.from_api({"temperature": value}).temperature == value
        assert MeterReading.from_api({"temperature": repr(value)}).temperature == value
    else:
        with pytest.raises(SwitchBotInvalidReadingError, match="not a finite number"):
            MeterReading.from_api({"temperature": value})


def test_scene_from_api() -> None:
    assert Scene.from_api({"sceneId": "s1", "sceneName": "winter"}) == Scene("s1", "winter")
    assert Scene.from_api({"sceneId": "s2"}) == Scene("s2", "s2")
    with pytest.raises(KeyError):
        Scene.from_api({"sceneName": "no id"})


@pytest.mark.parametrize(
    "model",
    [
        Device("D", "D", "Meter", None, cloud_service_enabled=False),
        InfraredRemote("R", "R", "TV", None),
        DeviceList((), ()),
        MeterReading(20.0, None, None),
        Scene("S", "S"),
    ],
)
def test_models_are_frozen_and_slotted(
    model: Device | InfraredRemote | DeviceList | MeterReading | Scene,
) -> None:
    assert hasattr(type(model), "__slots__")
    field = dataclasses.fields(model)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(model, field, None)


async def test_empty_credentials_are_not_masked_everywhere(make_client: ClientFactory) -> None:
    with pytest.raises(SwitchBotConnectionError) as caught:
        await make_client(token="", secret="", api_url=closed_port_url()).async_list_scenes()
    assert "***" not in str(caught.value)
