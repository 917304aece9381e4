"""Tests of building and sending actions: scenes, direct commands, fallbacks, OFF repeats."""

from datetime import UTC, datetime, timedelta
import logging
from zoneinfo import ZoneInfo

import pytest

from custom_components.switchbot_automation.engine.actions import (
    ActionPlan,
    SentAction,
    format_temperature,
    is_in_effect,
    plan_action,
    send_action,
    send_off_repeat,
    set_all_parameter,
)
from custom_components.switchbot_automation.engine.automation_state import (
    ActionKind,
    AutomationState,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.port import (
    CloudAuthError,
    CloudOfflineError,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
)
from custom_components.switchbot_automation.engine.settings import AirconScenes, Profile
from tests.engine.support import NOON, FakeCloud, make_settings

SCENES = AirconScenes(winter="scene-heat", summer="scene-cool", fan="scene-fan", off="scene-off")


@pytest.mark.parametrize(
    ("value", "text"), [(21.0, "21"), (21.5, "21.5"), (16.25, "16.25"), (30.0, "30")]
)
def test_format_temperature(value: float, text: str) -> None:
    assert format_temperature(value) == text


def test_set_all_parameter() -> None:
    assert set_all_parameter(21.0, 5, 3) == "21,5,3,on"
    assert set_all_parameter(25.5, 2, 1) == "25.5,2,1,on"


def test_plans_without_scenes() -> None:
    winter = make_settings(winter=Profile(19, 22, 21.5, 5, 2))
    assert plan_action(winter, "on") == ActionPlan(
        "on", "", "setAll", "21.5,5,2,on", "21.5,5,2,on", 5
    )
    assert plan_action(winter, "fan") == ActionPlan(
        "fan", "", "setAll", "21.5,4,2,on", "21.5,4,2,on", 4
    )
    assert plan_action(winter, "off") == ActionPlan("off", "", "turnOff", "default", None, None)
    assert plan_action(make_settings(mode="summer"), "on").parameter == "25,2,3,on"


def test_plans_with_scenes_keep_the_same_assumed_setting() -> None:
    settings = make_settings(aircon_scenes=SCENES)
    assert plan_action(settings, "on").scene_id == "scene-heat"
    assert plan_action(settings, "on").setting == plan_action(make_settings(), "on").setting
    assert plan_action(make_settings(aircon_scenes=SCENES, mode="summer"), "on").scene_id == (
        "scene-cool"
    )
    assert plan_action(settings, "fan").scene_id == "scene-fan"
    assert plan_action(settings, "off").scene_id == "scene-off"


def test_is_in_effect() -> None:
    settings = make_settings()
    on, off, fan = (plan_action(settings, kind) for kind in ("on", "off", "fan"))
    heating = AutomationState(assumed_power=True, assumed_parameter="21,5,3,on")
    assert is_in_effect(heating, on)
    assert not is_in_effect(heating, fan)
    assert not is_in_effect(heating, off)
    assert not is_in_effect(AutomationState(assumed_power=True, assumed_parameter="22,5,3,on"), on)
    assert is_in_effect(AutomationState(assumed_power=False), off)
    assert not is_in_effect(AutomationState(), off)  # unknown is not off
    assert not is_in_effect(AutomationState(), on)


async def test_send_on_by_command() -> None:
    cloud = FakeCloud()
    repeat = OffRepeat(2, 10, NOON, "winter_off")
    state, sent = await send_action(
        cloud,
        make_settings(),
        AutomationState(off_repeat=repeat),
        "on",
        reason="winter_on",
        now=NOON,
    )
    assert cloud.calls == [("command", "ac-1", "setAll", "21,5,3,on")]
    assert sent == SentAction("on", "setAll", "21,5,3,on", None, "winter_on", repeat=False)
    assert state == AutomationState(
        assumed_power=True,
        assumed_mode=5,
        assumed_parameter="21,5,3,on",
        last_action="on",
        last_action_at=NOON,
        last_action_reason="winter_on",
        off_repeat=None,  # an ON clears pending repeats
    )


async def test_send_on_by_scene() -> None:
    cloud = FakeCloud()
    state, sent = await send_action(
        cloud, make_settings(aircon_scenes=SCENES), AutomationState(), "on", reason="r", now=NOON
    )
    assert cloud.calls == [("scene", "scene-heat")]
    assert sent == SentAction("on", "scene", None, "scene-heat", "r", repeat=False)
    assert (state.assumed_power, state.assumed_parameter) == (True, "21,5,3,on")


async def test_refused_scene_falls_back_to_the_command(caplog: pytest.LogCaptureFixture) -> None:
    cloud = FakeCloud()
    cloud.errors["scene"] = CloudRefusedError("scene not found")
    with caplog.at_level(logging.WARNING):
        state, sent = await send_action(
            cloud,
            make_settings(aircon_scenes=SCENES),
            AutomationState(),
            "off",
            reason="r",
            now=NOON,
        )
    assert cloud.calls == [("scene", "scene-off"), ("command", "ac-1", "turnOff", "default")]
    assert sent == SentAction("off", "turnOff", "default", None, "r", repeat=False)
    assert state.assumed_power is False
    assert "Scene scene-off refused" in caplog.text


@pytest.mark.parametrize(
    "error",
    [CloudUnavailableError("timed out"), CloudOfflineError("hub offline")],
    ids=["answer-lost", "offline"],
)
async def test_scene_that_may_have_run_does_not_fall_back(error: Exception) -> None:
    """A scene that timed out may have run: sending the command too could do both."""
    cloud = FakeCloud()
    cloud.errors["scene"] = error
    with pytest.raises(type(error)):
        await send_action(
            cloud,
            make_settings(aircon_scenes=SCENES),
            AutomationState(),
            "off",
            reason="r",
            now=NOON,
        )
    assert cloud.calls == [("scene", "scene-off")]


@pytest.mark.parametrize("error", [CloudAuthError("401"), CloudQuotaError("429")])
async def test_scene_auth_and_quota_errors_do_not_fall_back(error: Exception) -> None:
    cloud = FakeCloud()
    cloud.errors["scene"] = error  # type: ignore[assignment]
    with pytest.raises(type(error)):
        await send_action(
            cloud,
            make_settings(aircon_scenes=SCENES),
            AutomationState(),
            "on",
            reason="r",
            now=NOON,
        )
    assert cloud.calls == [("scene", "scene-heat")]


async def test_failed_command_propagates() -> None:
    cloud = FakeCloud()
    cloud.errors["command"] = CloudRefusedError("bad")
    with pytest.raises(CloudRefusedError):
        await send_action(cloud, make_settings(), AutomationState(), "on", reason="r", now=NOON)


@pytest.mark.parametrize("kind", ["off", "fan"])
async def test_off_schedules_repeats(kind: ActionKind) -> None:
    settings = make_settings(off_repeat_count=3, off_repeat_interval_seconds=20)
    state, _ = await send_action(
        FakeCloud(), settings, AutomationState(), kind, reason="x", now=NOON
    )
    assert state.off_repeat == OffRepeat(2, 20, NOON + timedelta(seconds=20), "x", kind)


async def test_off_with_a_count_of_one_supersedes_pending_repeats() -> None:
    pending = AutomationState(off_repeat=OffRepeat(2, 10, NOON, "old", "fan"))
    state, _ = await send_action(FakeCloud(), make_settings(), pending, "off", reason="x", now=NOON)
    assert state.off_repeat is None


async def test_repeat_is_computed_in_utc_across_a_dst_change() -> None:
    paris = ZoneInfo("Europe/Paris")
    before_change = datetime(2026, 3, 29, 1, 59, 55, tzinfo=paris)
    settings = make_settings(off_repeat_count=2, off_repeat_interval_seconds=10)
    state, _ = await send_action(
        FakeCloud(), settings, AutomationState(), "off", reason="x", now=before_change
    )
    assert state.off_repeat is not None
    assert state.off_repeat.next_run_at == datetime(2026, 3, 29, 1, 0, 5, tzinfo=UTC)


async def test_off_repeat_resends_decrements_and_clears() -> None:
    cloud = FakeCloud()
    settings = make_settings(aircon_scenes=AirconScenes(off="scene-off"))
    repeat = OffRepeat(2, 10, NOON, "winter_off")
    state = AutomationState(assumed_power=True, off_repeat=repeat)
    later = NOON + timedelta(seconds=12)

    state, sent = await send_off_repeat(cloud, settings, state, repeat, now=later)
    assert sent == SentAction("off", "scene", None, "scene-off", "winter_off", repeat=True)
    assert state.off_repeat == OffRepeat(1, 10, later + timedelta(seconds=10), "winter_off")
    assert (state.assumed_power, state.last_action_at) == (False, later)

    state, sent = await send_off_repeat(cloud, settings, state, state.off_repeat, now=later)
    assert state.off_repeat is None
    assert cloud.calls == [("scene", "scene-off"), ("scene", "scene-off")]


async def test_fan_repeat_resends_the_fan() -> None:
    cloud = FakeCloud()
    repeat = OffRepeat(1, 10, NOON, "fan_neutral_zone", "fan")
    state, sent = await send_off_repeat(cloud, make_settings(), AutomationState(), repeat, now=NOON)
    assert cloud.calls == [("command", "ac-1", "setAll", "21,4,3,on")]
    assert sent.action == "fan"
    assert sent.repeat
    assert (state.assumed_power, state.assumed_mode, state.off_repeat) == (True, 4, None)


def test_event_data() -> None:
    sent = SentAction("fan", "setAll", "21,4,3,on", None, "winter_off", repeat=True)
    assert sent.as_event_data() == {
        "action": "fan",
        "command": "setAll",
        "parameter": "21,4,3,on",
        "scene_id": None,
        "reason": "winter_off",
        "repeat": True,
    }
