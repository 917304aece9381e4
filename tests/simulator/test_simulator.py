"""Tests of the SwitchBot Cloud simulator: room model, clock, account, faults, server, CLI."""

import ast
import asyncio
import base64
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime, timedelta, timezone
import hashlib
import hmac
import json
import math
from pathlib import Path
import re
import runpy
import signal
import socket
import sys
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.util import dt as dt_util
import pytest

from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient
from custom_components.switchbot_automation.cloud.exceptions import (
    SwitchBotCommandError,
    SwitchBotDeviceOfflineError,
    SwitchBotQuotaExceededError,
)
from switchbot_sim import (
    AC_REMOTE_ID,
    DAILY_LIMIT,
    DAILY_LIMIT_MESSAGE,
    DEFAULT_START,
    DEV_SECRET,
    DEV_TOKEN,
    HUB_ID,
    METER_ID,
    MODE_AUTO,
    MODE_COOL,
    MODE_DRY,
    MODE_FAN,
    MODE_HEAT,
    SCENE_FAN_ID,
    SCENE_OFF_ID,
    SCENE_SUMMER_ID,
    SCENE_WINTER_ID,
    TV_REMOTE_ID,
    AirConditionerState,
    Fault,
    QuotaResponse,
    Room,
    SceneAction,
    SimClock,
    SwitchBotSimulator,
    VirtualDevice,
    VirtualRemote,
    VirtualScene,
    daily_sine,
)
from switchbot_sim.__main__ import build_simulator, main, parse_args, serve
from switchbot_sim.auth import is_authorized

HEAT_ON = AirConditionerState(power=True, mode=MODE_HEAT, temperature=26, fan_speed=1)
COOL_ON = AirConditionerState(power=True, mode=MODE_COOL, temperature=22, fan_speed=1)


def signed_headers(
    token: str = DEV_TOKEN, secret: str = DEV_SECRET, t: str = "1768456800000", nonce: str = "n1"
) -> dict[str, str]:
    """Headers a correct client sends, signed here independently of the client code."""
    digest = hmac.new(secret.encode(), f"{token}{t}{nonce}".encode(), hashlib.sha256).digest()
    return {
        "authorization": token,
        "t": t,
        "nonce": nonce,
        "sign": base64.b64encode(digest).decode(),
    }


type Send = Callable[..., Any]


@pytest.fixture
async def send(simulator: SwitchBotSimulator) -> AsyncGenerator[Send]:
    """Send a raw request; returns (HTTP status, JSON body or text)."""
    async with aiohttp.ClientSession() as session:

        async def request(
            method: str,
            path: str,
            payload: Any = None,
            headers: dict[str, str] | None = None,
            raw: bytes | None = None,
        ) -> tuple[int, Any]:
            data = raw if raw is not None else None if payload is None else json.dumps(payload)
            async with session.request(
                method,
                simulator.url + path,
                headers=signed_headers() if headers is None else headers,
                data=data,
            ) as response:
                text = await response.text()
                try:
                    return response.status, json.loads(text)
                except ValueError:
                    return response.status, text

        yield request


# The clock.


def test_manual_clock_starts_at_default_and_moves_on_demand() -> None:
    clock = SimClock()
    assert clock.now() == DEFAULT_START
    clock.advance(90)
    assert clock.now() == DEFAULT_START + timedelta(seconds=90)
    clock.set(datetime(2026, 7, 1, 12, tzinfo=UTC))
    assert clock.now() == datetime(2026, 7, 1, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 7, 1, 12))


def test_following_clock_tracks_its_source_plus_offset() -> None:
    source = [datetime(2026, 3, 29, 3, 0, tzinfo=timezone(timedelta(hours=2)))]
    clock = SimClock.following(lambda: source[0])
    assert clock.now() == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    source[0] += timedelta(minutes=5)
    assert clock.now() == datetime(2026, 3, 29, 1, 5, tzinfo=UTC)
    clock.advance(60)
    assert clock.now() == datetime(2026, 3, 29, 1, 6, tzinfo=UTC)


def test_real_time_clock_runs_at_speed() -> None:
    real = [100.0]
    clock = SimClock.real_time(60, DEFAULT_START, monotonic=lambda: real[0])
    real[0] += 2.5
    assert clock.now() == DEFAULT_START + timedelta(seconds=150)
    clock.set(DEFAULT_START)
    real[0] += 1
    assert clock.now() == DEFAULT_START + timedelta(seconds=60)
    assert SimClock.real_time().now().tzinfo is UTC


# The room model.


def heated_from(start: float, outdoor: float, seconds: float, drive_per_min: float) -> float:
    """Closed form of the room equation with constant inputs and a 3 h time constant."""
    equilibrium = outdoor + drive_per_min / 60 * 3 * 3600
    return equilibrium + (start - equilibrium) * math.exp(-seconds / (3 * 3600))


def test_heating_raises_temperature_over_simulated_time() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=20.0)
    room.ac = HEAT_ON
    clock.advance(600)
    assert room.temperature == pytest.approx(heated_from(20, 20, 600, 0.1))
    assert room.temperature == pytest.approx(21.0, abs=0.05)  # about 0.1 °C a minute


