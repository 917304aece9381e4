"""Tests of the Home Assistant inputs in the engine: entity readings, open windows, timers."""

from datetime import UTC, datetime, time, timedelta

import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
)
from custom_components.switchbot_automation.engine.inputs import (
    NO_INPUTS,
    EntityInputs,
    SensorReading,
    follows_entity,
    fresh_reading,
    window_paused,
)
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.polling import (
    PollDecision,
    PollingMode,
    compute_interval,
)
from custom_components.switchbot_automation.engine.settings import Settings, TimeWindow
from custom_components.switchbot_automation.engine.settings_loader import settings_from_options
from custom_components.switchbot_automation.engine.tick import TickResult, run_tick
from custom_components.switchbot_automation.engine.validation import validate_options
from tests.engine.support import ALL_DAYS, NIGHT, NOON, FakeCloud, make_settings, seconds

SENSOR = "sensor.living_room_temperature"
WINDOW = "binary_sensor.living_room_window"
TURN_OFF = ("command", "ac-1", "turnOff", "default")
SET_HEAT = ("command", "ac-1", "setAll", "21,5,3,on")


def entity_settings(**changes: object) -> Settings:
    """Settings reading the temperature entity, without the SwitchBot meter."""
    return make_settings(**{"temperature_entity_id": SENSOR, "meter_device_id": "", **changes})


def sensed(temperature: float, reported_at: datetime = NOON) -> EntityInputs:
    return EntityInputs(SensorReading(temperature, 45.0, reported_at))


def window_open(since: datetime) -> EntityInputs:
    return EntityInputs(SensorReading(20.0, None, since), window_open_since=since)


async def tick(
    settings: Settings,
    inputs: EntityInputs,
    state: AutomationState | None = None,
    cloud: FakeCloud | None = None,
    now: datetime = NOON,
) -> tuple[TickResult, FakeCloud]:
    cloud = cloud or FakeCloud(25.0)
    result = await run_tick(
        settings, state or AutomationState(assumed_power=False), now, cloud, UTC, inputs=inputs
    )
    return result, cloud


# --- Readings ------------------------------------------------------------------------------


def test_a_reading_counts_only_with_an_entity_configured_and_fresh() -> None:
    reading = sensed(18.0).reading
    assert fresh_reading(make_settings(), sensed(18.0), NOON) is None
    assert fresh_reading(entity_settings(), NO_INPUTS, NOON) is None
    assert fresh_reading(entity_settings(), sensed(18.0), NOON + timedelta(minutes=30)) == reading
    late = NOON + timedelta(minutes=30, seconds=1)
    assert fresh_reading(entity_settings(), sensed(18.0), late) is None


async def test_the_entity_is_the_source_and_the_meter_is_never_read() -> None:
    result, cloud = await tick(entity_settings(meter_device_id="meter-1"), sensed(18.0))
    assert result.outcome == Outcome.WINTER_ON
    assert cloud.calls == [SET_HEAT]
    assert result.state.last_reading == LastReading(18.0, 45.0, NOON)


async def test_outside_the_windows_the_entity_reading_is_shown() -> None:
    result, cloud = await tick(entity_settings(), sensed(18.0, NIGHT - seconds(5)), now=NIGHT)
    assert result.outcome == Outcome.OUTSIDE_WINDOW
    assert cloud.calls == []
    assert result.state.last_reading == LastReading(18.0, 45.0, NIGHT - seconds(5))


async def test_a_report_from_the_future_is_aged_from_now() -> None:
    result, _ = await tick(entity_settings(), sensed(21.0, NOON + seconds(30)))
    assert result.state.last_reading == LastReading(21.0, 45.0, NOON)


async def test_the_meter_stands_in_while_the_entity_is_unavailable() -> None:
    result, cloud = await tick(entity_settings(meter_device_id="meter-1"), NO_INPUTS)
    assert result.outcome == Outcome.ALREADY_OFF
    assert cloud.calls[0] == ("meter", "meter-1")
    assert result.reading is not None
    assert result.reading.temperature == 25.0


