"""End to end: the thermostat card on a dashboard, in Chromium, drives the automation.

A new user puts the README's dashboard example (a thermostat card and a history graph) on the
default dashboard, and on the card chooses heat and 19-22 °C: the room's options (its config
subentry's data) show 19/22 and a tick runs. Moving the range then changes the next tick's
decision: the target sent stays the profile's ``target_temp`` (``setAll`` ``21,5,3,on``), the
range decides when it is sent. The card and the history graph are pictured for the README
(``test-artifacts/thermostat-*.png``).

The entry starts with the automation off and a 18.5-21.5 °C winter range, inside a window
that lasts all the test, and without cooldown or OFF repeat, so each change of the range is
decided at once. The simulated room stays close to 20 °C (real time: it drifts by about
0.05 °C a minute).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
from pathlib import Path
import re
import time
from typing import Any, Final

import pytest
import yaml

from switchbot_sim import AC_REMOTE_ID

from .conftest import ARTIFACTS, ROOT, Stack, browser_check, dev_instance
from .test_real_home_assistant import eventually, ready_entities

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

STACK_OPTIONS: Final = {
    "automation_enabled": False,
    "winter": {
        "min_temp": 18.5,
        "max_temp": 21.5,
        "target_temp": 21.0,
        "ac_mode": 5,
        "fan_speed": 3,
    },
    "command_cooldown_seconds": 0,
    "off_repeat_count": 1,
    # A window from a minute or two ago, for 23 hours: every tick of the test regulates.
    "time_windows": [dev_instance.window_starting_in(-2, 23 * 60, dev_instance.detect_time_zone())],
}
ARTIFACT_PREFIX: Final = "e2e-thermostat"
CARD_PICTURE: Final = ARTIFACTS / "thermostat-card.png"
HISTORY_PICTURE: Final = ARTIFACTS / "thermostat-history.png"
COMMANDS: Final = f"/v1.1/devices/{AC_REMOTE_ID}/commands"
YAML_BLOCK: Final = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)

# Selectors of scripts/browser_check.py: ">>>" steps into shadow roots.
CARD: Final = "hui-thermostat-card"
HEAT: Final = f"{CARD} >>> #option-heat"
LOW_END: Final = f"{CARD} >>> button.target-button"
HIGH_END: Final = f"{CARD} >>> button.target-button:nth-of-type(2)"
PLUS: Final = (
    f"{CARD} >>> ha-state-control-climate-temperature >>> "
    ".buttons ha-outlined-icon-button:last-of-type"
)
STEPS: Final = 5
"""Clicks of + on each end: 18.5-21.5 °C to 19-22 °C, by steps of 0.1 °C."""


def readme_dashboard() -> dict[str, Any]:
    """Return the README's dashboard example, as the user pastes it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = [
        data for block in YAML_BLOCK.findall(text) if "views" in (data := yaml.safe_load(block))
    ]
    assert len(found) == 1, "README.md has no dashboard example (one yaml block with views)"
    return found[0]


async def save_dashboard(api: Any, config: dict[str, Any]) -> str:
    """Make ``config`` the default dashboard, as its raw editor does; return its first view."""
    await api.ws_command({"type": "lovelace/config/save", "config": config})
    return f"/lovelace/{config['views'][0]['path']}"


