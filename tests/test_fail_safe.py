"""Fail-safe behaviour through Home Assistant, with the faults as they happen in the cloud.

Each test drives the integration on Home Assistant's frozen clock against the simulator: an
answer lost after the command ran, a scene timing out, a crash right after a command, a late
daily reset, a quick off while the quota is exhausted, a dead meter, a looping automation.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import re
from unittest.mock import patch

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.switchbot_automation.cloud.client import REQUEST_TIMEOUT
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.store import AutomationStateStore
from switchbot_sim import METER_ID, SCENE_OFF_ID, SCENE_WINTER_ID, Fault
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, Home, async_spin_until

TURN_OFF = "turnOff"


async def test_lost_answer_on_then_a_warm_room_gets_its_off(home: Home) -> None:
    await home.set_up(20.5, command_cooldown_seconds=0)
    home.simulator.inject(Fault.lost_answer(504), method="POST")
    home.set_room(18.0)
    await home.advance(15)
    assert home.simulator.ac_state.power  # the unit did turn on
    assert home.sensor("last_outcome") == "api_error"
    assert home.state("binary_sensor", "aircon_power") == "unknown"

    home.set_room(23.0)
    for _ in range(2):  # within two ticks
        await home.advance_to(datetime.fromisoformat(home.sensor("next_tick")))
        if any(command == TURN_OFF for _, command, _ in home.commands()):
            break
    assert home.commands()[-1][1] == TURN_OFF
    assert not home.simulator.ac_state.power


async def test_a_scene_timing_out_is_not_followed_by_the_command(home: Home) -> None:
    """The scene may have run: no direct command on top of it, the power becomes unknown,
    and the OFF decided next goes out through the off scene."""
    scenes = {"winter": SCENE_WINTER_ID, "summer": "", "fan": "", "off": SCENE_OFF_ID}
    await home.set_up(20.5, aircon_scenes=scenes, command_cooldown_seconds=0)
    home.simulator.inject(
        Fault.lost_answer(delay=REQUEST_TIMEOUT + 5), path=re.compile(r".*/execute$")
    )
    home.set_room(18.0)
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)
    await async_spin_until(lambda: bool(home.simulator.account.scene_runs))
    await home.advance(REQUEST_TIMEOUT)  # the scene's answer never comes in time
    await home.advance(5)
    assert [run.scene_id for run in home.simulator.account.scene_runs] == [SCENE_WINTER_ID]
    assert home.commands() == []  # no fallback to setAll
    assert home.stored()["assumed_power"] is None
    assert home.state("binary_sensor", "aircon_power") == "unknown"

    home.set_room(23.0)
    await home.advance_to(datetime.fromisoformat(home.sensor("next_tick")))
    assert [run.scene_id for run in home.simulator.account.scene_runs] == [
        SCENE_WINTER_ID,
        SCENE_OFF_ID,
    ]
    assert home.commands() == []
    assert home.stored()["assumed_power"] is False


async def test_a_crash_right_after_a_command_does_not_lose_it(home: Home) -> None:
    await home.set_up(20.5)
    home.set_room(18.0)
    crash = RuntimeError("Home Assistant died here")
    with patch.object(AutomationStateStore, "async_save_if_due", side_effect=crash):
        await home.advance(15)
    assert [command for _, command, _ in home.commands()] == ["setAll"]
    # What a restart reads: the command was saved before the tick went on.
    assert home.stored()["assumed_power"] is True
    assert home.stored()["last_action_reason"] == "winter_on"

    # Set up again from the stored data, without a graceful stop.
    with patch.object(AutomationStateStore, "async_save"):
        assert await home.hass.config_entries.async_unload(home.entry.entry_id)
    await home.hass.config_entries.async_setup(home.entry.entry_id)
    await home.hass.async_block_till_done()
    assert home.state("binary_sensor", "aircon_power") == "on"
    await home.advance(60)  # past the cooldown of the ON
    assert home.sensor("last_outcome") == "already_on"  # not sent twice
    assert len(home.commands()) == 1


async def test_a_late_reset_after_midnight_costs_minutes_not_a_day(home: Home) -> None:
    home.simulator.account.reset_delay = timedelta(seconds=30)
    await home.advance_to(datetime(2026, 1, 15, 23, 59, tzinfo=UTC))
    await home.set_up()
    home.simulator.account.daily_limit = home.simulator.calls_today
    await home.advance_to(datetime(2026, 1, 16, 0, 0, 5, tzinfo=UTC))
    await home.hass.services.async_call(
        DOMAIN, "run_tick", {"config_entry_id": home.entry.entry_id}, blocking=False
    )
    await home.hass.async_block_till_done()
    assert home.sensor("last_outcome") == "quota_exhausted"
    refused = home.simulator.requests[-1].at
    await home.advance_to(datetime.fromisoformat(home.sensor("next_tick")))
    resumed = home.simulator.requests[-1].at
    assert resumed - refused <= timedelta(hours=2)
    assert home.sensor("last_outcome") != "quota_exhausted"


async def test_quick_off_while_the_quota_is_exhausted_is_sent_later(home: Home) -> None:
    await home.set_up(18.0)
    assert home.simulator.ac_state.power
    home.simulator.account.daily_limit = home.simulator.calls_today
    await home.advance(15)  # refused: calls pause
    assert home.sensor("last_outcome") == "quota_exhausted"

    with pytest.raises(HomeAssistantError) as caught:
        await home.call("quick_off")
    assert caught.value.translation_key == "quota_exhausted"  # the user is told
    await home.hass.async_block_till_done()
    assert home.state("switch", "automation") == "off"
    assert home.state("binary_sensor", "off_repeat_pending") == "on"
    assert home.simulator.ac_state.power  # not sent yet

    home.simulator.account.daily_limit = 10_000
    await home.advance_to(datetime.fromisoformat(home.sensor("next_tick")))
    assert home.commands()[-1][1] == TURN_OFF
    assert not home.simulator.ac_state.power


async def test_a_dead_meter_while_the_unit_runs_turns_it_off(home: Home) -> None:
    await home.set_up(18.0)
    assert home.simulator.ac_state.power
    home.simulator.set_online(METER_ID, online=False)
    await home.advance_to(START + timedelta(minutes=30))
    assert home.simulator.ac_state.power  # 30 minutes: not stale yet
    await home.advance_to(START + timedelta(minutes=30, seconds=15))
    assert home.sensor("last_outcome") == "stale_reading_off"
    assert not home.simulator.ac_state.power
    assert home.sensor("temperature") == "unavailable"
    issue_id = f"{ROOM_ID}_stale_reading"
    assert ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id) is not None

    home.simulator.set_online(METER_ID, online=True)
    await home.advance(15)
    assert home.sensor("temperature") != "unavailable"
    assert ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id) is None


async def test_a_looping_automation_cannot_spend_the_budget(home: Home) -> None:
    await home.set_up(20.5, daily_call_budget=30)
    refusals = []
    for _ in range(100):
        try:
            await home.call("run_tick")
        except ServiceValidationError as err:
            refusals.append(err.translation_key)
    assert len(refusals) > 80
    assert set(refusals) == {"budget_spent"}
    assert home.simulator.calls_today <= 30


async def test_forget_assumed_power_makes_the_next_decision_go_out(home: Home) -> None:
    await home.set_up(18.0)
    assert home.state("binary_sensor", "aircon_power") == "on"
    # Someone turns the unit off with its own remote: the integration cannot see it.
    home.simulator.room.ac = replace(home.simulator.ac_state, power=False)
    await home.advance(60)
    assert home.sensor("last_outcome") == "already_on"

    await home.call("forget_assumed_power")
    assert home.state("binary_sensor", "aircon_power") == "unknown"
    await home.advance(15)
    assert home.sensor("last_outcome") == "winter_on"
    assert home.simulator.ac_state.power


async def test_commands_refused_for_an_hour_cost_few_calls(home: Home) -> None:
    await home.set_up(20.5)
    home.simulator.inject(Fault.status_code(171, "hub offline"), method="POST", times=None)
    home.set_room(18.0)
    before = len(home.simulator.requests)
    end = START + timedelta(hours=1)
    while (next_tick := datetime.fromisoformat(home.sensor("next_tick"))) <= end:
        await home.advance_to(next_tick)
    assert len(home.simulator.requests) - before <= 20
    issue_id = f"{ROOM_ID}_command_failing"
    assert ir.async_get(home.hass).async_get_issue(DOMAIN, issue_id) is not None