async def test_without_a_meter_an_unavailable_entity_is_no_reading() -> None:
    result, cloud = await tick(entity_settings(), NO_INPUTS)
    assert result.outcome == Outcome.MISSING_METER
    assert cloud.calls == []


async def test_an_entity_silent_too_long_ends_in_the_fail_safe_off() -> None:
    old = NOON - timedelta(minutes=31)
    state = AutomationState(assumed_power=True, last_reading=LastReading(18.0, None, old))
    result, cloud = await tick(entity_settings(), sensed(18.0, old), state)
    assert result.outcome == Outcome.STALE_READING_OFF
    assert cloud.calls == [TURN_OFF]


# --- Open windows --------------------------------------------------------------------------


def test_a_window_pauses_once_open_for_the_delay() -> None:
    settings = entity_settings(window_entity_ids=(WINDOW,))
    opened = window_open(NOON - seconds(60))
    assert window_paused(settings, opened, NOON)
    assert not window_paused(settings, opened, NOON - seconds(1))
    assert not window_paused(settings, EntityInputs(), NOON)
    assert not window_paused(entity_settings(), opened, NOON)


async def test_an_open_window_turns_the_unit_off_whatever_the_cooldown() -> None:
    state = AutomationState(
        assumed_power=True, assumed_parameter="21,5,3,on", last_action_at=NOON - seconds(5)
    )
    settings = entity_settings(window_entity_ids=(WINDOW,))
    result, cloud = await tick(settings, window_open(NOON - seconds(60)), state)
    assert result.outcome == Outcome.WINDOW_OPEN
    assert cloud.calls == [TURN_OFF]
    assert result.actions[0].reason == Outcome.WINDOW_OPEN
    again, cloud = await tick(settings, window_open(NOON - seconds(60)), result.state)
    assert (again.outcome, cloud.calls) == (Outcome.WINDOW_OPEN, [])


async def test_an_open_window_pauses_nothing_while_the_automation_is_disabled() -> None:
    settings = entity_settings(window_entity_ids=(WINDOW,), automation_enabled=False)
    result, cloud = await tick(settings, window_open(NOON - seconds(60)))
    assert (result.outcome, cloud.calls) == (Outcome.DISABLED, [])


async def test_an_open_window_without_an_air_conditioner_sends_nothing() -> None:
    settings = entity_settings(window_entity_ids=(WINDOW,), aircon_device_id="")
    result, cloud = await tick(settings, window_open(NOON - seconds(60)), AutomationState())
    assert (result.outcome, cloud.calls) == (Outcome.WINDOW_OPEN, [])


# --- When the next tick runs ---------------------------------------------------------------


def interval(
    settings: Settings, state: AutomationState, now: datetime, inputs: EntityInputs
) -> PollDecision:
    return compute_interval(settings, state, now, UTC, inputs)


def test_the_ticks_follow_the_entity_unless_the_meter_stands_in() -> None:
    assert not follows_entity(make_settings(), sensed(20.0), NOON)
    assert follows_entity(entity_settings(), NO_INPUTS, NOON)
    assert follows_entity(entity_settings(meter_device_id="meter-1"), sensed(20.0), NOON)
    assert not follows_entity(entity_settings(meter_device_id="meter-1"), NO_INPUTS, NOON)


@pytest.mark.parametrize(
    ("now", "reading_at", "last_action_at", "seconds_left"),
    [
        # Nothing due before the idle interval.
        (NOON, NOON, None, 600),
        # The reading reaches the age limit (30 min) 20 s from now.
        (NOON, NOON - timedelta(minutes=29, seconds=40), None, 21),
        # The cooldown (60 s) that held a command back ends 45 s from now.
        (NOON, NOON, NOON - seconds(15), 46),
        # The window ends at 20:00.
        (datetime(2026, 1, 7, 19, 59, 50, tzinfo=UTC), None, None, 11),
        # The next window starts at 08:00.
        (datetime(2026, 1, 8, 7, 59, 30, tzinfo=UTC), None, None, 31),
    ],
)
def test_on_change_the_clock_runs_only_the_timers(
    now: datetime, reading_at: datetime | None, last_action_at: datetime | None, seconds_left: int
) -> None:
    state = AutomationState(
        assumed_power=False,
        last_action_at=last_action_at,
        last_reading=None if reading_at is None else LastReading(20.0, None, reading_at),
    )
    assert interval(entity_settings(), state, now, sensed(20.0, now)) == PollDecision(
        seconds_left, PollingMode.ON_CHANGE
    )


