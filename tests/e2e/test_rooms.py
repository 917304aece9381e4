"""End to end: a user adds a second room in Chromium, and both rooms regulate.

The simulated account holds a second room with its own meter, hub and air conditioner,
"Bedroom AC" (``SIMULATOR_ARGUMENTS``). On the integration's page the user opens the
account's menu, chooses **Add room**, names the room "Bedroom", picks the Bedroom's meter and
its air conditioner, then on the first-window step adds Saturday and Sunday and sets 00:00-23:59,
and submits. What the user then sees: the integration's page lists both rooms, the Bedroom
has its own device and climate entity, and a dashboard shows both thermostats. Set to heat
above the room's temperature, each room sends its ON to its own air conditioner, and a
manual tick answers for both.

Pictures for the README: the filled "Add room" form (``test-artifacts/add-room.png``), the
integration's page with the two rooms (``two-rooms.png``) and the dashboard with both
thermostat cards (``two-thermostats.png``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pytest

from switchbot_sim import AC_REMOTE_ID, added_room_ids

from .conftest import ARTIFACTS, Stack, browser_check, dev_instance
from .test_real_home_assistant import DOMAIN, eventually, ready_entities
from .test_thermostat import save_dashboard, stored_entry

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

SIMULATOR_ARGUMENTS: Final = ["--room", "Bedroom"]
STACK_OPTIONS: Final = {
    # The first room: a window from a minute or two ago, for 23 hours, and no cooldown.
    "time_windows": [dev_instance.window_starting_in(-2, 23 * 60, dev_instance.detect_time_zone())],
    "command_cooldown_seconds": 0,
    "off_repeat_count": 1,
}
ARTIFACT_PREFIX: Final = "e2e-rooms"
BEDROOM_METER, _BEDROOM_HUB, BEDROOM_AC = added_room_ids(1)
FIRST_ROOM: Final = "SwitchBot Automation"
"""The title of the seeded room (the version 1 entry migrated to an account with one room)."""
ADD_ROOM_PICTURE: Final = ARTIFACTS / "add-room.png"
WINDOW_PICTURE: Final = ARTIFACTS / "add-room-window.png"
ROOMS_PICTURE: Final = ARTIFACTS / "two-rooms.png"
THERMOSTATS_PICTURE: Final = ARTIFACTS / "two-thermostats.png"
EVERY_DAY_ALL_DAY: Final = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59"}

# Selectors of scripts/browser_check.py: ">>>" steps into shadow roots, ":text()" matches text.
ACCOUNT_MENU: Final = ".config_entry ha-md-button-menu ha-icon-button"
ADD_ROOM: Final = "ha-md-menu-item:text(Add room)"
FORM: Final = "dialog-data-entry-flow >>> step-flow-form"
DIALOG: Final = "dialog-data-entry-flow >>> ha-dialog >>> .mdc-dialog__surface"
SUBMIT: Final = f"{FORM} >>> .buttons mwc-button"
NAME: Final = f"{FORM} >>> input[name=name]"
THERMOMETER: Final = f"{FORM} >>> ha-select:text(Living Room Meter) >>> .mdc-select__anchor"
METER_ITEM: Final = f"{FORM} >>> mwc-list-item:text(Bedroom Meter (Meter))"
AIR_CONDITIONER: Final = f"{FORM} >>> ha-select:text(Bedroom AC) >>> .mdc-select__anchor"
BEDROOM_AC_ITEM: Final = f"{FORM} >>> mwc-list-item:text(Bedroom AC (Air Conditioner))"
DAYS: Final = f"{FORM} >>> ha-selector-select >>> ha-combo-box >>> input"
START: Final = f"{FORM} >>> ha-selector:nth-of-type(2) >>> ha-base-time-input"
END: Final = f"{FORM} >>> ha-selector:nth-of-type(3) >>> ha-base-time-input"


def day(name: str) -> list[str]:
    """Return the actions that add a day to the window's days, as typed and picked."""
    return ["--type", f"{DAYS}={name}", "--click", f"vaadin-combo-box-item:text({name})"]


def clock(field: str, hours: str, minutes: str) -> list[str]:
    """Return the actions that type a time (12-hour clock, as the English frontend shows)."""
    return [
        *("--type", f"{field} >>> input[name=hours]={hours}"),
        *("--type", f"{field} >>> input[name=minutes]={minutes}"),
    ]


async def rooms_of(api: Any, stack: Stack) -> list[dict[str, Any]]:
    """Return the account's subentries, as the integration's page lists them."""
    rooms: list[dict[str, Any]] = await api.ws_command(
        {"type": "config_entries/subentries/list", "entry_id": stack.entry_id}
    )
    return rooms


