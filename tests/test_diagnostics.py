"""Diagnostics, and the credentials never leaking into states, logs or diagnostics."""

from datetime import datetime
import json
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from switchbot_sim import AC_REMOTE_ID, METER_ID, Fault, SwitchBotSimulator
from tests.integration_support import async_advance, async_setup_with, entity_state

ALL_DAY = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59:59"}


# Home Assistant's HTTP API (diagnostics are downloaded through it) refuses access tokens
# issued in the future: the clock is not moved back to ``START`` here.


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_integration)
    entry = diagnostics["entry"]
    assert entry["data"] == {
        "token": "**REDACTED**",
        "secret": "**REDACTED**",
        "api_url": simulator.url,
    }
    assert entry["unique_id"] == "**REDACTED**"
    assert entry["options"]["meter_device_id"] == METER_ID
    assert entry["pref_disable_polling"] is False
    assert diagnostics["time_zone"] == "Europe/Paris"

    def sensor(key: str) -> str:
        return entity_state(hass, setup_integration, "sensor", key).state

    def to_the_second(instant: str) -> str:
        return datetime.fromisoformat(instant).replace(microsecond=0).isoformat()

    assert to_the_second(diagnostics["state"]["last_tick"]) == sensor("last_tick")
    assert diagnostics["state"]["quota"]["calls"] == 2
    polling = diagnostics["polling"]
    assert to_the_second(polling.pop("next_tick")) == sensor("next_tick")
    assert polling == {
        "interval_seconds": int(sensor("poll_interval")),
        "mode": sensor("polling_mode"),
        "last_update_success": True,
    }
    remotes = diagnostics["account"]["infrared_remotes"]
    assert {"device_id": AC_REMOTE_ID, "remote_type": "Air Conditioner"}.items() <= remotes[
        0
    ].items()


async def test_diagnostics_without_the_device_list(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    simulator.account.daily_limit = 0  # set up without reading the device list
    await async_setup_with(hass, mock_config_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert diagnostics["account"] is None
    assert diagnostics["polling"]["mode"] == "quota_exhausted"


async def test_credentials_never_leak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    simulator.room.temperature = 17.0  # a command is sent when in a window
    await async_setup_with(hass, mock_config_entry, time_windows=[ALL_DAY])
    assert simulator.commands_sent()
    simulator.inject(Fault.status_code(190, "bad token " + simulator.token))
    await async_advance(hass, freezer, 60)
    simulator.inject(Fault.http(401))
    await async_advance(hass, freezer, 60)

    diagnostics = json.dumps(
        await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    )
    states = json.dumps([state.as_dict() for state in hass.states.async_all()], default=str)
    for secret in (simulator.token, simulator.secret):
        assert secret not in diagnostics
        assert secret not in states
        assert secret not in caplog.text
