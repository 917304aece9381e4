"""The tick loop: adaptive scheduling, exclusivity, polling preference, failures, quota."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import TICK_FAILED_MESSAGE
from switchbot_sim import METER_ID, Fault, SwitchBotSimulator
from tests.integration_support import (
    START,
    async_advance,
    async_advance_to,
    async_setup_with,
    entity_id,
    entity_state,
)

COORDINATOR = "custom_components.switchbot_automation.coordinator"

STATUS_PATH = f"/v1.1/devices/{METER_ID}/status"


def _status_reads(simulator: SwitchBotSimulator) -> list[datetime]:
    return [request.at for request in simulator.requests if request.path == STATUS_PATH]


def _schedule(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[str, datetime, str]:
    """Return (mode, next tick, last tick) as the entities show them."""
    mode = entity_state(hass, entry, "sensor", "polling_mode").state
    next_tick = dt_util.parse_datetime(entity_state(hass, entry, "sensor", "next_tick").state)
    assert next_tick is not None
    return mode, next_tick, entity_state(hass, entry, "sensor", "last_tick").state


async def test_simulated_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """in_window -> idle (clamped to the warmup start) -> warmup -> in_window, in Paris."""
    freezer.move_to(datetime(2026, 1, 15, 7, 59, 30, tzinfo=UTC))  # 08:59:30 in Paris
    simulator.room.outdoor = simulator.room.temperature = 20.5  # nothing to regulate
    await async_setup_with(hass, mock_config_entry, idle_poll_interval_seconds=3600)

    ticks: list[tuple[datetime, str, int]] = []
    while True:
        mode, next_tick, last_tick = _schedule(hass, mock_config_entry)
        interval = int(entity_state(hass, mock_config_entry, "sensor", "poll_interval").state)
        tick_at = dt_util.parse_datetime(last_tick)
        assert tick_at is not None
        ticks.append((tick_at, mode, interval))
        assert next_tick == tick_at + timedelta(seconds=interval)
        if tick_at.astimezone(UTC) >= datetime(2026, 1, 15, 17, 0, 15, tzinfo=UTC):
            break
        await async_advance_to(hass, freezer, next_tick)

    def utc(hour: int, minute: int, second: int = 0) -> datetime:
        return datetime(2026, 1, 15, hour, minute, second, tzinfo=UTC)

    expected = [
        (utc(7, 59, 30), "in_window", 15),
        (utc(7, 59, 45), "in_window", 15),
        (utc(8, 0), "idle", 3600),  # 09:00 Paris: the window ended
        *((utc(hour, 0), "idle", 3600) for hour in range(9, 16)),
        (utc(16, 0), "idle", 2700),  # clamped: 17:00 Paris + 45 min = warmup start
        *((utc(16, 45) + timedelta(seconds=15 * n), "warmup", 15) for n in range(60)),
        (utc(17, 0), "in_window", 15),  # 18:00 Paris
        (utc(17, 0, 15), "in_window", 15),
    ]
    assert ticks == expected
    # One meter reading per tick, at the tick instants, and nothing else after set-up.
    assert _status_reads(simulator) == [tick for tick, _, _ in expected]
    assert len(simulator.requests) == len(expected) + 1  # + the device list at set-up
    reschedules = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("Adaptive polling reschedule")
    ]
    assert reschedules == [
        "Adaptive polling reschedule: 15 -> 3600 seconds (mode=idle)",
        "Adaptive polling reschedule: 3600 -> 2700 seconds (mode=idle)",
        "Adaptive polling reschedule: 2700 -> 15 seconds (mode=warmup)",
    ]


async def _spin_until(condition: Callable[[], bool]) -> None:
    """Let the event loop run (sockets included, the clock standing still) until ``condition``."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never met")


async def test_ticks_continue_with_every_entity_disabled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, pref_disable_new_entities=True)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    entities = er.async_entries_for_config_entry(er.async_get(hass), mock_config_entry.entry_id)
    assert entities
    assert all(entity.disabled for entity in entities)
    assert hass.states.async_entity_ids(DOMAIN) == []

    await async_advance(hass, freezer, 15)
    await async_advance(hass, freezer, 15)
    assert len(_status_reads(simulator)) == 3