def test_a_stale_reading_sets_no_timer() -> None:
    state = AutomationState(last_reading=LastReading(20.0, None, NOON - timedelta(hours=2)))
    assert interval(entity_settings(), state, NOON, NO_INPUTS).seconds == 600


def test_a_tick_lands_when_an_open_window_starts_the_pause() -> None:
    settings = make_settings(window_entity_ids=(WINDOW,))
    opened = window_open(NIGHT - seconds(50))
    assert interval(settings, AutomationState(), NIGHT, opened) == PollDecision(
        11, PollingMode.IDLE
    )
    assert interval(settings, AutomationState(), NIGHT, window_open(NIGHT - seconds(60))) == (
        PollDecision(600, PollingMode.IDLE)
    )
    disabled = make_settings(window_entity_ids=(WINDOW,), automation_enabled=False)
    assert interval(disabled, AutomationState(), NIGHT, opened).seconds == 600


def test_without_windows_the_entity_changes_nothing_to_the_clock() -> None:
    settings = entity_settings(time_windows=(TimeWindow(ALL_DAYS, time(8), time(20)),))
    assert interval(settings, AutomationState(), NOON, sensed(20.0)).mode is PollingMode.ON_CHANGE
    assert interval(entity_settings(time_windows=()), AutomationState(), NOON, NO_INPUTS) == (
        PollDecision(600, PollingMode.NO_WINDOWS)
    )


def test_a_window_that_never_starts_sets_no_timer() -> None:
    settings = entity_settings(time_windows=(TimeWindow((), time(8), time(20)),))
    assert interval(settings, AutomationState(), NIGHT, NO_INPUTS).seconds == 600


def test_a_pause_later_than_the_next_tick_changes_nothing() -> None:
    settings = make_settings(window_entity_ids=(WINDOW,), window_open_delay_seconds=3600)
    opened = window_open(NIGHT - seconds(5))
    assert interval(settings, AutomationState(), NIGHT, opened).seconds == 600


# --- The options -----------------------------------------------------------------------------


def test_the_contacts_option_keeps_distinct_entity_ids() -> None:
    warnings: list[str] = []
    stored = {"window_entity_ids": [WINDOW, 3, "", WINDOW, "door", "binary_sensor.door"]}
    settings = settings_from_options(stored, warn=warnings.append)
    assert settings.window_entity_ids == (WINDOW, "binary_sensor.door")
    assert len(warnings) == 1
    assert settings_from_options({"window_entity_ids": WINDOW}).window_entity_ids == ()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (WINDOW, "not_a_list"),
        ([WINDOW, 3], "not_a_string"),
        ([""], "invalid_entity_id"),
        (["Window"], "invalid_entity_id"),
        ([], None),
    ],
)
def test_the_flows_refuse_a_contacts_option_that_is_not_entity_ids(
    value: object, error: str | None
) -> None:
    errors = validate_options({"window_entity_ids": value}, is_valid_timezone=bool)
    assert errors.get("window_entity_ids") == error


@pytest.mark.parametrize(
    ("value", "error"),
    [(SENSOR, None), ("", None), ("living room", "invalid_entity_id"), (3, "not_a_string")],
)
def test_the_flows_refuse_a_sensor_option_that_is_not_an_entity_id(
    value: object, error: str | None
) -> None:
    errors = validate_options({"temperature_entity_id": value}, is_valid_timezone=bool)
    assert errors.get("temperature_entity_id") == error


def test_a_stored_sensor_option_that_is_not_an_entity_id_is_none() -> None:
    warnings: list[str] = []
    settings = settings_from_options({"power_entity_id": "plug"}, warn=warnings.append)
    assert settings.power_entity_id == ""
    assert warnings == ["Option power_entity_id: 'plug' is not an entity id, using ''"]