async def browse(
    stack: Stack,
    path: str,
    expect: list[str],
    *,
    clicks: list[str] | None = None,
    pictures: dict[str, Path] | None = None,
    settle: float = 1,
) -> dict[str, Any]:
    """Open ``path`` in headless Chromium (``scripts/browser_check.py``): wait for the texts,
    click, then picture the elements. Return what the script printed."""
    arguments: list[str | Path] = [
        f"{stack.url}{path}",
        "--screenshot",
        ARTIFACTS / f"{ARTIFACT_PREFIX}-page.png",
        "--settle",
        str(settle),
    ]
    arguments += [argument for text in expect for argument in ("--expect", text)]
    arguments += [argument for click in clicks or [] for argument in ("--click", click)]
    arguments += [
        argument
        for selector, picture in (pictures or {}).items()
        for argument in ("--element-screenshot", f"{selector}={picture}")
    ]
    result = await browser_check(*arguments, seconds=120)
    assert not result["missing"], f"not on the dashboard: {result}"
    assert not result["not_clicked"], f"could not click: {result}"
    for selector, picture in (pictures or {}).items():
        assert result["element_screenshots"][selector], f"no {selector} to picture: {result}"
        assert picture.stat().st_size > 5_000, picture
    return result


def stored_entry(stack: Stack) -> dict[str, Any]:
    """Return the account's entry as Home Assistant saved it (a second after a change)."""
    path = stack.config_dir / ".storage" / "core.config_entries"
    entries = json.loads(path.read_text(encoding="utf-8"))["data"]["entries"]
    entry: dict[str, Any] = next(entry for entry in entries if entry["entry_id"] == stack.entry_id)
    return entry


def stored_options(stack: Stack, room_id: str | None = None) -> dict[str, Any]:
    """Return a room's options as Home Assistant saved them: its subentry's data.

    The seeded room (the entry's migrated version 1 options) has the entry's id.
    """
    room_id = room_id or stack.entry_id
    subentries = stored_entry(stack)["subentries"]
    room = next(room for room in subentries if room["subentry_id"] == room_id)
    options: dict[str, Any] = room["data"]
    return options


class Room:
    """The thermostat and what the last tick did, through the REST and websocket APIs."""

    def __init__(self, stack: Stack, api: Any, entities: dict[str, Any]) -> None:
        self.stack = stack
        self.api = api
        self.thermostat = entities["thermostat"]["entity_id"]
        self.outcome = entities["last_outcome"]["entity_id"]
        self.power = entities["aircon_power"]["entity_id"]

    async def attributes(self) -> dict[str, Any]:
        state = await self.api.state(self.thermostat)
        assert state is not None
        return {"state": state["state"], **state["attributes"]}

    async def last_outcome(self) -> str:
        state = await self.api.state(self.outcome)
        assert state is not None
        return str(state["state"])

    async def set_range(self, low: float, high: float) -> None:
        """Call climate.set_temperature over the websocket API, as the card does."""
        await self.api.ws_command(
            {
                "type": "call_service",
                "domain": "climate",
                "service": "set_temperature",
                "service_data": {"target_temp_low": low, "target_temp_high": high},
                "target": {"entity_id": self.thermostat},
            }
        )

    async def decided(self, outcome: str, what: str) -> None:
        async def probe() -> bool:
            return await self.last_outcome() == outcome

        await eventually(probe, 30, what)