async def test_polling_disabled_stops_scheduled_ticks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, pref_disable_polling=True)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert len(_status_reads(simulator)) == 1  # the tick at set-up
    assert entity_state(hass, mock_config_entry, "sensor", "next_tick").state == STATE_UNKNOWN

    await async_advance(hass, freezer, 3600)
    assert len(_status_reads(simulator)) == 1

    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(hass, mock_config_entry, "button", "run_tick")},
        blocking=True,
    )
    assert _status_reads(simulator) == [START, START + timedelta(hours=1)]
    await async_advance(hass, freezer, 3600)
    assert len(_status_reads(simulator)) == 2


async def test_tick_failure_is_logged_and_the_schedule_goes_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = setup_integration
    with patch(f"{COORDINATOR}.run_tick", side_effect=RuntimeError("engine bug")):
        await async_advance(hass, freezer, 15)
    failures = [r for r in caplog.records if r.getMessage() == TICK_FAILED_MESSAGE]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert entity_state(hass, entry, "sensor", "last_outcome").state == STATE_UNAVAILABLE

    await async_advance(hass, freezer, 15)
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "no_action"
    assert _status_reads(simulator) == [START, START + timedelta(seconds=30)]


async def test_auth_refused_during_a_tick_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    simulator.inject(Fault.http(401), path=STATUS_PATH)
    await async_advance(hass, freezer, 15)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert entity_state(hass, setup_integration, "sensor", "last_outcome").state == (
        STATE_UNAVAILABLE
    )