def test_cooling_lowers_temperature() -> None:
    clock = SimClock()
    room = Room(clock, temperature=26.0, outdoor=26.0, ac_rate=0.2)
    room.ac = COOL_ON
    clock.advance(1800)
    assert room.temperature == pytest.approx(heated_from(26, 26, 1800, -0.2))
    assert room.temperature < 20.5


def test_room_drifts_toward_outdoor() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=10.0, time_constant=3600)
    clock.advance(3600)
    assert room.temperature == pytest.approx(10 + 10 / math.e)
    clock.advance(10 * 24 * 3600)
    assert room.temperature == pytest.approx(10.0)


@pytest.mark.parametrize(
    "state",
    [
        AirConditionerState(),
        AirConditionerState(power=True, mode=MODE_FAN),
        AirConditionerState(power=True, mode=MODE_AUTO),
        AirConditionerState(power=True, mode=MODE_DRY),
        AirConditionerState(power=False, mode=MODE_HEAT),
    ],
)
def test_fan_auto_dry_and_off_do_not_change_temperature(state: AirConditionerState) -> None:
    clock = SimClock()
    room = Room(clock, temperature=18.0, outdoor=18.0)
    room.ac = state
    clock.advance(7200)
    assert room.temperature == pytest.approx(18.0)
    assert not state.heating
    assert not state.cooling


def test_reading_often_or_once_gives_the_same_temperature() -> None:
    clock = SimClock()
    watched = Room(clock, temperature=15.0, outdoor=5.0)
    unwatched = Room(clock, temperature=15.0, outdoor=5.0)
    watched.ac = unwatched.ac = HEAT_ON
    for _ in range(120):
        clock.advance(60)
        assert watched.temperature > 0
    assert watched.temperature == pytest.approx(unwatched.temperature, abs=1e-9)


def test_changes_take_effect_from_now() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=20.0)
    room.ac = HEAT_ON
    clock.advance(600)
    room.ac_rate = 0.2
    clock.advance(600)
    expected = heated_from(heated_from(20, 20, 600, 0.1), 20, 600, 0.2)
    assert room.temperature == pytest.approx(expected)

    room.ac = AirConditionerState()
    room.outdoor = 0.0
    room.time_constant = 3600
    clock.advance(3600)
    assert room.temperature == pytest.approx(expected / math.e)
    assert (room.ac_rate, room.outdoor, room.time_constant) == (0.2, 0.0, 3600)


def test_clock_set_backwards_keeps_the_temperature_and_restarts_from_there() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=0.0, time_constant=3600)
    clock.advance(3600)
    at_one_hour = room.temperature
    clock.set(DEFAULT_START - timedelta(days=30))
    assert room.temperature == at_one_hour
    clock.advance(3600)
    assert room.temperature == pytest.approx(at_one_hour / math.e)


def test_daily_sine_outdoor() -> None:
    outdoor = daily_sine(8.0, 5.0)
    day = datetime(2026, 1, 15, tzinfo=UTC)
    assert outdoor(day.replace(hour=15)) == pytest.approx(13.0)
    assert outdoor(day.replace(hour=3)) == pytest.approx(3.0)
    assert outdoor(day.replace(hour=9)) == pytest.approx(8.0)
    assert daily_sine(0, 1, warmest_hour=6)(day.replace(hour=6)) == pytest.approx(1.0)


def test_time_varying_outdoor_is_integrated_in_steps() -> None:
    clock = SimClock()
    flat = Room(clock, temperature=20.0, outdoor=daily_sine(10.0, 0.0))
    exact = Room(clock, temperature=20.0, outdoor=10.0)
    swinging = Room(clock, temperature=20.0, outdoor=daily_sine(10.0, 8.0))
    clock.advance(6 * 3600 + 17)
    assert flat.temperature == pytest.approx(exact.temperature)
    assert swinging.temperature != pytest.approx(exact.temperature)
    assert swinging.outdoor_at(clock.now()) == pytest.approx(daily_sine(10.0, 8.0)(clock.now()))


def test_the_cloud_gets_a_sample_each_report_interval() -> None:
    clock = SimClock()  # 06:00 UTC: an upload instant
    room = Room(clock, temperature=20.0, outdoor=10.0, time_constant=3600, report_interval=120)
    twin_clock = SimClock()
    twin = Room(twin_clock, temperature=20.0, outdoor=10.0, time_constant=3600)
    assert room.report_interval == 120
    assert room.reported_temperature == 20.0
    clock.advance(119)
    assert room.reported_temperature == 20.0
    assert room.temperature < 20.0
    clock.advance(1)
    assert room.reported_temperature == room.temperature
    clock.advance(300)  # uploads at 240 and 360 s
    twin_clock.advance(360)
    assert room.reported_temperature == pytest.approx(twin.temperature)
    assert room.temperature < room.reported_temperature


def test_uploads_follow_the_phase_and_a_varying_outdoor() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=daily_sine(10.0, 5.0), report_interval=120)
    room.report_phase = 47
    assert room.report_phase == 47
    clock.advance(46)
    assert room.reported_temperature == 20.0
    clock.advance(2)
    assert 20.0 > room.reported_temperature > room.temperature
    clock.advance(3 * 3600)  # many 60 s steps, an upload every other one
    reported = room.reported_temperature
    clock.advance(60)
    assert room.reported_temperature == reported