async def room_entities(api: Any, room_id: str) -> dict[str, dict[str, Any]]:
    """Return a room's entities by key (unique ids ``f"{room_id}_{key}"``), with states."""
    registry = await api.ws_command({"type": "config/entity_registry/list"})
    entities = {
        entry["unique_id"].removeprefix(f"{room_id}_"): entry
        for entry in registry
        if entry.get("platform") == DOMAIN and entry["unique_id"].startswith(f"{room_id}_")
    }
    for entity in entities.values():
        entity["state"] = await api.state(entity["entity_id"])
    return entities


async def heat(api: Any, thermostat: str, low: float, high: float) -> None:
    """Set a thermostat to heat between ``low`` and ``high``, as the card does."""
    await api.ws_command(
        {
            "type": "call_service",
            "domain": "climate",
            "service": "set_temperature",
            "service_data": {"hvac_mode": "heat", "target_temp_low": low, "target_temp_high": high},
            "target": {"entity_id": thermostat},
        }
    )


def state_of(entities: Mapping[str, Any], key: str) -> str | None:
    state = entities[key]["state"]
    return None if state is None else str(state["state"])


async def test_a_user_adds_a_second_room_and_both_regulate(stack: Stack, api: Any) -> None:
    first = await ready_entities(stack, api)
    assert [room["title"] for room in await rooms_of(api, stack)] == [FIRST_ROOM]

    # The account's menu, "Add room", the form filled (pictured), then the first window.
    result = await browser_check(
        f"{stack.url}/config/integrations/integration/{DOMAIN}",
        "--screenshot",
        ARTIFACTS / f"{ARTIFACT_PREFIX}-add-room-page.png",
        "--expect",
        FIRST_ROOM,
        "--print-text",
        *("--click", ACCOUNT_MENU, "--click", ADD_ROOM),
        *("--type", f"{NAME}=Bedroom"),
        *("--click", THERMOMETER, "--click", METER_ITEM),
        *("--click", AIR_CONDITIONER, "--click", BEDROOM_AC_ITEM),
        *("--snap", f"{DIALOG}={ADD_ROOM_PICTURE}"),
        *("--click", SUBMIT),
        *day("Saturday"),
        *day("Sunday"),
        *clock(START, "12", "00"),  # 12:00 AM
        *clock(END, "11", "59"),  # 11:59 PM
        *("--snap", f"{DIALOG}={WINDOW_PICTURE}"),
        *("--click", SUBMIT),
        "--settle",
        "2",
        seconds=150,
    )
    assert not result["missing"], f"not on the integration page: {result}"
    assert not result["not_clicked"], f"could not do: {result['not_clicked']}"
    assert "First time window" not in result["final_text"], result["final_text"]
    for picture in (ADD_ROOM_PICTURE, WINDOW_PICTURE):
        assert picture.stat().st_size > 10_000, picture

    # The room: a subentry of the account, with the devices and the window chosen.
    async def two_rooms() -> list[dict[str, Any]] | None:
        rooms = await rooms_of(api, stack)
        return rooms if len(rooms) == 2 else None

    rooms = await eventually(two_rooms, 30, "a second room in the account's entry")
    bedroom = next(room for room in rooms if room["subentry_id"] != stack.entry_id)
    assert (bedroom["title"], bedroom["subentry_type"], bedroom["unique_id"]) == (
        "Bedroom",
        "room",
        BEDROOM_AC,
    ), bedroom

    def stored_bedroom() -> dict[str, Any] | None:  # Home Assistant saves a second later
        saved = stored_entry(stack)["subentries"]
        return next((r for r in saved if r["subentry_id"] == bedroom["subentry_id"]), None)

    data = (await eventually(stored_bedroom, 30, "the Bedroom saved"))["data"]
    assert (data["meter_device_id"], data["aircon_device_id"]) == (BEDROOM_METER, BEDROOM_AC), data
    assert data["time_windows"] == [EVERY_DAY_ALL_DAY], data
    bedroom_id = bedroom["subentry_id"]

    # The entry reloads with the new room: its entities come, its first tick has run.
    async def bedroom_ready() -> dict[str, Any] | None:
        entities = await room_entities(api, bedroom_id)
        ticked = "last_tick" in entities and state_of(entities, "last_tick") not in (
            None,
            "unknown",
            "unavailable",
        )
        return entities if ticked and state_of(entities, "thermostat") else None

    second = await eventually(bedroom_ready, 60, f"the Bedroom's entities\n{stack.diagnose()}")
    first = await ready_entities(stack, api)  # the first room's, after the reload
    thermostats = [first["thermostat"]["entity_id"], second["thermostat"]["entity_id"]]
    assert thermostats[0] != thermostats[1], thermostats
    assert state_of(second, "thermostat") not in ("unknown", "unavailable"), second["thermostat"]
    devices = await api.ws_command({"type": "config/device_registry/list"})
    bedroom_device = next(d for d in devices if d["id"] == second["thermostat"]["device_id"])
    assert bedroom_device["name"] == "Bedroom", bedroom_device
    assert bedroom_device["config_entries_subentries"][stack.entry_id] == [bedroom_id]

    # The integration's page lists both rooms (pictured).
    page = await browser_check(
        f"{stack.url}/config/integrations/integration/{DOMAIN}",
        "--screenshot",
        ROOMS_PICTURE,
        "--height",
        "620",
        *("--expect", FIRST_ROOM, "--expect", "Bedroom", "--expect", "Add service"),
        seconds=90,
    )
    assert not page["missing"], f"the rooms are not on the integration page: {page}"

    # Both rooms heat above the room (about 20 °C): each sends ON to its own air conditioner.
    for thermostat in thermostats:
        await heat(api, thermostat, 21, 23)

    async def both_heating() -> bool:
        outcomes = [
            await api.state(first["last_outcome"]["entity_id"]),
            await api.state(second["last_outcome"]["entity_id"]),
        ]
        return all(state and state["state"] == "winter_on" for state in outcomes)

    await eventually(both_heating, 30, "each room's ON (winter_on)")
    living_room_commands = stack.simulator_requests(f"/v1.1/devices/{AC_REMOTE_ID}/commands")
    bedroom_commands = stack.simulator_requests(f"/v1.1/devices/{BEDROOM_AC}/commands")
    assert (len(living_room_commands), len(bedroom_commands)) == (1, 1), (
        living_room_commands,
        bedroom_commands,
    )
    for power in (first["aircon_power"], second["aircon_power"]):
        state = await api.state(power["entity_id"])
        assert state is not None
        assert (state["state"], state["attributes"]["parameter"]) == ("on", "21,5,3,on"), state

    # A manual tick of the account: one answer per room, each deciding from its own state. The
    # first room (no cooldown here) finds its unit on; the Bedroom, a new room with the
    # default 60 s cooldown, is within it after its own ON. Neither sends anything.
    status, body = await api.request(
        "POST",
        f"/api/services/{DOMAIN}/run_tick?return_response",
        {"config_entry_id": stack.entry_id},
    )
    assert status == 200, body
    answers = {room["room"]: room for room in body["service_response"]["rooms"]}
    assert answers.keys() == {FIRST_ROOM, "Bedroom"}, answers
    outcomes = {name: (room["outcome"], room["commands"]) for name, room in answers.items()}
    assert outcomes == {FIRST_ROOM: ("already_on", []), "Bedroom": ("cooldown", [])}, answers

    # A dashboard with both thermostat cards (pictured).
    view = await save_dashboard(
        api,
        {
            "views": [
                {
                    "title": "Rooms",
                    "path": "rooms",
                    "cards": [
                        {
                            "type": "horizontal-stack",
                            "cards": [
                                {"type": "thermostat", "entity": thermostats[0], "name": "Living"},
                                {"type": "thermostat", "entity": thermostats[1], "name": "Bedroom"},
                            ],
                        }
                    ],
                }
            ]
        },
    )
    stack_card = "hui-horizontal-stack-card >>> #root"
    shown = await browser_check(
        f"{stack.url}{view}",
        "--screenshot",
        ARTIFACTS / f"{ARTIFACT_PREFIX}-dashboard.png",
        *("--expect", "Living", "--expect", "Bedroom"),
        *("--element-screenshot", f"{stack_card}={THERMOSTATS_PICTURE}"),
        "--settle",
        "3",
        seconds=90,
    )
    assert not shown["missing"], f"not on the dashboard: {shown}"
    assert shown["element_screenshots"][stack_card], shown
    assert THERMOSTATS_PICTURE.stat().st_size > 10_000, THERMOSTATS_PICTURE


async def test_home_assistant_logged_no_problems(stack: Stack, api: Any) -> None:
    """Runs last: adding the room and reloading the account logged nothing wrong."""
    await ready_entities(stack, api)
    problems = dev_instance.log_problems(stack.config_dir)
    assert not problems, "\n".join(problems)