async def test_quota_exhausted_pauses_until_midnight_utc(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    simulator.account.daily_limit = 2  # the device list and the first reading
    await async_setup_with(hass, mock_config_entry)
    entry = mock_config_entry
    assert entity_state(hass, entry, "sensor", "api_calls_today").state == "2"

    await async_advance(hass, freezer, 15)
    midnight = datetime(2026, 1, 16, tzinfo=UTC)
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "quota_exhausted"
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "quota_exhausted"
    assert entity_state(hass, entry, "sensor", "next_tick").state == midnight.isoformat()
    assert entity_state(hass, entry, "sensor", "api_calls_today").state == "3"
    issue_id = f"{entry.entry_id}_quota_exhausted"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders == {
        "entry_title": entry.title,
        "reset_at": midnight.isoformat(),
    }

    calls = len(simulator.requests)
    await async_advance_to(hass, freezer, midnight - timedelta(seconds=1))
    assert len(simulator.requests) == calls

    await async_advance_to(hass, freezer, midnight)
    assert len(simulator.requests) == calls + 1
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "outside_window"
    assert entity_state(hass, entry, "sensor", "api_calls_today").state == "1"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_quota_exhausted_at_set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Set-up succeeds without the device list; it is read once the quota is back."""
    simulator.account.daily_limit = 0
    await async_setup_with(hass, mock_config_entry)
    entry = mock_config_entry
    assert entry.state is ConfigEntryState.LOADED
    assert [request.path for request in simulator.requests] == ["/v1.1/devices"]
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "quota_exhausted"
    devices = dr.async_get(hass)
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name is None

    simulator.account.daily_limit = 10_000
    simulator.inject(Fault.status_code(190, "internal error"), path="/v1.1/devices", method="GET")
    await async_advance_to(hass, freezer, datetime(2026, 1, 16, tzinfo=UTC))
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "outside_window"
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name is None

    await async_advance(hass, freezer, 600)
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name == "Living Room Meter"


async def test_refused_token_while_reading_the_devices_late(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    simulator.account.daily_limit = 0
    await async_setup_with(hass, mock_config_entry)
    simulator.account.daily_limit = 10_000
    simulator.inject(Fault.http(401), path="/v1.1/devices", method="GET")
    await async_advance_to(hass, freezer, datetime(2026, 1, 16, tzinfo=UTC))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_quota_low_is_warned_once_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def warnings() -> int:
        return sum("quota running low" in record.getMessage() for record in caplog.records)

    await async_setup_with(hass, mock_config_entry, api_quota_warning_threshold=9999)
    assert warnings() == 1
    await async_advance(hass, freezer, 15)
    assert warnings() == 1
    await async_advance_to(hass, freezer, datetime(2026, 1, 16, 6, 30, tzinfo=UTC))
    assert warnings() == 2


async def test_manual_tick_waits_for_a_slow_tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    simulator.inject(Fault.delayed(5), path=STATUS_PATH)
    freezer.tick(15)
    async_fire_time_changed(hass)
    await _spin_until(lambda: len(_status_reads(simulator)) == 2)  # the slow tick is running

    manual = hass.async_create_task(
        hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": setup_integration.entry_id}, blocking=True
        )
    )
    for _ in range(100):
        await asyncio.sleep(0)
    assert not manual.done()
    assert len(_status_reads(simulator)) == 2  # the manual tick waits

    freezer.tick(5)
    async_fire_time_changed(hass)
    await manual
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _status_reads(simulator) == [
        START,
        START + timedelta(seconds=15),
        START + timedelta(seconds=20),
    ]


async def test_scheduled_tick_during_a_manual_tick_is_not_repeated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    entry = setup_integration
    freezer.tick(10)
    simulator.inject(Fault.delayed(6), path=STATUS_PATH)
    manual = hass.async_create_task(
        hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
        )
    )
    await _spin_until(lambda: len(_status_reads(simulator)) == 2)
    freezer.tick(5)
    async_fire_time_changed(hass)  # the scheduled tick falls due, and waits
    for _ in range(100):
        await asyncio.sleep(0)
    freezer.tick(1)
    async_fire_time_changed(hass)  # the slow reading is answered
    await manual
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _status_reads(simulator) == [START, START + timedelta(seconds=10)]
    assert entity_state(hass, entry, "sensor", "next_tick").state == (
        (START + timedelta(seconds=31)).isoformat()
    )
    await async_advance_to(hass, freezer, START + timedelta(seconds=31))
    assert len(_status_reads(simulator)) == 3


async def test_options_take_effect_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = setup_integration
    await async_advance(hass, freezer, 5)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "mode": "summer", "poll_interval_seconds": 60}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _status_reads(simulator) == [START, START + timedelta(seconds=5)]
    assert entity_state(hass, entry, "select", "season").state == "summer"
    assert entity_state(hass, entry, "sensor", "next_tick").state == (
        (START + timedelta(seconds=65)).isoformat()
    )
    assert "Adaptive polling reschedule: 15 -> 60 seconds (mode=in_window)" in caplog.text

    # A change that is not one of the options (the title) runs no tick.
    hass.config_entries.async_update_entry(entry, title="Renamed")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(_status_reads(simulator)) == 2


async def test_stored_option_out_of_bounds_is_clamped_with_one_warning(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await async_setup_with(hass, mock_config_entry, poll_interval_seconds=5)
    entry = mock_config_entry
    assert entity_state(hass, entry, "sensor", "poll_interval").state == "15"
    hass.config_entries.async_update_entry(entry, options={**entry.options, "mode": "summer"})
    await hass.async_block_till_done(wait_background_tasks=True)
    assert caplog.text.count("Option poll_interval_seconds: 5 is outside 15..3600") == 1


async def test_invalid_timezone_falls_back_to_utc_with_an_issue(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await async_setup_with(hass, mock_config_entry, timezone="Mars/Olympus_Mons")
    entry = mock_config_entry
    # 06:30 UTC: outside the windows read in UTC.
    assert entity_state(hass, entry, "binary_sensor", "in_window").state == STATE_OFF
    issue_id = f"{entry.entry_id}_invalid_timezone"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "entry_title": entry.title,
        "timezone": "Mars/Olympus_Mons",
    }
    assert caplog.text.count("Invalid time zone 'Mars/Olympus_Mons', using UTC") == 1

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "timezone": "Europe/Paris"}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entity_state(hass, entry, "binary_sensor", "in_window").state == STATE_ON
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_no_timezone_option_uses_home_assistant_zone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> None:
    await hass.config.async_set_time_zone("America/Los_Angeles")
    await async_setup_with(hass, mock_config_entry, timezone="")
    entry = mock_config_entry
    # 06:30 UTC is 22:30 the day before in Los Angeles: after the evening window.
    assert entity_state(hass, entry, "binary_sensor", "in_window").state == STATE_OFF

    await hass.config.async_set_time_zone("Europe/Paris")
    await async_advance(hass, freezer, 600)
    assert entity_state(hass, entry, "binary_sensor", "in_window").state == STATE_ON
