"""Tests of a whole tick and of the quick off, against an in-memory cloud."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.switchbot_automation.engine.actions import SentAction
from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.port import (
    CloudAuthError,
    CloudError,
    CloudOfflineError,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
    InvalidReadingError,
    Reading,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from custom_components.switchbot_automation.engine.settings import AirconScenes, Settings
from custom_components.switchbot_automation.engine.tick import TickResult, run_quick_off, run_tick
from tests.engine.support import (
    NIGHT,
    NOON,
    FakeCloud,
    make_settings,
    seconds,
)

METER = ("meter", "meter-1")
SET_HEAT = ("command", "ac-1", "setAll", "21,5,3,on")
TURN_OFF = ("command", "ac-1", "turnOff", "default")


def off() -> AutomationState:
    """A new state, AC assumed off (each has its own quota counter, which ticks may mark)."""
    return AutomationState(assumed_power=False)


def heating() -> AutomationState:
    """A new state, AC assumed heating with the default winter setting."""
    return AutomationState(assumed_power=True, assumed_mode=5, assumed_parameter="21,5,3,on")


MIDNIGHT = datetime(2026, 1, 8, tzinfo=UTC)


async def tick(
    cloud: FakeCloud,
    state: AutomationState | None = None,
    settings: Settings | None = None,
    now: datetime = NOON,
    *,
    aircon_has_status: bool = False,
) -> TickResult:
    return await run_tick(
        settings or make_settings(),
        state or off(),
        now,
        cloud,
        UTC,
        aircon_has_status=aircon_has_status,
    )


def test_outcomes_constant() -> None:
    assert {
        "disabled", "outside_window", "already_off", "cooldown", "turned_off_outside_window",
        "missing_meter", "invalid_temperature", "invalid_profile", "invalid_thresholds",
        "winter_on", "winter_off", "summer_on", "summer_off", "already_on", "off_repeat_pending",
        "no_action", "fan_neutral_zone", "api_error", "device_offline", "quota_exhausted",
        "not_configured", "quick_off", "stale_reading_off", "window_open",
        "command_not_taken",
    } == set(Outcome)  # fmt: skip


async def test_tick_records_the_tick_and_returns_a_new_state() -> None:
    cloud = FakeCloud(20.5, humidity=41)
    state = AutomationState()
    result = await tick(cloud, state)
    assert result.outcome == "no_action"
    assert result.trigger == "scheduler"
    assert result.in_window
    assert result.actions == ()
    assert result.reading == Reading(20.5, 41)
    assert result.state == AutomationState(
        last_reading=LastReading(20.5, 41, NOON),
        last_tick=NOON,
        last_outcome="no_action",
        in_window=True,
    )
    assert state == AutomationState()  # not modified
    assert cloud.calls == [METER]


async def test_tick_instants_are_recorded_in_utc() -> None:
    now = NOON.astimezone(ZoneInfo("Asia/Tokyo"))
    result = await run_tick(make_settings(), off(), now, FakeCloud(15), UTC, trigger="manual")
    assert result.trigger == "manual"
    assert result.state.last_tick is not None
    assert result.state.last_tick.tzinfo is UTC
    assert result.state.last_action_at == NOON


async def test_winter_on_sends_set_all() -> None:
    cloud = FakeCloud(18)
    result = await tick(cloud)
    assert result.outcome == "winter_on"
    assert cloud.calls == [METER, SET_HEAT]
    assert result.actions == (
        SentAction("on", "setAll", "21,5,3,on", None, "winter_on", repeat=False),
    )
    assert result.state.assumed_power is True
    assert result.state.last_action == "on"
    assert result.state.last_action_reason == "winter_on"


async def test_summer_on_with_a_scene() -> None:
    cloud = FakeCloud(28)
    settings = make_settings(mode="summer", aircon_scenes=AirconScenes(summer="cool"))
    result = await tick(cloud, settings=settings)
    assert result.outcome == "summer_on"
    assert cloud.sent == [("scene", "cool")]
    assert result.state.assumed_parameter == "25,2,3,on"


async def test_summer_off() -> None:
    cloud = FakeCloud(23)
    cooling = AutomationState(assumed_power=True, assumed_parameter="25,2,3,on")
    result = await tick(cloud, cooling, make_settings(mode="summer"))
    assert result.outcome == "summer_off"
    assert cloud.sent == [TURN_OFF[0:4]]


async def test_already_on_sends_nothing() -> None:
    cloud = FakeCloud(18)
    assert (await tick(cloud, heating())).outcome == "already_on"
    assert cloud.sent == []


async def test_winter_off_with_fan_mode_runs_the_fan_scene() -> None:
    cloud = FakeCloud(23)
    settings = make_settings(fan_mode_during_window=True, aircon_scenes=AirconScenes(fan="fan"))
    result = await tick(cloud, heating(), settings)
    assert result.outcome == "winter_off"
    assert result.actions == (SentAction("fan", "scene", None, "fan", "winter_off", repeat=False),)
    assert (result.state.assumed_power, result.state.assumed_mode) == (True, 4)


async def test_fan_neutral_zone_sends_set_all_mode_4() -> None:
    cloud = FakeCloud(20.5)
    result = await tick(cloud, off(), make_settings(fan_mode_during_window=True))
    assert result.outcome == "fan_neutral_zone"
    assert cloud.sent == [("command", "ac-1", "setAll", "21,4,3,on")]


async def test_failed_scene_falls_back_to_the_command() -> None:
    cloud = FakeCloud(18)
    cloud.errors["scene"] = CloudRefusedError("unknown scene")
    result = await tick(cloud, settings=make_settings(aircon_scenes=AirconScenes(winter="bad")))
    assert result.outcome == "winter_on"
    assert cloud.sent == [("scene", "bad"), SET_HEAT]
    assert result.actions[0].command == "setAll"


async def test_api_error_while_sending() -> None:
    cloud = FakeCloud(18)
    cloud.errors["command"] = CloudRefusedError("not supported")
    result = await tick(cloud)
    assert result.outcome == "api_error"
    assert result.actions == ()
    assert result.state.assumed_power is False  # nothing was sent
    assert result.state.last_reading == LastReading(18, 40, NOON)  # the reading is kept


async def test_device_offline_while_sending() -> None:
    cloud = FakeCloud(18)
    cloud.errors["command"] = CloudOfflineError("hub offline")
    assert (await tick(cloud)).outcome == "device_offline"


# --- Reading the meter ------------------------------------------------------------------------


async def test_missing_meter_temperature() -> None:
    assert (await tick(FakeCloud(None))).outcome == "missing_meter"


async def test_no_meter_configured_makes_no_call() -> None:
    cloud = FakeCloud(15)
    result = await tick(cloud, settings=make_settings(meter_device_id=""))
    assert result.outcome == "missing_meter"
    assert result.reading is None
    assert cloud.calls == []


async def test_invalid_temperature() -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = InvalidReadingError("temperature 'NaN'")
    result = await tick(cloud)
    assert result.outcome == "invalid_temperature"
    assert result.state.last_reading is None


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (CloudOfflineError("offline"), "device_offline"),
        (CloudUnavailableError("timeout"), "api_error"),
        (CloudRefusedError("device not found"), "api_error"),
    ],
)
async def test_reading_errors_inside_a_window(error: Exception, outcome: str) -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = error  # type: ignore[assignment]
    result = await tick(cloud)
    assert result.outcome == outcome
    assert result.state.last_outcome == outcome


async def test_not_configured_inside_a_window_reads_the_meter_only() -> None:
    cloud = FakeCloud(15)
    result = await tick(cloud, settings=make_settings(aircon_device_id=""), aircon_has_status=True)
    assert result.outcome == "not_configured"
    assert cloud.calls == [METER]


async def test_invalid_profile_and_thresholds() -> None:
    settings = make_settings(winter=replace(make_settings().winter, ac_mode=7))
    assert (await tick(FakeCloud(15), settings=settings)).outcome == "invalid_profile"
    settings = make_settings(winter=replace(make_settings().winter, min_temp=23))
    assert (await tick(FakeCloud(15), settings=settings)).outcome == "invalid_thresholds"


# --- The AC's own status -------------------------------------------------------------------


async def test_status_power_updates_the_assumed_power() -> None:
    cloud = FakeCloud(18, status={"power": "off"})
    result = await tick(cloud, heating(), aircon_has_status=True)
    assert cloud.calls == [METER, ("status", "ac-1"), SET_HEAT]
    assert result.outcome == "winter_on"

    cloud = FakeCloud(23, status={"power": "ON"})
    result = await tick(cloud, off(), aircon_has_status=True)
    assert result.outcome == "winter_off"  # it was on after all


async def test_status_without_power_changes_nothing() -> None:
    cloud = FakeCloud(23, status={"voltage": 230})
    assert (await tick(cloud, off(), aircon_has_status=True)).outcome == "already_off"


async def test_status_error_is_an_api_error() -> None:
    cloud = FakeCloud(18)
    cloud.errors["status"] = CloudUnavailableError("boom")
    assert (await tick(cloud, aircon_has_status=True)).outcome == "api_error"


async def test_status_is_read_only_when_regulating() -> None:
    cloud = FakeCloud(18, status={"power": "on"})
    await tick(cloud, now=NIGHT, aircon_has_status=True)
    await tick(cloud, settings=make_settings(automation_enabled=False), aircon_has_status=True)
    assert cloud.calls == [METER, METER]


# --- Automation disabled and outside windows ---------------------------------------------


async def test_disabled_reads_the_meter() -> None:
    cloud = FakeCloud(15)
    result = await tick(cloud, settings=make_settings(automation_enabled=False))
    assert result.outcome == "disabled"
    assert cloud.calls == [METER]
    assert result.state.last_reading == LastReading(15, 40, NOON)


@pytest.mark.parametrize(
    "error",
    [CloudUnavailableError("down"), InvalidReadingError("NaN")],
)
async def test_reading_failures_do_not_matter_when_not_regulating(error: Exception) -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = error  # type: ignore[assignment]
    assert (await tick(cloud, settings=make_settings(automation_enabled=False))).outcome == (
        "disabled"
    )
    assert (await tick(cloud, now=NIGHT)).outcome == "outside_window"


async def test_outside_window_outcomes() -> None:
    turn_off = make_settings(turn_off_outside_windows=True)
    assert (await tick(FakeCloud(), heating(), now=NIGHT)).outcome == "outside_window"
    assert (await tick(FakeCloud(), off(), turn_off, now=NIGHT)).outcome == "already_off"
    recent = replace(heating(), last_action_at=NIGHT - seconds(5))
    assert (await tick(FakeCloud(), recent, turn_off, now=NIGHT)).outcome == "cooldown"


async def test_turned_off_outside_window_is_a_real_off_with_repeats() -> None:
    cloud = FakeCloud(15)
    settings = make_settings(
        turn_off_outside_windows=True,
        fan_mode_during_window=True,
        aircon_scenes=AirconScenes(fan="fan", off="off-scene"),
        off_repeat_count=2,
    )
    result = await tick(cloud, heating(), settings, NIGHT)
    assert result.outcome == "turned_off_outside_window"
    assert cloud.sent == [("scene", "off-scene")]
    assert result.state.off_repeat == OffRepeat(
        1, 10, NIGHT + seconds(10), "turned_off_outside_window"
    )


# --- off() repeats ----------------------------------------------------------------------------


async def test_off_repeats_from_first_send_to_last() -> None:
    cloud = FakeCloud(23)
    settings = make_settings(off_repeat_count=3, off_repeat_interval_seconds=10)
    first = await tick(cloud, heating(), settings)
    assert first.outcome == "winter_off"
    assert first.state.off_repeat == OffRepeat(2, 10, NOON + seconds(10), "winter_off")

    not_due = await tick(cloud, first.state, settings, NOON + seconds(8))
    assert not_due.actions == ()
    assert not_due.outcome == "cooldown"

    second = await tick(cloud, not_due.state, settings, NOON + seconds(10))
    assert second.actions == (
        SentAction("off", "turnOff", "default", None, "winter_off", repeat=True),
    )
    assert second.state.off_repeat == OffRepeat(1, 10, NOON + seconds(20), "winter_off")

    third = await tick(cloud, second.state, settings, NOON + seconds(25))
    assert [action.repeat for action in third.actions] == [True]
    assert third.state.off_repeat is None
    assert cloud.sent == [TURN_OFF, TURN_OFF, TURN_OFF]


async def test_off_repeat_pending_outcome() -> None:
    cloud = FakeCloud(23)
    settings = make_settings(off_repeat_count=3, command_cooldown_seconds=0)
    state = replace(off(), off_repeat=OffRepeat(2, 10, NOON + seconds(10), "winter_off"))
    assert (await tick(cloud, state, settings)).outcome == "off_repeat_pending"


async def test_due_repeat_runs_even_when_disabled() -> None:
    cloud = FakeCloud(15)
    state = replace(off(), off_repeat=OffRepeat(1, 10, NOON, "quick_off"))
    result = await tick(cloud, state, make_settings(automation_enabled=False))
    assert result.outcome == "disabled"
    assert cloud.calls == [TURN_OFF, METER]
    assert result.actions[0].repeat
    assert result.state.off_repeat is None


async def test_failed_repeat_clears_the_task_and_the_tick_goes_on() -> None:
    cloud = FakeCloud(20)
    cloud.errors["command"] = CloudRefusedError("IR hub busy")
    state = replace(off(), off_repeat=OffRepeat(3, 10, NOON, "winter_off"))
    result = await tick(cloud, state)
    assert result.state.off_repeat is None
    assert result.outcome == "no_action"
    assert result.actions == ()
    assert cloud.calls == [TURN_OFF, METER]


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (CloudOfflineError("hub offline"), "device_offline"),
        (CloudUnavailableError("HTTP 503"), "api_error"),
    ],
)
async def test_repeat_the_cloud_could_not_send_is_kept(error: CloudError, outcome: str) -> None:
    """The AC may still run: the repeat waits for the next tick, as many left."""
    cloud = FakeCloud(20)
    cloud.errors["command"] = error
    settings = make_settings(off_repeat_interval_seconds=30)
    state = replace(off(), off_repeat=OffRepeat(3, 30, NOON, "winter_off"))
    result = await tick(cloud, state, settings)
    assert result.outcome == outcome
    assert result.state.off_repeat == OffRepeat(3, 30, NOON + seconds(30), "winter_off")
    assert cloud.calls == [TURN_OFF]  # the tick ends there
    assert result.actions == ()

    del cloud.errors["command"]
    later = await tick(cloud, result.state, settings, NOON + seconds(30))
    assert [action.repeat for action in later.actions] == [True]
    assert later.state.off_repeat == OffRepeat(2, 30, NOON + seconds(60), "winter_off")


async def test_a_failed_repeat_waits_at_least_the_base_interval() -> None:
    """A 1 s repeat interval does not turn an outage into a call every second."""
    cloud = FakeCloud(20)
    cloud.errors["command"] = CloudOfflineError("hub offline")
    state = replace(off(), off_repeat=OffRepeat(1, 1, NOON, "winter_off"))
    result = await tick(cloud, state, make_settings(poll_interval_seconds=60))
    assert result.state.off_repeat == OffRepeat(1, 1, NOON + seconds(60), "winter_off")


async def test_on_clears_a_pending_repeat() -> None:
    cloud = FakeCloud(15)
    state = replace(off(), off_repeat=OffRepeat(2, 10, NOON + seconds(60), "winter_off"))
    result = await tick(cloud, state)
    assert result.outcome == "winter_on"
    assert result.state.off_repeat is None


async def test_repeat_survives_a_restart() -> None:
    cloud = FakeCloud(20)
    state = replace(off(), off_repeat=OffRepeat(1, 10, NOON, "winter_off"))
    restored = AutomationState.from_dict(state.to_dict())
    result = await tick(cloud, restored, now=NOON + seconds(3600))
    assert result.actions[0].repeat
    assert result.state.off_repeat is None


# --- Quota -----------------------------------------------------------------------------------


async def test_quota_exhausted_makes_no_call_at_all() -> None:
    cloud = FakeCloud(15)
    quota = QuotaCounter(date(2026, 1, 7), 10_000, MIDNIGHT)
    state = replace(off(), quota=quota, off_repeat=OffRepeat(1, 10, NOON, "x"))
    result = await tick(cloud, state)
    assert result.outcome == "quota_exhausted"
    assert cloud.calls == []
    assert result.state.last_tick == NOON
    assert result.state.off_repeat == state.off_repeat  # waits for the reset


@pytest.mark.parametrize(
    ("failing", "scenes"),
    [
        ("meter", AirconScenes()),
        ("command", AirconScenes()),
        ("scene", AirconScenes(winter="heat")),
    ],
)
async def test_daily_limit_reported_by_any_call(failing: str, scenes: AirconScenes) -> None:
    cloud = FakeCloud(18)
    cloud.errors[failing] = CloudQuotaError("429")
    settings = make_settings(aircon_scenes=scenes)
    result = await tick(cloud, settings=settings)
    assert result.outcome == "quota_exhausted"
    # One refusal pauses the calls for 15 minutes, not until the next 00:00 UTC.
    assert result.state.quota.exhausted_until == NOON + timedelta(minutes=15)
    calls = len(cloud.calls)
    assert (await tick(cloud, result.state, settings, NOON + seconds(60))).outcome == (
        "quota_exhausted"
    )
    assert len(cloud.calls) == calls
    del cloud.errors[failing]
    # Resumes by itself at 00:00 UTC.
    assert (await tick(cloud, result.state, settings, MIDNIGHT)).outcome == "outside_window"
    assert len(cloud.calls) == calls + 1


async def test_daily_limit_on_a_repeat_keeps_it_for_after_the_reset() -> None:
    cloud = FakeCloud()
    cloud.errors["command"] = CloudQuotaError("190 daily limit")
    state = replace(off(), off_repeat=OffRepeat(2, 10, NOON, "x"))
    result = await tick(cloud, state)
    assert result.outcome == "quota_exhausted"
    # Not before the next regular tick (15 s), as many left.
    assert result.state.off_repeat == OffRepeat(2, 10, NOON + seconds(15), "x")
    assert cloud.calls == [TURN_OFF]


async def test_the_shared_counter_keeps_calls_counted_during_the_tick() -> None:
    counter = QuotaCounter()
    state = replace(off(), quota=counter)
    cloud = FakeCloud(18)
    result = await tick(cloud, state)
    counter.record_call(NOON)  # what the client's on_request hook does
    assert result.state.quota is counter
    assert result.state.quota.calls == 1


# --- Authentication -------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["meter", "command"])
async def test_auth_error_propagates(failing: str) -> None:
    cloud = FakeCloud(18)
    cloud.errors[failing] = CloudAuthError("401")
    with pytest.raises(CloudAuthError):
        await tick(cloud)


async def test_auth_error_propagates_when_not_regulating() -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = CloudAuthError("401")
    with pytest.raises(CloudAuthError):
        await tick(cloud, now=NIGHT)


async def test_auth_error_on_a_repeat_propagates() -> None:
    cloud = FakeCloud()
    cloud.errors["command"] = CloudAuthError("401")
    with pytest.raises(CloudAuthError):
        await tick(cloud, replace(off(), off_repeat=OffRepeat(1, 10, NOON, "x")))


# --- Section 8 defects, end to end ---------------------------------------------------------


async def test_scene_on_rerun_every_cooldown_defect_fixed() -> None:
    """Section 8: the ON scene ran again at every cooldown expiry; now it is ``already_on``."""
    cloud = FakeCloud(18)
    settings = make_settings(aircon_scenes=AirconScenes(winter="heat"))
    first = await tick(cloud, off(), settings)
    later = await tick(cloud, first.state, settings, NOON + seconds(3600))
    assert (first.outcome, later.outcome) == ("winter_on", "already_on")
    assert cloud.sent == [("scene", "heat")]


async def test_winter_on_reported_without_sending_defect_fixed() -> None:
    """Section 8: ``winter_on`` was reported although nothing was sent."""
    for state in (off(), heating()):
        result = await tick(FakeCloud(18), state)
        assert (result.outcome == "winter_on") == bool(result.actions)


# --- Quick off -------------------------------------------------------------------------------


async def test_quick_off_sends_a_real_off_whatever_the_state() -> None:
    cloud = FakeCloud()
    settings = make_settings(fan_mode_during_window=True, off_repeat_count=2)
    recent = replace(off(), last_action_at=NOON, in_window=True)
    result = await run_quick_off(settings, recent, NOON + seconds(1), cloud)
    assert result.outcome == "quick_off"
    assert result.trigger == "quick_off"
    assert result.in_window
    assert cloud.calls == [TURN_OFF]
    assert result.actions == (
        SentAction("off", "turnOff", "default", None, "quick_off", repeat=False),
    )
    assert result.state.off_repeat == OffRepeat(1, 10, NOON + seconds(11), "quick_off")
    assert result.state.last_tick is None  # not a tick
    assert result.state.last_outcome == "quick_off"


async def test_quick_off_uses_the_off_scene() -> None:
    cloud = FakeCloud()
    settings = make_settings(aircon_scenes=AirconScenes(off="off", fan="fan"))
    result = await run_quick_off(settings, heating(), NOON, cloud, reason="service")
    assert cloud.calls == [("scene", "off")]
    assert result.actions[0].reason == "service"
    assert not result.in_window


async def test_quick_off_not_configured_quota_and_errors() -> None:
    cloud = FakeCloud()
    unconfigured = make_settings(aircon_device_id="")
    assert (await run_quick_off(unconfigured, off(), NOON, cloud)).outcome == "not_configured"
    exhausted = replace(off(), quota=QuotaCounter(exhausted_until=MIDNIGHT))
    assert (await run_quick_off(make_settings(), exhausted, NOON, cloud)).outcome == (
        "quota_exhausted"
    )
    assert cloud.calls == []
    cloud.errors["command"] = CloudOfflineError("offline")
    assert (await run_quick_off(make_settings(), off(), NOON, cloud)).outcome == "device_offline"
