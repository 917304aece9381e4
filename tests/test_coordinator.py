"""The tick loop: adaptive scheduling, exclusivity, polling preference, failures, quota."""

import asyncio
from datetime import UTC, datetime, timedelta
import itertools
import re
from unittest.mock import patch

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
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import TICK_FAILED_MESSAGE
from switchbot_sim import METER_ID, Fault, SwitchBotSimulator
from tests.integration_fixtures import ROOM_ID, ROOM_TITLE
from tests.integration_support import (
    START,
    Home,
    async_spin_until,
    entity_id,
    entity_state,
    flow_sources,
    room_data,
    room_with_devices,
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


async def test_simulated_day(home: Home, caplog: pytest.LogCaptureFixture) -> None:
    """in_window -> idle (clamped to the warmup start) -> warmup -> in_window, in Paris."""
    home.freezer.move_to(datetime(2026, 1, 15, 7, 59, 30, tzinfo=UTC))  # 08:59:30 in Paris
    home.simulator.room.outdoor = home.simulator.room.temperature = 20.5  # nothing to regulate
    await home.set_up(idle_poll_interval_seconds=3600)

    ticks: list[tuple[datetime, str, int]] = []
    while True:
        mode, next_tick, last_tick = _schedule(home.hass, home.entry)
        interval = int(home.sensor("poll_interval"))
        tick_at = dt_util.parse_datetime(last_tick)
        assert tick_at is not None
        ticks.append((tick_at, mode, interval))
        assert next_tick == tick_at + timedelta(seconds=interval)
        if tick_at.astimezone(UTC) >= datetime(2026, 1, 15, 17, 0, 15, tzinfo=UTC):
            break
        await home.advance_to(next_tick)

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
    assert _status_reads(home.simulator) == [tick for tick, _, _ in expected]
    assert len(home.simulator.requests) == len(expected) + 1  # + the device list at set-up
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


async def test_ticks_continue_with_every_entity_disabled(home: Home) -> None:
    await home.set_up(system_options={"pref_disable_new_entities": True})
    entities = er.async_entries_for_config_entry(er.async_get(home.hass), home.entry.entry_id)
    assert entities
    assert all(entity.disabled for entity in entities)
    assert home.hass.states.async_entity_ids(DOMAIN) == []

    await home.advance(15)
    await home.advance(15)
    assert len(_status_reads(home.simulator)) == 3


async def test_polling_disabled_stops_scheduled_ticks(home: Home) -> None:
    await home.set_up(system_options={"pref_disable_polling": True})
    assert len(_status_reads(home.simulator)) == 1  # the tick at set-up
    assert home.sensor("next_tick") == STATE_UNKNOWN

    await home.advance(3600)
    assert len(_status_reads(home.simulator)) == 1

    await home.hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(home.hass, home.entry, "button", "run_tick")},
        blocking=True,
    )
    assert _status_reads(home.simulator) == [START, START + timedelta(hours=1)]
    await home.advance(3600)
    assert len(_status_reads(home.simulator)) == 2


async def test_tick_failure_is_logged_and_the_schedule_goes_on(
    home: Home, caplog: pytest.LogCaptureFixture
) -> None:
    await home.set_up()
    with patch(f"{COORDINATOR}.run_tick", side_effect=RuntimeError("engine bug")):
        await home.advance(15)
    failures = [r for r in caplog.records if r.getMessage() == TICK_FAILED_MESSAGE]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert home.sensor("last_outcome") == STATE_UNAVAILABLE

    await home.advance(15)
    assert home.sensor("last_outcome") == "no_action"
    assert _status_reads(home.simulator) == [START, START + timedelta(seconds=30)]


async def test_auth_refused_during_a_tick_starts_reauth(home: Home) -> None:
    await home.set_up()
    home.simulator.inject(Fault.http(401), path=STATUS_PATH)
    await home.advance(15)
    assert flow_sources(home.hass) == [SOURCE_REAUTH]
    assert home.sensor("last_outcome") == STATE_UNAVAILABLE


