"""Tests of the persisted state: round trip and lenient loading of corrupt documents."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    STATE_VERSION,
    AutomationState,
    LastReading,
    OffRepeat,
    parse_instant,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from tests.engine.strategies import JSON
from tests.engine.support import NIGHT, NOON

FULL = AutomationState(
    assumed_power=False,
    assumed_mode=None,
    assumed_parameter=None,
    last_action="off",
    last_action_at=NOON,
    last_action_reason="winter_off",
    off_repeat=OffRepeat(2, 10, NOON + timedelta(seconds=10), "winter_off", "fan"),
    quota=QuotaCounter(date(2026, 1, 7), 123, NIGHT),
    last_reading=LastReading(21.5, 40, NOON),
    last_tick=NOON,
    last_outcome="winter_off",
    in_window=True,
)


REPEAT = {
    "remaining": 1,
    "interval_seconds": 5,
    "next_run_at": "2026-01-07T12:00:00",
    "reason": "r",
}


def load(data: object) -> tuple[AutomationState, list[str]]:
    warnings: list[str] = []
    return AutomationState.from_dict(data, warn=warnings.append), warnings


def test_round_trip_through_json_with_a_pending_repeat() -> None:
    document = json.loads(json.dumps(FULL.to_dict()))
    assert document["version"] == STATE_VERSION
    assert document["last_action_at"] == "2026-01-07T12:00:00+00:00"
    assert document["off_repeat"] == {
        "remaining": 2,
        "interval_seconds": 10,
        "next_run_at": "2026-01-07T12:00:10+00:00",
        "reason": "winter_off",
        "action": "fan",
    }
    assert load(document) == (FULL, [])


def test_fresh_state_round_trip() -> None:
    assert load(AutomationState().to_dict()) == (AutomationState(), [])


def test_instants_are_stored_in_utc() -> None:
    local = datetime(2026, 1, 7, 13, tzinfo=timezone(timedelta(hours=1)))
    assert AutomationState(last_tick=local).to_dict()["last_tick"] == "2026-01-07T12:00:00+00:00"


def test_parse_instant() -> None:
    assert parse_instant("2026-01-07T12:00:00") == NOON  # naive is read as UTC
    assert parse_instant("2026-01-07T13:00:00+01:00") == NOON
    with pytest.raises(ValueError, match="Invalid isoformat"):
        parse_instant("yesterday")
    with pytest.raises(TypeError):
        parse_instant(12)


@pytest.mark.parametrize("data", [None, "corrupt", 42, [1, 2], b"{}"])
def test_not_an_object_gives_a_fresh_state(data: object) -> None:
    state, warnings = load(data)
    assert state == AutomationState()
    assert len(warnings) == 1


def test_truncated_document_keeps_what_it_has() -> None:
    state, warnings = load({"version": STATE_VERSION, "assumed_power": True})
    assert state == AutomationState(assumed_power=True)
    assert warnings == []


def test_other_version_is_recovered_with_a_warning() -> None:
    document = FULL.to_dict() | {"version": 99}
    state, warnings = load(document)
    assert state == FULL
    assert len(warnings) == 1
    assert "version 99" in warnings[0]
    state, warnings = load({"assumed_mode": 2})
    assert state == AutomationState(assumed_mode=2)
    assert "version None" in warnings[0]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("assumed_power", "on"),
        ("assumed_mode", True),
        ("assumed_mode", 2.0),
        ("assumed_parameter", 21),
        ("last_action", "heat"),
        ("last_action_at", "not a date"),
        ("last_action_at", 1700000000),
        ("last_action_reason", ["x"]),
        ("off_repeat", REPEAT | {"remaining": 0}),
        ("off_repeat", REPEAT | {"interval_seconds": 10.5}),
        ("off_repeat", REPEAT | {"next_run_at": None}),
        ("off_repeat", REPEAT | {"reason": None}),
        ("off_repeat", REPEAT | {"action": "on"}),
        ("off_repeat", "soon"),
        ("quota", None),
        ("quota", {"day": "2026-13-01", "calls": 1}),
        ("quota", {"calls": -1}),
        ("quota", {"calls": "12"}),
        ("quota", {"exhausted_until": 0}),
        ("last_reading", {"temperature": "warm", "read_at": "2026-01-07T12:00:00+00:00"}),
        ("last_reading", {"temperature": 20}),
        ("last_tick", {}),
        ("last_outcome", "exploded"),
        ("in_window", "yes"),
    ],
)  # fmt: skip
def test_wrong_field_is_dropped_with_a_warning(key: str, value: Any) -> None:
    document = FULL.to_dict() | {key: value}
    state, warnings = load(document)
    fresh = AutomationState()
    for name in FULL.__dataclass_fields__:
        expected = getattr(fresh if name == key else FULL, name)
        assert getattr(state, name) == expected, name
    assert len(warnings) == 1
    assert key in warnings[0]


def test_optional_fields_may_be_null() -> None:
    document = dict.fromkeys(FULL.to_dict()) | {"version": STATE_VERSION, "quota": {}}
    assert load(document) == (AutomationState(), [])


def test_old_repeat_without_action_is_an_off() -> None:
    state, _ = load({"version": STATE_VERSION, "off_repeat": REPEAT})
    assert state.off_repeat == OffRepeat(1, 5, NOON, "r", "off")


def test_repeat_is_due() -> None:
    repeat = OffRepeat(1, 10, NOON, "r")
    assert not repeat.is_due(NOON - timedelta(seconds=1, microseconds=1))
    assert repeat.is_due(NOON - timedelta(seconds=1))
    assert repeat.is_due(NOON)


def test_derived_states_share_the_quota_counter() -> None:
    state = AutomationState()
    derived = replace(state, last_outcome="no_action")
    derived.quota.record_call(NOON)
    assert state.quota.calls == 1


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from([*FULL.to_dict(), "junk"]), JSON | st.just(FULL.to_dict()["off_repeat"])
    )
    | JSON
)
def test_from_dict_never_raises(data: Any) -> None:
    state = AutomationState.from_dict(data, warn=lambda _message: None)
    json.dumps(state.to_dict())
    assert state.last_tick is None or state.last_tick.tzinfo is not None
