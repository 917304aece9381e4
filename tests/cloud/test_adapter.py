"""The adapter between the SwitchBot client and the engine: each client error becomes the engine
error that says what a tick does about it, and each call is passed through unchanged."""

from typing import Any, cast

import pytest

from custom_components.switchbot_automation.cloud import (
    DeviceList,
    MeterReading,
    SwitchBotAuthError,
    SwitchBotCloudClient,
    SwitchBotCommandError,
    SwitchBotConnectionError,
    SwitchBotDeviceOfflineError,
    SwitchBotError,
    SwitchBotInvalidReadingError,
    SwitchBotQuotaExceededError,
)
from custom_components.switchbot_automation.cloud_adapter import CloudAdapter
from custom_components.switchbot_automation.engine import (
    CloudAuthError,
    CloudError,
    CloudOfflineError,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
    InvalidReadingError,
    Reading,
)


class FakeClient:
    """Answers every call, or raises ``error``; records the calls."""

    def __init__(self, error: SwitchBotError | None = None) -> None:
        self.error = error
        self.calls: list[tuple[Any, ...]] = []

    def _answer(self, *call: Any) -> None:
        self.calls.append(call)
        if self.error is not None:
            raise self.error

    async def async_get_meter_reading(self, device_id: str) -> MeterReading:
        self._answer("meter", device_id)
        return MeterReading(temperature=21.5, humidity=40.0, battery=90)

    async def async_get_status(self, device_id: str) -> dict[str, Any]:
        self._answer("status", device_id)
        return {"power": "on"}

    async def async_send_command(self, device_id: str, command: str, parameter: str) -> None:
        self._answer("command", device_id, command, parameter)

    async def async_execute_scene(self, scene_id: str) -> None:
        self._answer("scene", scene_id)

    async def async_list_devices(self) -> DeviceList:
        self._answer("devices")
        return DeviceList(devices=(), remotes=())


def adapter(client: FakeClient) -> CloudAdapter:
    return CloudAdapter(cast(SwitchBotCloudClient, client))


async def test_calls_pass_through() -> None:
    client = FakeClient()
    cloud = adapter(client)
    assert await cloud.async_get_meter_reading("M") == Reading(21.5, 40.0)
    assert await cloud.async_get_status("P") == {"power": "on"}
    await cloud.async_send_command("AC", "setAll", "21,5,3,on")
    await cloud.async_execute_scene("S")
    assert await cloud.async_list_devices() == DeviceList(devices=(), remotes=())
    assert client.calls == [
        ("meter", "M"),
        ("status", "P"),
        ("command", "AC", "setAll", "21,5,3,on"),
        ("scene", "S"),
        ("devices",),
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (SwitchBotAuthError("401"), CloudAuthError),
        (SwitchBotQuotaExceededError("429"), CloudQuotaError),
        (SwitchBotDeviceOfflineError("hub offline", 171), CloudOfflineError),
        (SwitchBotCommandError("not supported", 160), CloudRefusedError),
        (SwitchBotInvalidReadingError("NaN"), InvalidReadingError),
        (SwitchBotConnectionError("timed out"), CloudUnavailableError),
        (SwitchBotError("anything else"), CloudUnavailableError),
    ],
)
async def test_client_errors_become_engine_errors(
    error: SwitchBotError, expected: type[CloudError]
) -> None:
    cloud = adapter(FakeClient(error))
    for call in (
        cloud.async_get_meter_reading("M"),
        cloud.async_get_status("P"),
        cloud.async_send_command("AC", "turnOff", "default"),
        cloud.async_execute_scene("S"),
        cloud.async_list_devices(),
    ):
        with pytest.raises(expected) as caught:
            await call
        assert type(caught.value) is expected
        assert caught.value.__cause__ is error