async def test_quota_exhausted_retries_with_a_growing_delay(home: Home) -> None:
    """One daily-limit answer pauses calls 15 minutes, doubling to 2 hours, not a day."""
    home.simulator.account.daily_limit = 2  # the device list and the first reading
    await home.set_up()
    assert home.sensor("api_calls_today") == "2"

    await home.advance(15)
    refused_at = START + timedelta(seconds=15)
    first_retry = refused_at + timedelta(minutes=15)
    assert home.sensor("last_outcome") == "quota_exhausted"
    assert home.sensor("polling_mode") == "quota_exhausted"
    assert home.sensor("next_tick") == first_retry.isoformat()
    assert home.sensor("api_calls_today") == "3"
    issue_id = f"{home.entry.entry_id}_quota_exhausted"
    issue = ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders == {
        "entry_title": home.entry.title,
        "reset_at": first_retry.isoformat(),
    }

    calls = len(home.simulator.requests)
    await home.advance_to(first_retry - timedelta(seconds=1))
    assert len(home.simulator.requests) == calls
    await home.advance_to(first_retry)
    assert len(home.simulator.requests) == calls + 1  # refused again
    assert home.sensor("next_tick") == (first_retry + timedelta(minutes=30)).isoformat()

    # Through the day: a retry at least every 2 hours, then 5 minutes past midnight UTC.
    reset = datetime(2026, 1, 16, 0, 5, tzinfo=UTC)
    while (next_tick := datetime.fromisoformat(home.sensor("next_tick"))) <= reset:
        await home.advance_to(next_tick)
    retries = [request.at for request in home.simulator.requests[calls:]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(retries)]
    assert max(gaps) <= timedelta(hours=2)
    assert retries[-1] == reset
    assert home.sensor("last_outcome") == "outside_window"
    assert home.sensor("api_calls_today") == "1"
    assert ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id) is None


async def test_quota_exhausted_at_set_up(home: Home) -> None:
    """Set-up succeeds without the device list; it is read once the quota is back."""
    home.simulator.account.daily_limit = 0
    await home.set_up()
    assert home.entry.state is ConfigEntryState.LOADED
    assert [request.path for request in home.simulator.requests] == ["/v1.1/devices"]
    assert home.sensor("last_outcome") == "quota_exhausted"
    devices = dr.async_get(home.hass)
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name is None

    home.simulator.account.daily_limit = 10_000
    home.simulator.inject(
        Fault.status_code(190, "internal error"), path="/v1.1/devices", method="GET"
    )
    await home.advance_to(datetime(2026, 1, 16, tzinfo=UTC))
    assert home.sensor("last_outcome") == "outside_window"
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name is None

    await home.advance(600)
    meter = devices.async_get_device(identifiers={(DOMAIN, METER_ID)})
    assert meter is not None
    assert meter.name == "Living Room Meter"


async def test_refused_token_while_reading_the_devices_late(home: Home) -> None:
    home.simulator.account.daily_limit = 0
    await home.set_up()
    home.simulator.account.daily_limit = 10_000
    home.simulator.inject(Fault.http(401), path="/v1.1/devices", method="GET")
    await home.advance_to(datetime(2026, 1, 16, tzinfo=UTC))
    assert flow_sources(home.hass) == [SOURCE_REAUTH]


async def test_quota_low_is_warned_once_a_day(home: Home, caplog: pytest.LogCaptureFixture) -> None:
    def warnings() -> int:
        return sum("quota running low" in record.getMessage() for record in caplog.records)

    await home.set_up(api_quota_warning_threshold=9999)
    assert warnings() == 1
    await home.advance(15)
    assert warnings() == 1
    await home.advance_to(datetime(2026, 1, 16, 6, 30, tzinfo=UTC))
    assert warnings() == 2


async def test_manual_tick_waits_for_a_slow_tick(home: Home) -> None:
    await home.set_up()
    home.simulator.inject(Fault.delayed(5), path=STATUS_PATH)
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)
    # The slow tick is running.
    await async_spin_until(lambda: len(_status_reads(home.simulator)) == 2)

    manual = home.hass.async_create_task(home.call("run_tick"))
    for _ in range(100):
        await asyncio.sleep(0)
    assert not manual.done()
    assert len(_status_reads(home.simulator)) == 2  # the manual tick waits

    home.freezer.tick(5)
    async_fire_time_changed(home.hass)
    await manual
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert _status_reads(home.simulator) == [
        START,
        START + timedelta(seconds=15),
        START + timedelta(seconds=20),
    ]