async def test_heat_and_a_range_from_the_card_drive_the_room(stack: Stack, api: Any) -> None:
    entities = await ready_entities(stack, api)
    room = Room(stack, api, entities)
    before = await room.attributes()
    assert before["state"] == "off", before
    assert (before["target_temp_low"], before["target_temp_high"]) == (18.5, 21.5), before
    assert await room.last_outcome() == "disabled"

    # The user pastes the README's example and, on the card, chooses heat and 19-22 °C.
    view = await save_dashboard(api, readme_dashboard())
    await browse(
        stack,
        view,
        ["Thermostat", "Room temperature"],
        clicks=[HEAT, LOW_END, *[PLUS] * STEPS, HIGH_END, *[PLUS] * STEPS],
        pictures={f"{CARD} >>> ha-card": CARD_PICTURE},
        settle=4,  # the card sends the range a second after the last click
    )

    async def heat_19_22() -> dict[str, Any] | None:
        attributes = await room.attributes()
        band = (attributes["target_temp_low"], attributes["target_temp_high"])
        return attributes if attributes["state"] == "heat" and band == (19, 22) else None

    await eventually(heat_19_22, 30, "the thermostat to show heat, 19-22 °C")

    def options_saved() -> dict[str, Any] | None:
        options = stored_options(stack)
        return options if options["winter"]["max_temp"] == 22 else None

    options = await eventually(options_saved, 30, "the options to be saved")
    assert options["automation_enabled"] is True
    assert options["mode"] == "winter"
    assert (options["winter"]["min_temp"], options["winter"]["max_temp"]) == (19, 22)
    await room.decided("no_action", "a tick with the new range (20 °C is inside 19-22)")
    assert not stack.simulator_requests(COMMANDS), "nothing to send inside the range"

    # A range above the room: the next tick heats, with the profile's setpoint.
    await room.set_range(21, 23)
    await room.decided("winter_on", "the ON that 21-23 °C calls for")
    assert len(stack.simulator_requests(COMMANDS)) == 1
    power = await api.state(room.power)
    assert power is not None
    assert (power["state"], power["attributes"]["parameter"]) == ("on", "21,5,3,on")
    assert (await room.attributes())["hvac_action"] == "heating"
    await asyncio.sleep(5)  # some heating for the history graph

    # A range below the room: the next tick turns the heating off.
    await room.set_range(16, 18.5)
    await room.decided("winter_off", "the OFF that 16-18.5 °C calls for")
    assert len(stack.simulator_requests(COMMANDS)) == 2
    assert (await room.attributes())["hvac_action"] == "idle"
    await asyncio.sleep(5)

    # Back to 19-22 °C; run_tick tells what a tick did.
    await room.set_range(19, 22)
    await room.decided("no_action", "a tick with 19-22 °C again")
    status, body = await api.request(
        "POST",
        "/api/services/switchbot_automation/run_tick?return_response",
        {"config_entry_id": stack.entry_id},
    )
    assert status == 200, body
    response = body["service_response"]
    assert (response["outcome"], response["commands"]) == ("no_action", []), response
    assert isinstance(response["api_calls_today"], int), response
    assert datetime.fromisoformat(response["next_tick"]) > datetime.now(UTC), response

    # The history recorded the band and the heating; the graph shows them.
    await asyncio.sleep(3)
    states = await recorded_states(api, room.thermostat)
    bands = {
        (s["attributes"]["target_temp_low"], s["attributes"]["target_temp_high"]) for s in states
    }
    assert {(19, 22), (21, 23), (16, 18.5)} <= bands, bands
    assert "heating" in {s["attributes"].get("hvac_action") for s in states}
    # The graph spans the thermostat's history, from Home Assistant's start to now.
    first = min(datetime.fromisoformat(state["last_changed"]) for state in states)
    config = readme_dashboard()
    seconds = (datetime.now(UTC) - first).total_seconds() + 10
    for card in config["views"][0]["cards"]:
        if card["type"] == "history-graph":
            card["hours_to_show"] = round(seconds / 3600, 4)
    await browse(
        stack,
        await save_dashboard(api, config),
        ["Room temperature"],
        pictures={"hui-history-graph-card >>> ha-card": HISTORY_PICTURE},
        settle=3,
    )


async def recorded_states(api: Any, entity_id: str) -> list[dict[str, Any]]:
    """Return the states the recorder kept for ``entity_id`` over the last hour."""
    start = datetime.fromtimestamp(time.time() - 3600, UTC).isoformat()
    status, body = await api.request(
        "GET", f"/api/history/period/{start}?filter_entity_id={entity_id}"
    )
    assert status == 200, body
    assert body, f"no history of {entity_id}"
    states: list[dict[str, Any]] = body[0]
    return states


async def test_home_assistant_logged_no_problems(stack: Stack, api: Any) -> None:
    """Runs last: the recorder, the dashboard and the thermostat logged nothing wrong."""
    await ready_entities(stack, api)
    problems = dev_instance.log_problems(stack.config_dir)
    assert not problems, "\n".join(problems)