def test_changing_the_report_interval_uploads_now() -> None:
    clock = SimClock()
    room = Room(clock, temperature=20.0, outdoor=10.0, report_interval=600)
    clock.advance(300)
    room.report_interval = 0
    assert room.reported_temperature == room.temperature
    room.report_interval = 600
    reported = room.reported_temperature
    clock.advance(100)
    assert room.reported_temperature == reported


async def test_meter_reports_the_last_upload(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.room.outdoor = 20.0
    simulator.room.report_interval = 120
    await client.async_send_command(AC_REMOTE_ID, "setAll", "26,5,1,on")
    simulator.clock.advance(110)
    assert (await client.async_get_meter_reading(METER_ID)).temperature == 20.0
    simulator.clock.advance(10)
    reading = await client.async_get_meter_reading(METER_ID)
    assert reading.temperature == round(simulator.room.temperature, 1) > 20.0


# Account, devices and commands over HTTP.


async def test_default_account_listing(send: Send) -> None:
    status, envelope = await send("GET", "/v1.1/devices")

    assert status == 200
    assert envelope["statusCode"] == 100
    assert envelope["message"] == "success"
    devices = {entry["deviceId"]: entry for entry in envelope["body"]["deviceList"]}
    remotes = {entry["deviceId"]: entry for entry in envelope["body"]["infraredRemoteList"]}
    assert devices[METER_ID]["deviceType"] == "Meter"
    assert devices[METER_ID]["hubDeviceId"] == HUB_ID
    assert devices[HUB_ID]["deviceType"] == "Hub Mini"
    assert remotes[AC_REMOTE_ID]["remoteType"] == "Air Conditioner"
    assert remotes[TV_REMOTE_ID]["remoteType"] == "TV"


async def test_scene_listing(send: Send) -> None:
    _, envelope = await send("GET", "/v1.1/scenes")
    assert envelope["body"] == [
        {"sceneId": SCENE_WINTER_ID, "sceneName": "winter"},
        {"sceneId": SCENE_SUMMER_ID, "sceneName": "summer"},
        {"sceneId": SCENE_FAN_ID, "sceneName": "fan"},
        {"sceneId": SCENE_OFF_ID, "sceneName": "off"},
    ]


async def test_meter_follows_the_room(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.room.outdoor = 20.0
    await client.async_send_command(AC_REMOTE_ID, "setAll", "26,5,1,on")
    before = (await client.async_get_meter_reading(METER_ID)).temperature
    simulator.clock.advance(1800)
    after = (await client.async_get_meter_reading(METER_ID)).temperature
    assert before == 20.0
    assert after == round(heated_from(20, 20, 1800, 0.1), 1)


async def test_account_is_configurable(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.account.add_device(
        VirtualDevice(
            "C0FFEE000002",
            "Bedroom",
            "MeterPlus",
            HUB_ID,
            measures_room=True,
            temperature_offset=-1.5,
            battery=60,
        )
    )
    simulator.account.add_remote(VirtualRemote("02-X", "Fan", "DIY Fan"))
    simulator.account.remove(TV_REMOTE_ID)
    simulator.account.remove(METER_ID)

    devices = await client.async_list_devices()
    reading = await client.async_get_meter_reading("C0FFEE000002")

    assert [d.device_id for d in devices.thermometers] == ["C0FFEE000002"]
    assert {r.device_id for r in devices.remotes} == {AC_REMOTE_ID, "02-X"}
    assert devices.find("02-X").hub_device_id is None  # type: ignore[union-attr]
    assert (reading.temperature, reading.battery) == (18.5, 60)
    with pytest.raises(SwitchBotCommandError) as caught:
        await client.async_get_status(METER_ID)
    assert caught.value.status_code == 152


async def test_hub_status_has_no_climate(send: Send) -> None:
    _, envelope = await send("GET", f"/v1.1/devices/{HUB_ID}/status")
    assert envelope["body"] == {
        "deviceId": HUB_ID,
        "deviceType": "Hub Mini",
        "hubDeviceId": "000000000000",
        "version": "V1.0",
    }


async def test_set_all_turn_off_turn_on(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    await client.async_send_command(AC_REMOTE_ID, "setAll", "27.5,5,3,on")
    assert simulator.ac_state == AirConditionerState(True, MODE_HEAT, 27.5, 3)  # noqa: FBT003
    await client.async_send_command(AC_REMOTE_ID, "turnOff")
    assert simulator.ac_state == AirConditionerState(False, MODE_HEAT, 27.5, 3)  # noqa: FBT003
    await client.async_send_command(AC_REMOTE_ID, "turnOn")
    assert simulator.ac_state.heating
    await client.async_send_command(AC_REMOTE_ID, "setAll", " 22 , 2 , 1 , off ")
    assert simulator.ac_state == AirConditionerState(False, MODE_COOL, 22, 1)  # noqa: FBT003

    assert [c.command for c in simulator.commands_sent(AC_REMOTE_ID)] == [
        "setAll",
        "turnOff",
        "turnOn",
        "setAll",
    ]
    assert all(c.at == DEFAULT_START for c in simulator.commands_sent())


@pytest.mark.parametrize(
    ("scene_id", "expected"),
    [
        (SCENE_WINTER_ID, AirConditionerState(True, MODE_HEAT, 24, 1)),  # noqa: FBT003
        (SCENE_SUMMER_ID, AirConditionerState(True, MODE_COOL, 24, 1)),  # noqa: FBT003
        (SCENE_FAN_ID, AirConditionerState(True, MODE_FAN, 24, 1)),  # noqa: FBT003
    ],
)
async def test_scenes_drive_the_air_conditioner(
    client: SwitchBotCloudClient,
    simulator: SwitchBotSimulator,
    scene_id: str,
    expected: AirConditionerState,
) -> None:
    await client.async_execute_scene(scene_id)
    assert simulator.ac_state == expected
    await client.async_execute_scene(SCENE_OFF_ID)
    assert not simulator.ac_state.power
    assert simulator.ac_state.mode == expected.mode
    assert [run.scene_id for run in simulator.account.scene_runs] == [scene_id, SCENE_OFF_ID]
    assert simulator.commands_sent() == []  # scenes are not device commands


async def test_scene_actions_skip_offline_and_missing_devices(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.account.scenes["scene-odd"] = VirtualScene(
        "scene-odd", "odd", (SceneAction("gone", "turnOn"), SceneAction(TV_REMOTE_ID, "turnOn"))
    )
    simulator.set_online(HUB_ID, online=False)
    await client.async_execute_scene(SCENE_WINTER_ID)
    await client.async_execute_scene("scene-odd")
    assert not simulator.ac_state.power

    simulator.set_online(HUB_ID, online=True)
    await client.async_execute_scene(SCENE_WINTER_ID)
    assert simulator.ac_state.heating
    with pytest.raises(SwitchBotCommandError) as caught:
        await client.async_execute_scene("scene-unknown")
    assert caught.value.status_code == 190


@pytest.mark.parametrize(
    "parameter",
    [
        "26,5,3",
        "26,5,3,on,extra",
        "26,5,3,maybe",
        "26,9,1,on",
        "26,5,0,on",
        "26,5,5,on",
        "40,5,1,on",
        "nan,5,1,on",
        "warm,5,1,on",
        "26,heat,1,on",
        42,
        None,
    ],
)
async def test_invalid_set_all_is_190_not_daily_limit(
    send: Send, simulator: SwitchBotSimulator, parameter: Any
) -> None:
    payload = {"command": "setAll", "parameter": parameter, "commandType": "command"}
    _, envelope = await send("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands", payload)
    assert envelope["statusCode"] == 190
    assert "daily limit" not in envelope["message"].lower()
    assert simulator.ac_state == AirConditionerState()
    assert simulator.commands_sent() == []


@pytest.mark.parametrize(
    ("payload", "raw", "code"),
    [
        (None, b"not json", 190),
        ([1, 2], None, 190),
        ({"parameter": "default"}, None, 190),
        ({"command": 7}, None, 190),
        ({"command": "swing"}, None, 160),
        ({"command": "turnOn", "commandType": "customize"}, None, 160),
    ],
)
async def test_malformed_or_unsupported_commands(
    send: Send, payload: Any, raw: bytes | None, code: int
) -> None:
    _, envelope = await send("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands", payload, raw=raw)
    assert envelope == {"statusCode": code, "body": {}, "message": envelope["message"]}


async def test_other_remotes_accept_any_command(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    await client.async_send_command(TV_REMOTE_ID, "volumeAdd")
    assert simulator.ac_state == AirConditionerState()
    assert [c.command for c in simulator.commands_sent(TV_REMOTE_ID)] == ["volumeAdd"]
    assert simulator.commands_sent(AC_REMOTE_ID) == []


async def test_rooms_added_to_the_account_have_their_own_devices(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.room.outdoor = 20.0
    bedroom = simulator.account.add_room(
        Room(simulator.clock, temperature=17.0, outdoor=17.0, ac_rate=0.2), name="Bedroom"
    )
    study = simulator.account.add_room()

    assert (bedroom.meter_id, bedroom.hub_id, bedroom.ac_remote_id) == (
        "C2710AB10001",
        "E3B7D5A20001",
        "02-202601150600-20000001",
    )
    assert (study.meter_id, study.hub_id, study.ac_remote_id) == (
        "C2710AB10002",
        "E3B7D5A20002",
        "02-202601150600-20000002",
    )
    assert simulator.account.added_rooms == [bedroom, study]
    assert study.room.temperature == 20.0  # a room at the defaults
    devices = await client.async_list_devices()
    assert {meter.device_id for meter in devices.thermometers} == {
        METER_ID,
        bedroom.meter_id,
        study.meter_id,
    }
    assert devices.find(bedroom.ac_remote_id).hub_device_id == bedroom.hub_id  # type: ignore[union-attr]
    assert devices.find(bedroom.meter_id).name == "Bedroom Meter"  # type: ignore[union-attr]
    assert devices.find(study.ac_remote_id).name == "Room 2 AC"  # type: ignore[union-attr]

    # Each AC heats its own room only; each meter reads its own room.
    await client.async_send_command(bedroom.ac_remote_id, "setAll", "26,5,1,on")
    simulator.clock.advance(1800)
    assert bedroom.room.ac.heating
    assert not simulator.ac_state.power
    assert not study.room.ac.power
    assert (await client.async_get_meter_reading(bedroom.meter_id)).temperature == round(
        heated_from(17, 17, 1800, 0.2), 1
    )
    assert (await client.async_get_meter_reading(METER_ID)).temperature == 20.0
    # The study, at the defaults, drifts toward its 10 °C outdoors.
    study_reading = await client.async_get_meter_reading(study.meter_id)
    assert study_reading.temperature == round(study.room.temperature, 1) < 20.0
    await client.async_send_command(bedroom.ac_remote_id, "turnOff")
    await client.async_send_command(study.ac_remote_id, "turnOn")
    await client.async_send_command(AC_REMOTE_ID, "setAll", "22,2,1,on")
    assert not bedroom.room.ac.power
    assert study.room.ac.power
    assert simulator.ac_state.cooling
    assert [c.command for c in simulator.commands_sent(bedroom.ac_remote_id)] == [
        "setAll",
        "turnOff",
    ]
    # An added room's hub takes its room's meter and AC offline, not the others'.
    simulator.set_online(bedroom.hub_id, online=False)
    with pytest.raises(SwitchBotDeviceOfflineError) as caught:
        await client.async_get_meter_reading(bedroom.meter_id)
    assert caught.value.status_code == 171
    assert await client.async_get_meter_reading(study.meter_id)


@pytest.mark.parametrize(
    ("offline", "target", "code"),
    [
        (METER_ID, METER_ID, 161),
        (HUB_ID, METER_ID, 171),
        (HUB_ID, HUB_ID, 161),
        (AC_REMOTE_ID, AC_REMOTE_ID, 161),
        (HUB_ID, AC_REMOTE_ID, 171),
    ],
)
async def test_offline_toggles(
    send: Send, simulator: SwitchBotSimulator, offline: str, target: str, code: int
) -> None:
    simulator.set_online(offline, online=False)
    path = f"/v1.1/devices/{target}"
    if target == AC_REMOTE_ID:
        _, envelope = await send("POST", f"{path}/commands", {"command": "turnOn"})
    else:
        _, envelope = await send("GET", f"{path}/status")
    assert envelope["statusCode"] == code

    simulator.set_online(offline, online=True)
    _, envelope = await send("GET", f"/v1.1/devices/{METER_ID}/status")
    assert envelope["statusCode"] == 100


async def test_status_of_remote_and_unknown_device(send: Send) -> None:
    assert (await send("GET", f"/v1.1/devices/{AC_REMOTE_ID}/status"))[1]["statusCode"] == 151
    assert (await send("GET", "/v1.1/devices/NOPE/status"))[1]["statusCode"] == 152
    command = {"command": "turnOn"}
    assert (await send("POST", "/v1.1/devices/NOPE/commands", command))[1]["statusCode"] == 152
    assert (await send("POST", f"/v1.1/devices/{HUB_ID}/commands", command))[1]["statusCode"] == 160


# Authentication and the request record.


def test_signature_check_on_the_known_vector() -> None:
    headers = [
        (b"authorization", b"vector-token"),
        (b"t", b"1700000000000"),
        (b"nonce", b"6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
        (b"sign", b"HRpD2l0ay2c/wQVUtFURrPGwIoEOwIf2XxAhx7mV3sU="),
    ]
    assert is_authorized(headers, "vector-token", "vector-secret")
    assert not is_authorized(headers, "vector-token", "other-secret")
    upper = [*headers[:3], (b"sign", headers[3][1].upper())]
    assert is_authorized(upper, "vector-token", "vector-secret")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda h: h.pop("authorization"), id="no-token"),
        pytest.param(lambda h: h.pop("t"), id="no-t"),
        pytest.param(lambda h: h.pop("nonce"), id="no-nonce"),
        pytest.param(lambda h: h.pop("sign"), id="no-sign"),
        pytest.param(lambda h: h.update(authorization="other"), id="wrong-token"),
        pytest.param(lambda h: h.update(sign="AAAA"), id="wrong-sign"),
        pytest.param(lambda h: h.update(t="176845680000"), id="t-12-digits"),
        pytest.param(lambda h: h.update(Authorization=h.pop("authorization")), id="mixed-case"),
    ],
)
async def test_unauthorized_requests(
    send: Send, simulator: SwitchBotSimulator, change: Callable[[dict[str, str]], Any]
) -> None:
    headers = signed_headers()
    change(headers)

    assert await send("GET", "/v1.1/devices", headers=headers) == (
        401,
        {"message": "Unauthorized"},
    )
    assert simulator.calls_today == 0
    assert not simulator.requests[0].authorized


async def test_upper_case_sign_is_accepted(send: Send) -> None:
    headers = signed_headers()
    headers["sign"] = headers["sign"].upper()
    assert (await send("GET", "/v1.1/scenes", headers=headers))[0] == 200


async def test_request_record(send: Send, simulator: SwitchBotSimulator) -> None:
    simulator.clock.advance(5)
    await send("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands", {"command": "turnOn"})
    await send("GET", "/v1.1/scenes", headers={})

    post, get = simulator.requests
    assert (post.method, post.path, post.body, post.authorized, post.fault) == (
        "POST",
        f"/v1.1/devices/{AC_REMOTE_ID}/commands",
        {"command": "turnOn"},
        True,
        None,
    )
    assert post.at == DEFAULT_START + timedelta(seconds=5)
    assert post.headers["nonce"] == "n1"
    assert (get.method, get.body, get.authorized) == ("GET", None, False)


# The daily quota.


async def test_calls_are_counted_per_utc_day(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.clock.set(datetime(2026, 1, 15, 23, 59, 59, tzinfo=UTC))
    await client.async_list_devices()
    await client.async_list_scenes()
    assert simulator.calls_today == 2
    simulator.clock.advance(1)
    assert simulator.calls_today == 0
    await client.async_list_scenes()
    assert simulator.calls_today == 1


async def test_http_429_past_the_daily_limit(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, send: Send
) -> None:
    assert simulator.account.daily_limit == DAILY_LIMIT == 10_000
    simulator.account.daily_limit = 2
    await client.async_list_devices()
    await client.async_list_scenes()

    assert await send("GET", "/v1.1/scenes") == (429, {"message": "Too Many Requests"})
    with pytest.raises(SwitchBotQuotaExceededError):
        await client.async_send_command(AC_REMOTE_ID, "turnOn")
    assert simulator.commands_sent() == []
    assert simulator.calls_today == 4

    simulator.clock.set(datetime(2026, 1, 16, tzinfo=UTC))
    await client.async_send_command(AC_REMOTE_ID, "turnOn")
    assert simulator.ac_state.power


async def test_status_190_past_the_daily_limit(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator, send: Send
) -> None:
    simulator.account.daily_limit = 0
    simulator.account.quota_response = QuotaResponse.STATUS_190

    assert await send("GET", "/v1.1/devices") == (
        200,
        {"statusCode": 190, "body": {}, "message": DAILY_LIMIT_MESSAGE},
    )
    with pytest.raises(SwitchBotQuotaExceededError):
        await client.async_get_meter_reading(METER_ID)


# Fault injection.


async def test_fault_applies_to_the_next_n_requests(
    send: Send, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(Fault.http(503), times=2)

    statuses = [(await send("GET", "/v1.1/devices"))[0] for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert simulator.faults.pending == 0
    assert simulator.calls_today == 1  # faults answer in front of the counter
    assert [r.fault for r in simulator.requests] == [Fault.http(503), Fault.http(503), None]


async def test_fault_path_prefix_pattern_and_method(
    send: Send, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(Fault.http(500), path="/v1.1/scenes")
    simulator.inject(Fault.http(502), path=re.compile(r"/status$"))
    simulator.inject(Fault.http(504), method="post")

    assert (await send("GET", "/v1.1/devices"))[0] == 200
    assert (await send("GET", f"/v1.1/devices/{METER_ID}/status"))[0] == 502
    assert (await send("POST", f"/v1.1/scenes/{SCENE_OFF_ID}/execute"))[0] == 500
    assert (await send("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands", {}))[0] == 504
    assert (await send("GET", "/v1.1/scenes"))[0] == 200
    assert simulator.faults.pending == 0


async def test_unlimited_fault_until_cleared(send: Send, simulator: SwitchBotSimulator) -> None:
    simulator.inject(Fault.status_code(161, "device offline"), times=None)
    simulator.inject(Fault.http(500))  # queued behind the first, never reached

    for _ in range(3):
        assert (await send("GET", "/v1.1/devices"))[1]["statusCode"] == 161
    assert simulator.faults.pending == 2
    simulator.faults.clear()
    assert (await send("GET", "/v1.1/devices"))[1]["statusCode"] == 100


async def test_fault_bodies(send: Send, simulator: SwitchBotSimulator) -> None:
    simulator.inject(Fault.http(503))
    simulator.inject(Fault.http(599))
    simulator.inject(Fault.text("<html>gateway</html>", http_status=502))
    simulator.inject(Fault.status_code(100, "success", {"temperature": "n/a"}))

    assert await send("GET", "/v1.1/devices") == (503, {"message": "Service Unavailable"})
    assert await send("GET", "/v1.1/devices") == (599, {"message": "Error"})
    assert await send("GET", "/v1.1/devices") == (502, "<html>gateway</html>")
    assert await send("GET", "/v1.1/devices") == (
        200,
        {"statusCode": 100, "body": {"temperature": "n/a"}, "message": "success"},
    )


async def test_fault_answers_before_authentication(
    send: Send, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(Fault.http(503))
    assert (await send("GET", "/v1.1/devices", headers={}))[0] == 503
    assert not simulator.requests[0].authorized


async def test_delay_fault_then_normal_answer(send: Send, simulator: SwitchBotSimulator) -> None:
    simulator.inject(Fault.delayed(0.05))
    assert (await send("GET", "/v1.1/devices"))[1]["statusCode"] == 100
    assert simulator.requests[0].fault == Fault.delayed(0.05)
    assert simulator.calls_today == 1


async def test_lost_answer_carries_the_request_out_then_replaces_its_answer(
    send: Send, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(Fault.lost_answer(504), method="POST")
    setting = {"command": "setAll", "parameter": "26,5,3,on", "commandType": "command"}

    assert await send("POST", f"/v1.1/devices/{AC_REMOTE_ID}/commands", setting) == (
        504,
        {"message": "Gateway Timeout"},
    )
    assert simulator.ac_state.power  # the unit received it
    assert simulator.calls_today == 1  # and the cloud counted it
    assert simulator.requests[0].fault == Fault.lost_answer(504)


async def test_lost_answer_after_a_delay_and_not_authorized(
    send: Send, simulator: SwitchBotSimulator
) -> None:
    simulator.inject(Fault.lost_answer(502, delay=0.01))
    assert (await send("GET", "/v1.1/devices", headers={}))[0] == 502
    assert simulator.calls_today == 0  # refused by authentication before being counted


async def test_daily_reset_late_after_midnight(
    client: SwitchBotCloudClient, simulator: SwitchBotSimulator
) -> None:
    simulator.account.reset_delay = timedelta(seconds=30)
    simulator.clock.set(datetime(2026, 1, 15, 23, 59, 59, tzinfo=UTC))
    await client.async_list_scenes()
    simulator.clock.set(datetime(2026, 1, 16, 0, 0, 10, tzinfo=UTC))
    assert simulator.calls_today == 1  # the cloud's day has not turned yet
    simulator.clock.set(datetime(2026, 1, 16, 0, 0, 30, tzinfo=UTC))
    assert simulator.calls_today == 0


# Webhooks.


async def test_webhook_lifecycle(send: Send, simulator: SwitchBotSimulator) -> None:
    url = "https://example.invalid/api/webhook/abc"
    base = "/v1.1/webhook"
    query = {"action": "queryUrl"}
    details = {"action": "queryDetails", "urls": [url]}

    assert (await send("POST", f"{base}/queryWebhook", query))[1]["body"] == {"urls": []}
    assert (await send("POST", f"{base}/queryWebhook", details))[1]["body"] == []
    setup = {"action": "setupWebhook", "url": url, "deviceList": "ALL"}
    assert (await send("POST", f"{base}/setupWebhook", setup))[1]["statusCode"] == 100
    assert (await send("POST", f"{base}/queryWebhook", query))[1]["body"] == {"urls": [url]}

    simulator.clock.advance(60)
    update = {"action": "updateWebhook", "config": {"url": url, "enable": False}}
    assert (await send("POST", f"{base}/updateWebhook", update))[1]["statusCode"] == 100
    (entry,) = (await send("POST", f"{base}/queryWebhook", details))[1]["body"]
    assert entry["enable"] is False
    assert entry["deviceList"] == "ALL"
    assert entry["lastUpdateTime"] - entry["createTime"] == 60_000
    assert entry["createTime"] == int(DEFAULT_START.timestamp() * 1000)

    delete = {"action": "deleteWebhook", "url": url}
    assert (await send("POST", f"{base}/deleteWebhook", delete))[1]["statusCode"] == 100
    assert simulator.account.webhooks.webhook is None


@pytest.mark.parametrize(
    ("endpoint", "payload"),
    [
        ("setupWebhook", {"action": "setupWebhook"}),
        ("setupWebhook", {"action": "setupWebhook", "url": ""}),
        ("updateWebhook", {"action": "updateWebhook", "config": {"url": "https://other"}}),
        ("updateWebhook", {"action": "updateWebhook"}),
        ("deleteWebhook", {"action": "deleteWebhook", "url": "https://other"}),
        ("queryWebhook", {"action": "queryEverything"}),
        ("queryWebhook", None),
        ("renameWebhook", {}),
    ],
)
async def test_webhook_errors(send: Send, endpoint: str, payload: Any) -> None:
    url = "https://example.invalid/hook"
    await send("POST", "/v1.1/webhook/setupWebhook", {"action": "setupWebhook", "url": url})
    _, envelope = await send("POST", f"/v1.1/webhook/{endpoint}", payload)
    assert envelope["statusCode"] == 190


async def test_webhook_details_with_bad_url_list(send: Send) -> None:
    await send("POST", "/v1.1/webhook/setupWebhook", {"action": "setupWebhook", "url": "u"})
    payload = {"action": "queryDetails", "urls": "u"}
    assert (await send("POST", "/v1.1/webhook/queryWebhook", payload))[1]["body"] == []


# Lifecycle.


def free_port_holder() -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder


async def test_start_stop_lifecycle(socket_enabled: None) -> None:
    sim = SwitchBotSimulator()
    with pytest.raises(RuntimeError, match="not started"):
        _ = sim.url
    await sim.start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sim.url)
        with pytest.raises(RuntimeError, match="already started"):
            await sim.start()
    finally:
        await sim.stop()
    await sim.stop()
    with pytest.raises(RuntimeError, match="not started"):
        _ = sim.url


async def test_refused_connections_keep_the_address(socket_enabled: None) -> None:
    """Unreachable: connections refused, the port kept for the same URL once started again."""
    sim = SwitchBotSimulator()
    with pytest.raises(RuntimeError, match="not started"):
        await sim.refuse_connections()
    await sim.start()
    url = sim.url
    host, port = url.removeprefix("http://").split(":")
    try:
        await sim.refuse_connections()
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection(host, int(port))
        # Nobody else is given the port meanwhile.
        with socket.socket() as other, pytest.raises(OSError, match="in use"):
            other.bind((host, int(port)))
        await sim.start()
        assert sim.url == url
        async with aiohttp.ClientSession() as session, session.get(f"{url}/v1.1/devices") as answer:
            assert answer.status == 401
        await sim.refuse_connections()
    finally:
        await sim.stop()  # frees the address when refusing too
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.bind((host, int(port)))


async def test_busy_port_is_reported(socket_enabled: None) -> None:
    with free_port_holder() as holder:
        sim = SwitchBotSimulator(port=holder.getsockname()[1])
        with pytest.raises(OSError, match="in use"):
            await sim.start()
    with pytest.raises(RuntimeError):
        _ = sim.url


async def test_clock_can_follow_frozen_home_assistant_time(
    socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-15T06:00:00+00:00")
    async with (
        SwitchBotSimulator(clock=dt_util.utcnow) as sim,
        aiohttp.ClientSession() as session,
    ):
        cloud = SwitchBotCloudClient(session, sim.token, sim.secret, api_url=sim.url)
        await cloud.async_execute_scene(SCENE_WINTER_ID)
        freezer.tick(timedelta(hours=1))
        reading = await cloud.async_get_meter_reading(METER_ID)

    assert reading.temperature == round(heated_from(20, 10, 3600, 0.1), 1)
    assert sim.requests[-1].at == datetime(2026, 1, 15, 7, tzinfo=UTC)


def test_simulator_does_not_import_home_assistant() -> None:
    sources = list((Path(__file__).parents[2] / "switchbot_sim").glob("*.py"))
    assert len(sources) >= 10
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.startswith("homeassistant") for name in names), source


def test_clock_options() -> None:
    clock = SimClock()
    assert SwitchBotSimulator(clock=clock).clock is clock
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    assert SwitchBotSimulator(clock=lambda: moment).clock.now() == moment
    assert SwitchBotSimulator().clock.now() == DEFAULT_START


# The standalone entry point.


def test_parse_args_defaults_and_flags() -> None:
    defaults = parse_args([])
    assert (defaults.host, defaults.port, defaults.speed) == ("127.0.0.1", 8765, 1.0)
    assert (defaults.token, defaults.secret) == (DEV_TOKEN, DEV_SECRET)
    custom = parse_args(
        ["--port", "0", "--speed", "60", "--token", "t", "--secret", "s", "--daily-limit", "5"]
    )
    assert (custom.port, custom.speed, custom.token, custom.secret, custom.daily_limit) == (
        0,
        60.0,
        "t",
        "s",
        5,
    )


def test_build_simulator_from_options() -> None:
    sim = build_simulator(
        parse_args(["--temperature", "17", "--outdoor", "4", "--daily-limit", "50"])
    )
    assert sim.room.temperature == pytest.approx(17.0, abs=0.01)
    assert sim.room.outdoor == 4.0
    assert sim.account.daily_limit == 50

    swinging = build_simulator(parse_args(["--outdoor", "4", "--outdoor-amplitude", "6"]))
    assert callable(swinging.room.outdoor)
    warmest = datetime(2026, 1, 15, 15, tzinfo=UTC)
    assert swinging.room.outdoor_at(warmest) == pytest.approx(10.0)


async def test_serve_prints_connection_details(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = asyncio.Event()
    stop.set()
    await serve(parse_args(["--port", "0", "--speed", "60", "--token", "tok"]), stop)

    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"SwitchBot Cloud simulator listening on http://127\.0\.0\.1:\d+", lines[0])
    assert lines[1:3] == ["token:  tok", f"secret: {DEV_SECRET}"]
    assert lines[3].startswith("clock:  60x real time from ")


def test_main_reports_a_busy_port(socket_enabled: None) -> None:
    with free_port_holder() as holder, pytest.raises(SystemExit, match="cannot listen") as exit_:
        main(["--port", str(holder.getsockname()[1])])
    assert "switchbot_sim:" in str(exit_.value)


def test_module_entry_point(socket_enabled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with free_port_holder() as holder:
        monkeypatch.setattr(sys, "argv", ["switchbot_sim", "--port", str(holder.getsockname()[1])])
        monkeypatch.delitem(sys.modules, "switchbot_sim.__main__")
        with pytest.raises(SystemExit, match="cannot listen"):
            runpy.run_module("switchbot_sim", run_name="__main__")


async def test_standalone_process_serves_and_stops_on_sigterm(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "switchbot_sim",
        "--port",
        "0",
        "--speed",
        "60",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        banner = [
            (await asyncio.wait_for(process.stdout.readline(), 30)).decode() for _ in range(3)
        ]
        url = banner[0].split()[-1]
        token = banner[1].split()[-1]
        secret = banner[2].split()[-1]
        async with aiohttp.ClientSession() as session:
            cloud = SwitchBotCloudClient(session, token, secret, api_url=url)
            assert (await cloud.async_list_devices()).find(METER_ID) is not None
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