async def test_scheduled_tick_during_a_manual_tick_is_not_repeated(home: Home) -> None:
    await home.set_up()
    home.freezer.tick(10)
    home.simulator.inject(Fault.delayed(6), path=STATUS_PATH)
    manual = home.hass.async_create_task(home.call("run_tick"))
    await async_spin_until(lambda: len(_status_reads(home.simulator)) == 2)
    home.freezer.tick(5)
    async_fire_time_changed(home.hass)  # the scheduled tick falls due, and waits
    for _ in range(100):
        await asyncio.sleep(0)
    home.freezer.tick(1)
    async_fire_time_changed(home.hass)  # the slow reading is answered
    await manual
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert _status_reads(home.simulator) == [START, START + timedelta(seconds=10)]
    assert home.sensor("next_tick") == (START + timedelta(seconds=31)).isoformat()
    await home.advance_to(START + timedelta(seconds=31))
    assert len(_status_reads(home.simulator)) == 3


async def test_a_room_due_during_another_rooms_tick_waits_for_it_then_ticks(home: Home) -> None:
    """The account's rooms share one tick lock: a room whose tick falls due while another
    room's tick runs waits for it, then ticks; it does not take that tick for its own."""
    bedroom = home.simulator.account.add_room()
    home.entry.add_to_hass(home.hass)
    home.hass.config_entries.async_add_subentry(
        home.entry, room_with_devices(room_data(home.entry), bedroom)
    )
    assert await home.hass.config_entries.async_setup(home.entry.entry_id)
    await home.hass.async_block_till_done()
    paths = {meter: f"/v1.1/devices/{meter}/status" for meter in (METER_ID, bedroom.meter_id)}

    def reads() -> dict[str, int]:
        return {meter: len(home.requests_at(path)) for meter, path in paths.items()}

    assert reads() == {METER_ID: 1, bedroom.meter_id: 1}
    # The first reading of the next ticks is slow: the other room falls due meanwhile.
    home.simulator.inject(Fault.delayed(6), path=re.compile(r"/status$"))
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)  # both rooms fall due
    await async_spin_until(lambda: sum(reads().values()) == 3)
    for _ in range(100):
        await asyncio.sleep(0)
    home.freezer.tick(6)
    async_fire_time_changed(home.hass)  # the slow reading is answered
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert reads() == {METER_ID: 2, bedroom.meter_id: 2}


async def test_options_take_effect_at_once(home: Home, caplog: pytest.LogCaptureFixture) -> None:
    await home.set_up()
    await home.advance(5)
    await home.change_options(mode="summer", poll_interval_seconds=60)
    assert _status_reads(home.simulator) == [START, START + timedelta(seconds=5)]
    assert home.state("select", "season") == "summer"
    assert home.sensor("next_tick") == (START + timedelta(seconds=65)).isoformat()
    assert "Adaptive polling reschedule: 15 -> 60 seconds (mode=in_window)" in caplog.text

    # A change that is not one of the options (the title) runs no tick.
    home.hass.config_entries.async_update_entry(home.entry, title="Renamed")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert len(_status_reads(home.simulator)) == 2


async def test_stored_option_out_of_bounds_is_clamped_with_one_warning(
    home: Home, caplog: pytest.LogCaptureFixture
) -> None:
    await home.set_up(poll_interval_seconds=5)
    assert home.sensor("poll_interval") == "15"
    await home.change_options(mode="summer")
    assert caplog.text.count("Option poll_interval_seconds: 5 is outside 15..3600") == 1


async def test_invalid_timezone_falls_back_to_utc_with_an_issue(
    home: Home, caplog: pytest.LogCaptureFixture
) -> None:
    await home.set_up(timezone="Mars/Olympus_Mons")
    # 06:30 UTC: outside the windows read in UTC.
    assert home.state("binary_sensor", "in_window") == STATE_OFF
    issue_id = f"{ROOM_ID}_invalid_timezone"
    issue = ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "entry_title": ROOM_TITLE,
        "timezone": "Mars/Olympus_Mons",
    }
    assert caplog.text.count("Invalid time zone 'Mars/Olympus_Mons', using UTC") == 1

    await home.change_options(timezone="Europe/Paris")
    assert home.state("binary_sensor", "in_window") == STATE_ON
    assert ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id) is None


async def test_no_timezone_option_uses_home_assistant_zone(home: Home) -> None:
    await home.hass.config.async_set_time_zone("America/Los_Angeles")
    await home.set_up(timezone="")
    # 06:30 UTC is 22:30 the day before in Los Angeles: after the evening window.
    assert home.state("binary_sensor", "in_window") == STATE_OFF

    await home.hass.config.async_set_time_zone("Europe/Paris")
    await home.advance(600)
    assert home.state("binary_sensor", "in_window") == STATE_ON
