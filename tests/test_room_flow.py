"""Tests of the room flow (a config subentry flow): adding a room, and a room's settings.

The entries are only added, not set up: the room flow works on the stored entry alone, and
saving is where its job ends (the integration's update listener then applies the change,
which its own tests cover). The device and scene lists come from the simulator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.setup import async_setup_component
import pytest

from custom_components.switchbot_automation.engine.dashboard_import import MAX_JSON_DEPTH
from custom_components.switchbot_automation.engine.settings import MAX_TIME_WINDOWS
from switchbot_sim import (
    AC_REMOTE_ID,
    METER_ID,
    SCENE_OFF_ID,
    SCENE_WINTER_ID,
    Fault,
)
from tests.flow_fixtures import (
    BEDROOM_AC,
    BEDROOM_ID,
    BEDROOM_METER,
    ROOM_ID,
    TRANSLATIONS,
    account_data,
    add_bedroom_devices,
    assert_labelled,
    bedroom,
    bedroom_data,
    form_suggestions,
    post_json,
    room,
    room_data,
    select_labels,
    suggested,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import SubentryFlowResult
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from switchbot_sim import SwitchBotSimulator


SUBENTRY_URL = "/api/config/config_entries/subentries/flow"
DASHBOARD_SETTINGS = Path(__file__).parent / "fixtures" / "dashboard_settings.json"

TO = "\N{EN DASH}"
WORKDAYS = {"days": [0, 1, 2, 3, 4], "start": "07:00", "end": "22:00"}
WEEKEND = {"days": [5, 6], "start": "09:30", "end": "01:00"}


@pytest.fixture
def entry(add_entry: Callable[..., MockConfigEntry]) -> MockConfigEntry:
    """An entry whose room holds a key this version does not know (it must survive)."""
    return add_entry(
        rooms=[room(room_data(time_windows=[WORKDAYS, WEEKEND], future_option="kept"))]
    )


def stored(entry: MockConfigEntry, subentry_id: str = ROOM_ID) -> dict[str, Any]:
    """Return the options a room stores (its subentry's data)."""
    return dict(entry.subentries[subentry_id].data)


async def open_settings(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str = ROOM_ID
) -> SubentryFlowResult:
    """Open a room's settings (reconfigure the room)."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": "reconfigure", "subentry_id": subentry_id}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "reconfigure"
    return result


async def open_page(hass: HomeAssistant, entry: MockConfigEntry, page: str) -> SubentryFlowResult:
    """Open the room's settings, then ``page`` from the menu."""
    result = await open_settings(hass, entry)
    return await submit(hass, result, {"next_step_id": page})


async def submit(hass: HomeAssistant, result: SubentryFlowResult, data: dict[str, Any]) -> Any:
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


def section_suggestions(result: SubentryFlowResult, name: str) -> dict[str, Any]:
    """Return the values a form shows inside the section ``name``."""
    for key, value in result["data_schema"].schema.items():
        if key == name:
            return {
                str(field): (field.description or {}).get("suggested_value")
                for field in value.schema.schema
            }
    raise KeyError(name)


async def test_menu_offers_every_page(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_settings(hass, entry)
    assert result["description_placeholders"] == {"name": "Living Room"}
    assert result["menu_options"] == [
        "devices",
        "windows",
        "profiles",
        "inputs",
        "actions",
        "polling",
        "advanced",
        "import_dashboard",
    ]


@pytest.mark.parametrize(
    "choices",
    [
        ["windows", "window_add"],
        ["windows", "window_select"],
        ["windows", "window_remove"],
        ["profiles"],
        ["inputs"],
        ["actions"],
        ["polling"],
        ["advanced"],
        ["import_dashboard"],
    ],
)
async def test_every_page_reaches_the_frontend_labelled(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: MockConfigEntry,
    choices: list[str],
) -> None:
    """Each menu and form survives the frontend's JSON and has a text for every field."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    step = await post_json(
        client, SUBENTRY_URL, {"handler": [entry.entry_id, "room"], "subentry_id": ROOM_ID}
    )
    for choice in choices:
        assert_labelled("config_subentries.room", step)
        step = await post_json(
            client, f"{SUBENTRY_URL}/{step['flow_id']}", {"next_step_id": choice}
        )
    assert step["type"] == "form"
    assert_labelled("config_subentries.room", step)


@pytest.mark.parametrize("page", ["profiles", "actions", "polling", "advanced"])
async def test_saving_a_page_unchanged_changes_nothing(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: MockConfigEntry,
    page: str,
) -> None:
    """What a page shows, submitted as the frontend sends it, is what is stored."""
    before = stored(entry)
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    step = await post_json(
        client, SUBENTRY_URL, {"handler": [entry.entry_id, "room"], "subentry_id": ROOM_ID}
    )
    url = f"{SUBENTRY_URL}/{step['flow_id']}"
    step = await post_json(client, url, {"next_step_id": page})
    step = await post_json(client, url, form_suggestions(step))
    assert step["reason"] == "reconfigure_successful"
    assert stored(entry) == before
    assert type(stored(entry)["poll_interval_seconds"]) is int


# --- Adding a room -----------------------------------------------------------------------


async def add_room(hass: HomeAssistant, entry: MockConfigEntry) -> SubentryFlowResult:
    """Start "Add room" on ``entry``."""
    result: SubentryFlowResult = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": "user"}
    )
    return result


async def test_add_a_room(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry(options=account_data(daily_call_budget=5000))
    result = await add_room(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    assert result["errors"] == {}
    # The living room's air conditioner is taken: only the bedroom's is offered.
    assert select_labels(result, "aircon_device_id") == {BEDROOM_AC: "Bedroom AC (Air Conditioner)"}
    assert set(select_labels(result, "meter_device_id")) == {METER_ID, BEDROOM_METER}
    assert suggested(result, "aircon_device_id") == BEDROOM_AC
    assert suggested(result, "name") == "Bedroom AC"

    result = await submit(
        hass,
        result,
        {"name": "Bedroom", "meter_device_id": BEDROOM_METER, "aircon_device_id": BEDROOM_AC},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "window"
    assert suggested(result, "days") == ["0", "1", "2", "3", "4"]
    result = await submit(hass, result, {"days": ["6"], "start": "21:00:00", "end": "07:00:00"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bedroom"
    added = next(subentry for subentry in entry.subentries.values() if subentry.title == "Bedroom")
    assert added.subentry_type == "room"
    assert added.unique_id == BEDROOM_AC
    assert dict(added.data) == bedroom_data(
        time_windows=[{"days": [6], "start": "21:00", "end": "07:00"}]
    )
    assert "daily_call_budget" not in added.data  # the account's, kept on the entry
    assert entry.options == account_data(daily_call_budget=5000)
    assert stored(entry) == room_data()  # the other room is untouched
    assert [request.path for request in simulator.requests] == ["/v1.1/devices"]


async def test_adding_a_room_reaches_the_frontend_labelled(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry()
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    step = await post_json(client, SUBENTRY_URL, {"handler": [entry.entry_id, "room"]})
    assert step["step_id"] == "devices"
    assert_labelled("config_subentries.room", step)
    url = f"{SUBENTRY_URL}/{step['flow_id']}"
    step = await post_json(client, url, form_suggestions(step))
    assert step["step_id"] == "window"
    assert_labelled("config_subentries.room", step)
    step = await post_json(client, url, form_suggestions(step))
    assert step["type"] == "create_entry"
    assert [subentry.title for subentry in entry.subentries.values()] == [
        "Living Room",
        "Bedroom AC",
    ]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.http(401), "invalid_auth"),
        (Fault.http(429), "quota_exceeded"),
        (Fault.text("<html>Bad gateway</html>"), "cannot_connect"),
        (Fault.status_code(190, "device internal error"), "unknown"),
    ],
)
async def test_adding_a_room_shows_cloud_errors_then_retries(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    fault: Fault,
    error: str,
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry()
    simulator.inject(fault)
    result = await add_room(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    assert result["errors"] == {"base": error}
    assert result["data_schema"] is None  # nothing to choose from yet

    result = await submit(hass, result, {})  # try again
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    assert result["errors"] == {}  # the retry chose nothing: the form is shown afresh
    assert suggested(result, "aircon_device_id") == BEDROOM_AC


async def test_a_room_cannot_be_added_without_an_air_conditioner(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry()
    simulator.account.remove(AC_REMOTE_ID)
    result = await add_room(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_air_conditioners"


async def test_a_room_cannot_be_added_when_every_air_conditioner_has_its_room(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry()
    result = await add_room(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_free_air_conditioner"
    assert len(entry.subentries) == 1


async def test_a_new_room_needs_a_thermometer(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry()
    result = await add_room(hass, entry)
    result = await submit(hass, result, {"name": "Bedroom", "aircon_device_id": BEDROOM_AC})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    assert result["errors"] == {"base": "no_thermometer"}
    assert suggested(result, "name") == "Bedroom"
    result = await submit(
        hass,
        result,
        {
            "name": "Bedroom",
            "aircon_device_id": BEDROOM_AC,
            "temperature_entity_id": "sensor.bedroom_temperature",
        },
    )
    assert result["step_id"] == "window"


async def test_an_air_conditioner_taken_meanwhile_is_refused(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """Two "Add room" flows chose the same air conditioner: the second one aborts."""
    add_bedroom_devices(simulator)
    entry = add_entry()
    choice = {"name": "Bedroom", "meter_device_id": METER_ID, "aircon_device_id": BEDROOM_AC}
    window = {"days": ["0"], "start": "07:00:00", "end": "08:00:00"}
    first = await submit(hass, await add_room(hass, entry), choice)
    second = await submit(hass, await add_room(hass, entry), choice)
    assert (await submit(hass, first, window))["type"] is FlowResultType.CREATE_ENTRY
    result = await submit(hass, second, window)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(entry.subentries) == 2


@pytest.mark.parametrize(
    ("window", "errors"),
    [
        ({"days": [], "start": "07:00:00", "end": "09:00:00"}, {"days": "no_days"}),
        ({"days": ["2"], "start": "07:00:00", "end": "07:00:00"}, {"end": "same_start_end"}),
    ],
)
async def test_a_new_room_s_window_errors_are_shown_on_their_field(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    window: dict[str, Any],
    errors: dict[str, str],
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry()
    result = await add_room(hass, entry)
    result = await submit(hass, result, form_values(result))
    result = await submit(hass, result, window)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "window"
    assert result["errors"] == errors
    assert len(entry.subentries) == 1


def form_values(result: SubentryFlowResult) -> dict[str, Any]:
    """Return what a form suggests, as a user who changes nothing submits it."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


# --- A room's devices ------------------------------------------------------------------------


async def test_devices_page_renames_the_room_and_changes_its_devices(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry(
        options=account_data(api_quota_warning_threshold=100),
        rooms=[room(room_data(future_option="kept", mode="summer"))],
    )
    result = await open_page(hass, entry, "devices")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    assert suggested(result, "name") == "Living Room"  # the current ones
    assert suggested(result, "meter_device_id") == METER_ID
    assert suggested(result, "aircon_device_id") == AC_REMOTE_ID
    assert set(select_labels(result, "aircon_device_id")) == {AC_REMOTE_ID, BEDROOM_AC}

    result = await submit(
        hass,
        result,
        {
            "name": "Master bedroom",
            "meter_device_id": BEDROOM_METER,
            "aircon_device_id": BEDROOM_AC,
            "humidity_entity_id": "sensor.bedroom_humidity",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries[ROOM_ID]
    assert subentry.title == "Master bedroom"
    assert subentry.unique_id == BEDROOM_AC
    assert stored(entry) == room_data(
        meter_device_id=BEDROOM_METER,
        aircon_device_id=BEDROOM_AC,
        humidity_entity_id="sensor.bedroom_humidity",
        future_option="kept",
        mode="summer",
    )
    assert entry.options == account_data(api_quota_warning_threshold=100)


async def test_devices_page_does_not_offer_another_room_s_air_conditioner(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    add_bedroom_devices(simulator)
    entry = add_entry(rooms=[room(), bedroom()])
    result = await open_settings(hass, entry, BEDROOM_ID)
    result = await submit(hass, result, {"next_step_id": "devices"})
    assert select_labels(result, "aircon_device_id") == {BEDROOM_AC: "Bedroom AC (Air Conditioner)"}
    assert suggested(result, "name") == "Bedroom"
    result = await submit(hass, result, {**form_values(result), "name": "Guest room"})
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[BEDROOM_ID].title == "Guest room"
    assert stored(entry, BEDROOM_ID) == bedroom_data()
    assert entry.subentries[ROOM_ID].title == "Living Room"


async def test_devices_page_preselects_available_devices(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """A configured device the account lost is replaced by the first available one."""
    entry = add_entry(rooms=[room(room_data(meter_device_id="GONE"))])
    result = await open_page(hass, entry, "devices")
    assert suggested(result, "meter_device_id") == METER_ID


async def test_devices_page_keeps_a_thermometer(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """The meter may give way to a sensor entity, not to nothing; the sensor is preselected."""
    sensor = {"temperature_entity_id": "sensor.living_room_temperature"}
    entry = add_entry(rooms=[room(room_data(**sensor))])
    result = await open_page(hass, entry, "devices")
    assert suggested(result, "temperature_entity_id") == sensor["temperature_entity_id"]
    result = await submit(hass, result, {"name": "Living Room", "aircon_device_id": AC_REMOTE_ID})
    assert result["errors"] == {"base": "no_thermometer"}
    result = await submit(
        hass, result, {"name": "Living Room", "aircon_device_id": AC_REMOTE_ID, **sensor}
    )
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["meter_device_id"] == ""
    assert stored(entry)["temperature_entity_id"] == sensor["temperature_entity_id"]


async def test_devices_page_shows_a_cloud_error_then_retries(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry()
    simulator.inject(Fault.text("<html>Bad gateway</html>"))
    result = await open_page(hass, entry, "devices")
    assert result["errors"] == {"base": "cannot_connect"}
    result = await submit(hass, result, {})
    assert result["errors"] == {}
    assert suggested(result, "aircon_device_id") == AC_REMOTE_ID


async def test_devices_page_aborts_when_the_account_lost_the_air_conditioners(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry()
    simulator.account.remove(AC_REMOTE_ID)
    result = await open_page(hass, entry, "devices")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_air_conditioners"


async def test_a_page_saves_into_its_room_only(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """Another room and the account's options are left as they are."""
    entry = add_entry(
        options=account_data(daily_call_budget=1234),
        rooms=[room(), bedroom(future_option="bedroom's")],
    )
    result = await open_settings(hass, entry, BEDROOM_ID)
    result = await submit(hass, result, {"next_step_id": "advanced"})
    result = await submit(hass, result, {"timezone": "Asia/Tokyo"})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry, BEDROOM_ID) == bedroom_data(
        future_option="bedroom's", timezone="Asia/Tokyo"
    )
    assert stored(entry) == room_data()
    assert entry.options == account_data(daily_call_budget=1234)


# --- Time windows ----------------------------------------------------------------------------


async def test_windows_menu_lists_the_windows(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "windows")
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["window_add", "window_select", "window_remove"]
    assert result["description_placeholders"] == {
        "windows": f"- Monday{TO}Friday 07:00{TO}22:00\n- Saturday, Sunday 09:30{TO}01:00"
    }


async def test_windows_are_listed_in_home_assistant_language(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    hass.config.language = "fr"
    window = {"days": [0, 2, 3, 4, 6], "start": "06:00", "end": "08:15:30"}
    entry = add_entry(rooms=[room(room_data(time_windows=[window]))])
    result = await open_page(hass, entry, "windows")
    assert result["description_placeholders"] == {
        "windows": f"- lundi, mercredi{TO}vendredi, dimanche 06:00{TO}08:15:30"
    }


async def test_without_windows_only_adding_is_offered(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry(rooms=[room(room_data(time_windows=[]))])
    result = await open_page(hass, entry, "windows")
    assert result["menu_options"] == ["window_add"]
    assert result["description_placeholders"] == {"windows": "—"}


async def test_missing_windows_option_shows_the_default_window(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    options = room_data()
    del options["time_windows"]
    entry = add_entry(rooms=[room(options)])
    result = await open_page(hass, entry, "windows")
    assert result["description_placeholders"] == {"windows": f"- Monday{TO}Friday 07:00{TO}22:00"}


async def test_add_a_window(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_add"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "window_add"
    assert suggested(result, "days") == ["0", "1", "2", "3", "4"]
    days = next(value for key, value in result["data_schema"].schema.items() if key == "days")
    assert days.config["options"] == ["0", "1", "2", "3", "4", "5", "6"]
    assert days.config["translation_key"] == "weekday"  # labels from the translations

    result = await submit(hass, result, {"days": ["6"], "start": "10:00:00", "end": "12:00:00"})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(
        time_windows=[WORKDAYS, WEEKEND, {"days": [6], "start": "10:00", "end": "12:00"}],
        future_option="kept",
    )


@pytest.mark.parametrize(
    ("window", "errors"),
    [
        ({"days": [], "start": "10:00:00", "end": "12:00:00"}, {"days": "no_days"}),
        ({"days": ["1"], "start": "10:00:00", "end": "10:00:00"}, {"end": "same_start_end"}),
    ],
)
async def test_window_errors_are_shown_on_their_field(
    hass: HomeAssistant, entry: MockConfigEntry, window: dict[str, Any], errors: dict[str, str]
) -> None:
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_add"})
    result = await submit(hass, result, window)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert suggested(result, "start") == "10:00:00"
    assert stored(entry)["time_windows"] == [WORKDAYS, WEEKEND]


async def test_no_window_is_added_past_the_limit(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    windows = [WORKDAYS] * MAX_TIME_WINDOWS
    entry = add_entry(rooms=[room(room_data(time_windows=windows))])
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_add"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "too_many_windows"}  # said before anything is typed
    result = await submit(hass, result, {"days": ["6"], "start": "10:00:00", "end": "12:00:00"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "too_many_windows"}
    assert stored(entry)["time_windows"] == windows
    # Editing one of them is still allowed.
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_select"})
    result = await submit(hass, result, {"window": "49"})
    result = await submit(hass, result, {"days": ["6"], "start": "10:00:00", "end": "12:00:00"})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["time_windows"][-1] == {"days": [6], "start": "10:00", "end": "12:00"}


def test_the_window_limit_is_the_one_the_texts_give() -> None:
    for language, text in (("en", "At most {} "), ("fr", "{} plages horaires au plus")):
        texts = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
        for flow in (texts["config"], texts["config_subentries"]["room"]):
            assert text.format(MAX_TIME_WINDOWS) in flow["error"]["too_many_windows"]


async def test_edit_a_window(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_select"})
    assert result["step_id"] == "window_select"
    assert select_labels(result, "window") == {
        "0": f"Monday{TO}Friday 07:00{TO}22:00",
        "1": f"Saturday, Sunday 09:30{TO}01:00",
    }

    result = await submit(hass, result, {"window": "1"})
    assert result["step_id"] == "window_edit"
    assert suggested(result, "days") == ["5", "6"]
    assert suggested(result, "start") == "09:30:00"
    assert suggested(result, "end") == "01:00:00"

    result = await submit(hass, result, {"days": ["5"], "start": "09:30:00", "end": "09:00:00"})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["time_windows"] == [
        WORKDAYS,
        {"days": [5], "start": "09:30", "end": "09:00"},
    ]
    assert stored(entry)["future_option"] == "kept"


async def test_an_unreadable_window_is_shown_as_stored_and_can_be_fixed(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    broken = {"days": "weekdays", "start": "7h"}
    entry = add_entry(rooms=[room(room_data(time_windows=[broken, "noon"]))])
    result = await open_page(hass, entry, "windows")
    assert result["description_placeholders"]["windows"] == (
        '- {"days": "weekdays", "start": "7h"}\n- "noon"'
    )
    result = await submit(hass, result, {"next_step_id": "window_select"})
    result = await submit(hass, result, {"window": "0"})
    assert suggested(result, "days") is None  # nothing readable to show

    result = await submit(hass, result, {"days": ["0"], "start": "07:00:00", "end": "08:00:00"})
    assert stored(entry)["time_windows"] == [
        {"days": [0], "start": "07:00", "end": "08:00"},
        "noon",
    ]


async def test_remove_windows(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_remove"})
    assert result["step_id"] == "window_remove"

    result = await submit(hass, result, {"windows": []})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"windows": "no_window_selected"}

    result = await submit(hass, result, {"windows": ["0"]})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["time_windows"] == [WEEKEND]
    assert stored(entry)["future_option"] == "kept"


async def test_removing_every_window_is_allowed(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "windows")
    result = await submit(hass, result, {"next_step_id": "window_remove"})
    result = await submit(hass, result, {"windows": ["0", "1"]})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["time_windows"] == []


# --- Profiles --------------------------------------------------------------------------------

WINTER_FORM = {
    "min_temp": 18.5,
    "max_temp": 21.0,
    "target_temp": 22.5,
    "ac_mode": "1",
    "fan_speed": "4",
}
SUMMER_FORM = {
    "min_temp": 23.0,
    "max_temp": 26.0,
    "target_temp": 24.0,
    "ac_mode": "2",
    "fan_speed": "1",
}


async def test_profiles_page_saves_both_seasons(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "profiles")
    assert result["step_id"] == "profiles"
    assert suggested(result, "mode") == "winter"
    assert suggested(result, "hysteresis_celsius") == 0.3
    assert section_suggestions(result, "winter") == {
        "min_temp": 19.0,
        "max_temp": 22.0,
        "target_temp": 21.0,
        "ac_mode": "5",
        "fan_speed": "3",
    }
    assert section_suggestions(result, "summer")["ac_mode"] == "2"

    result = await submit(
        hass,
        result,
        {"mode": "summer", "hysteresis_celsius": 0.5, "winter": WINTER_FORM, "summer": SUMMER_FORM},
    )
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(
        time_windows=[WORKDAYS, WEEKEND],
        future_option="kept",
        mode="summer",
        hysteresis_celsius=0.5,
        winter={**WINTER_FORM, "ac_mode": 1, "fan_speed": 4},
        summer={**SUMMER_FORM, "ac_mode": 2, "fan_speed": 1},
    )


async def test_profiles_page_shows_min_above_max_on_the_section(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "profiles")
    result = await submit(
        hass,
        result,
        {
            "mode": "winter",
            "hysteresis_celsius": 0.3,
            "winter": WINTER_FORM,
            "summer": {**SUMMER_FORM, "min_temp": 27.0},
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"summer": "min_above_max"}
    assert section_suggestions(result, "summer")["min_temp"] == 27.0  # what was typed stays
    assert stored(entry)["summer"] == room_data()["summer"]


async def test_profiles_page_refuses_a_band_that_cannot_work(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Equal thresholds need a hysteresis, or the unit would be toggled at every tick."""
    equal = {**WINTER_FORM, "min_temp": 21.0, "max_temp": 21.0}
    result = await open_page(hass, entry, "profiles")
    form = {"mode": "winter", "hysteresis_celsius": 0.0, "winter": equal, "summer": SUMMER_FORM}
    result = await submit(hass, result, form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"winter": "band_too_narrow"}
    assert stored(entry)["winter"] == room_data()["winter"]

    result = await submit(hass, result, {**form, "hysteresis_celsius": 0.1})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["winter"]["min_temp"] == stored(entry)["winter"]["max_temp"] == 21.0


async def test_a_temperature_out_of_bounds_is_refused_by_the_form(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "profiles")
    with pytest.raises(InvalidData) as caught:
        await submit(
            hass,
            result,
            {
                "mode": "winter",
                "hysteresis_celsius": 0.3,
                "winter": {**WINTER_FORM, "target_temp": 31.0},
                "summer": SUMMER_FORM,
            },
        )
    # Home Assistant reports a field inside a section on the form, not on the field.
    assert "target_temp" in str(caught.value.schema_errors)


async def test_profiles_page_shows_stored_values_within_bounds(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """A hand-edited value is shown as the engine uses it (clamped), never as stored."""
    entry = add_entry(rooms=[room(room_data(winter={"min_temp": 5, "ac_mode": "heat"}))])
    result = await open_page(hass, entry, "profiles")
    assert section_suggestions(result, "winter") == {
        "min_temp": 10.0,
        "max_temp": 22.0,
        "target_temp": 21.0,
        "ac_mode": "5",
        "fan_speed": "3",
    }


# --- Actions ---------------------------------------------------------------------------------

ACTIONS_FORM = {
    "automation_enabled": False,
    "aircon_scenes": {"winter": SCENE_WINTER_ID, "summer": "none", "fan": "none", "off": "none"},
    "command_cooldown_seconds": 120.0,
    "action_on_cooldown_seconds": 0.0,
    "action_off_cooldown_seconds": 30.0,
    "off_repeat_count": 3.0,
    "off_repeat_interval_seconds": 20.0,
    "turn_off_outside_windows": True,
    "fan_mode_during_window": True,
    "max_reading_age_minutes": 45.0,
}


async def test_actions_page_offers_the_account_scenes(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    scenes = {"winter": "", "summer": "", "fan": "deleted-scene", "off": SCENE_OFF_ID}
    entry = add_entry(rooms=[room(room_data(aircon_scenes=scenes))])
    result = await open_page(hass, entry, "actions")
    assert result["step_id"] == "actions"
    assert not result["errors"]
    assert section_suggestions(result, "aircon_scenes") == {
        "winter": "none",
        "summer": "none",
        "fan": "deleted-scene",
        "off": SCENE_OFF_ID,
    }
    scene_field = next(
        value for key, value in result["data_schema"].schema.items() if key == "aircon_scenes"
    ).schema.schema
    selector = next(value for key, value in scene_field.items() if key == "winter")
    assert selector.config["custom_value"] is True
    assert [(option["value"], option["label"]) for option in selector.config["options"]] == [
        ("none", "none"),
        ("scene-fan", "fan"),
        ("scene-off", "off"),
        ("scene-summer", "summer"),
        ("scene-winter", "winter"),
        ("deleted-scene", "deleted-scene"),  # configured, no longer listed: still valid
    ]
    assert suggested(result, "automation_enabled") is True
    assert suggested(result, "command_cooldown_seconds") == 60


async def test_actions_page_saves_scenes_and_whole_numbers(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "actions")
    result = await submit(hass, result, ACTIONS_FORM)
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(
        time_windows=[WORKDAYS, WEEKEND],
        future_option="kept",
        automation_enabled=False,
        aircon_scenes={"winter": SCENE_WINTER_ID, "summer": "", "fan": "", "off": ""},
        command_cooldown_seconds=120,
        action_on_cooldown_seconds=0,
        action_off_cooldown_seconds=30,
        off_repeat_count=3,
        off_repeat_interval_seconds=20,
        turn_off_outside_windows=True,
        fan_mode_during_window=True,
        max_reading_age_minutes=45,
    )
    assert isinstance(stored(entry)["off_repeat_count"], int)
    assert isinstance(stored(entry)["max_reading_age_minutes"], int)


async def test_actions_page_refuses_a_fraction_of_a_second(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "actions")
    result = await submit(hass, result, {**ACTIONS_FORM, "off_repeat_interval_seconds": 2.5})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"off_repeat_interval_seconds": "not_an_integer"}


@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.http(401), "invalid_auth"), (Fault.text("<html>"), "cannot_connect")],
)
async def test_actions_page_without_the_scene_list_takes_typed_ids(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: SwitchBotSimulator,
    fault: Fault,
    error: str,
) -> None:
    simulator.inject(fault, path="/v1.1/scenes")
    result = await open_page(hass, entry, "actions")
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    typed = {"winter": " typed-scene ", "summer": "none", "fan": "none", "off": "none"}
    result = await submit(hass, result, {**ACTIONS_FORM, "aircon_scenes": typed})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["aircon_scenes"] == {
        "winter": "typed-scene",
        "summer": "",
        "fan": "",
        "off": "",
    }


async def test_actions_page_fetches_the_scenes_once(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: SwitchBotSimulator
) -> None:
    result = await open_page(hass, entry, "actions")
    result = await submit(hass, result, {**ACTIONS_FORM, "command_cooldown_seconds": 0.5})
    assert result["errors"] == {"command_cooldown_seconds": "not_an_integer"}
    assert [request.path for request in simulator.requests] == ["/v1.1/scenes"]


# --- Polling and advanced --------------------------------------------------------------------


QUOTA_SAVINGS_FORM = {
    "max_temperature_rate": 0.15,
    "max_window_poll_interval_seconds": 600.0,
    "meter_update_interval_seconds": 300.0,
    "idle_read_interval_seconds": 0.0,
}


async def test_polling_page(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "polling")
    assert result["step_id"] == "polling"
    assert suggested(result, "idle_poll_interval_seconds") == 600
    assert suggested(result, "max_temperature_rate") == 0.2
    assert "daily_call_budget" not in result["data_schema"].schema  # the account's
    result = await submit(
        hass,
        result,
        {
            "poll_interval_seconds": 30.0,
            "idle_poll_interval_seconds": 900.0,
            "poll_warmup_minutes": 0.0,
            "adaptive_polling_enabled": False,
            **QUOTA_SAVINGS_FORM,
        },
    )
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(
        time_windows=[WORKDAYS, WEEKEND],
        future_option="kept",
        poll_interval_seconds=30,
        idle_poll_interval_seconds=900,
        poll_warmup_minutes=0,
        adaptive_polling_enabled=False,
        max_temperature_rate=0.15,
        max_window_poll_interval_seconds=600,
        meter_update_interval_seconds=300,
        idle_read_interval_seconds=0,
    )
    assert type(stored(entry)["idle_read_interval_seconds"]) is int


async def test_polling_page_errors(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await open_page(hass, entry, "polling")
    form = {
        "poll_interval_seconds": 15.5,
        "idle_poll_interval_seconds": 900.0,
        "poll_warmup_minutes": 0.0,
        "adaptive_polling_enabled": True,
        **QUOTA_SAVINGS_FORM,
        "idle_read_interval_seconds": 100.5,
    }
    result = await submit(hass, result, form)
    assert result["errors"] == {
        "poll_interval_seconds": "not_an_integer",
        "idle_read_interval_seconds": "not_an_integer",
    }
    with pytest.raises(InvalidData) as caught:
        await submit(hass, result, {**form, "poll_interval_seconds": 10})
    assert "poll_interval_seconds" in caught.value.schema_errors
    with pytest.raises(InvalidData) as caught:
        await submit(hass, result, {**form, "max_temperature_rate": 6})
    assert "max_temperature_rate" in caught.value.schema_errors


async def test_advanced_page_sets_a_time_zone(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config.async_set_time_zone("America/New_York")
    result = await open_page(hass, entry, "advanced")
    assert result["step_id"] == "advanced"
    assert result["description_placeholders"] == {"ha_time_zone": "America/New_York"}
    zones = select_labels(result, "timezone")
    assert "Europe/Paris" in zones
    assert [str(field) for field in result["data_schema"].schema] == ["timezone"]

    result = await submit(hass, result, {"timezone": " Europe/Paris "})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["timezone"] == "Europe/Paris"
    assert stored(entry)["future_option"] == "kept"


async def test_advanced_page_empty_time_zone_means_home_assistant_s(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    entry = add_entry(rooms=[room(room_data(timezone="Asia/Tokyo"))])
    result = await open_page(hass, entry, "advanced")
    assert suggested(result, "timezone") == "Asia/Tokyo"
    result = await submit(hass, result, {})
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["timezone"] == ""


async def test_advanced_page_refuses_an_unknown_zone(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "advanced")
    result = await submit(hass, result, {"timezone": "Mars/Olympus_Mons"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"timezone": "invalid_timezone"}
    assert suggested(result, "timezone") == "Mars/Olympus_Mons"
    assert stored(entry)["timezone"] == ""


# --- Import of the original dashboard's settings.json ----------------------------------------


async def test_import_a_dashboard_file(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    text = DASHBOARD_SETTINGS.read_text(encoding="utf-8")
    result = await open_page(hass, entry, "import_dashboard")
    assert result["step_id"] == "import_dashboard"

    result = await submit(hass, result, {"settings_json": text})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "import_confirm"
    placeholders = result["description_placeholders"]
    assert placeholders["ignored"] == "\n".join(
        f"- `{key}`"
        for key in (
            "aircon_device_id",
            "api_quota_warning_threshold",
            "api_secret",
            "api_token",
            "last_updated",
            "meter_device_id",
            "poll_interval",
            "scheduler_enabled",
        )
    )
    applied = placeholders["applied"].splitlines()
    assert '- `timezone`: "Europe/Paris"' in applied
    # The legacy top-level profile went into the season of the file, winter.
    assert (
        '- `winter`: {"min_temp": 19.5, "max_temp": 22.0, "target_temp": 21, "ac_mode": 5, '
        '"fan_speed": 2}' in applied
    )
    assert stored(entry)["timezone"] == ""  # nothing saved before the confirmation

    result = await submit(hass, result, {})
    assert result["reason"] == "reconfigure_successful"
    dashboard = json.loads(text)
    assert stored(entry) == {
        **room_data(),  # the devices stay those of the room, the quota warning the account's
        **{
            key: dashboard[key]
            for key in (
                "automation_enabled",
                "mode",
                "summer",
                "hysteresis_celsius",
                "command_cooldown_seconds",
                "action_on_cooldown_seconds",
                "action_off_cooldown_seconds",
                "off_repeat_count",
                "off_repeat_interval_seconds",
                "turn_off_outside_windows",
                "fan_mode_during_window",
                "aircon_scenes",
                "time_windows",
                "timezone",
                "poll_interval_seconds",
                "idle_poll_interval_seconds",
                "poll_warmup_minutes",
                "adaptive_polling_enabled",
            )
        },
        "winter": {
            "min_temp": 19.5,
            "max_temp": 22.0,
            "target_temp": 21,
            "ac_mode": 5,
            "fan_speed": 2,
        },
        "future_option": "kept",
    }


async def test_import_keeps_the_profile_fields_the_file_lacks(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    winter = {"min_temp": 17.0, "max_temp": 20.0, "target_temp": 19.0, "ac_mode": 1, "fan_speed": 4}
    entry = add_entry(rooms=[room(room_data(winter=winter))])
    result = await open_page(hass, entry, "import_dashboard")
    result = await submit(
        hass, result, {"settings_json": '{"target_temp": 20.5, "poll_interval_seconds": 20.0}'}
    )
    result = await submit(hass, result, {})
    assert stored(entry)["winter"] == {**winter, "target_temp": 20.5}
    assert stored(entry)["poll_interval_seconds"] == 20
    assert isinstance(stored(entry)["poll_interval_seconds"], int)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{'mode': 'winter'}", "invalid_json"),
        ('["mode", "winter"]', "invalid_json"),
        ("", "invalid_json"),
        # Deeper than any settings file, and deep enough for the parser to run out of stack.
        ('{"winter": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}", "invalid_json"),
        ('{"winter": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid_json"),
        ('{"poll_interval_seconds": ' + "9" * 5000 + "}", "invalid_json"),
        ('{"api_token": "x", "meter_device_id": "C2710AB1C0DE"}', "nothing_to_import"),
        # The account's options are not a room's.
        ('{"daily_call_budget": 100, "api_quota_warning_threshold": 5}', "nothing_to_import"),
    ],
)
async def test_import_refuses_what_is_not_a_settings_file(
    hass: HomeAssistant, entry: MockConfigEntry, text: str, error: str
) -> None:
    result = await open_page(hass, entry, "import_dashboard")
    result = await submit(hass, result, {"settings_json": text})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "import_dashboard"
    assert result["errors"] == {"settings_json": error}
    assert suggested(result, "settings_json") == text


async def test_import_lists_the_invalid_settings(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    text = json.dumps(
        {
            "poll_interval_seconds": 5,
            "winter": {"min_temp": 23, "max_temp": 20},
            "timezone": "Europe/Atlantis",
            "time_windows": [{"days": [], "start": "08:00", "end": "08:00"}],
            "mode": "spring",
        }
    )
    result = await open_page(hass, entry, "import_dashboard")
    result = await submit(hass, result, {"settings_json": text})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"settings_json": "invalid_settings"}
    assert result["description_placeholders"]["problems"] == "\n".join(
        [
            "- `mode`: The season must be winter or summer.",
            "- `poll_interval_seconds`: The value is outside the allowed range.",
            "- `time_windows.0.days`: Choose at least one day.",
            "- `time_windows.0.end`: The end must differ from the start.",
            "- `timezone`: Unknown time zone: use an IANA name such as Europe/Paris.",
            "- `winter.min_temp`: The minimum temperature is above the maximum temperature.",
        ]
    )
    assert stored(entry) == room_data(time_windows=[WORKDAYS, WEEKEND], future_option="kept")


async def test_import_refuses_too_many_windows(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    windows = [WORKDAYS] * (MAX_TIME_WINDOWS + 1)
    result = await open_page(hass, entry, "import_dashboard")
    result = await submit(hass, result, {"settings_json": json.dumps({"time_windows": windows})})
    assert result["errors"] == {"settings_json": "invalid_settings"}
    assert result["description_placeholders"]["problems"] == (
        f"- `time_windows`: At most {MAX_TIME_WINDOWS} time windows are allowed:"
        " remove one to add another."
    )
    assert stored(entry)["time_windows"] == [WORKDAYS, WEEKEND]


@pytest.mark.parametrize(
    ("before", "imported"),
    [
        ({}, {"hysteresis_celsius": 0, "winter": {"min_temp": 21, "max_temp": 21}}),
        # Either half of the band may come from the file, the other being the stored one.
        ({"hysteresis_celsius": 0.0}, {"winter": {"min_temp": 21, "max_temp": 21}}),
        ({"winter": {**room_data()["winter"], "max_temp": 19.0}}, {"hysteresis_celsius": 0}),
    ],
)
async def test_import_refuses_a_band_that_cannot_work(
    hass: HomeAssistant,
    add_entry: Callable[..., MockConfigEntry],
    before: dict[str, Any],
    imported: dict[str, Any],
) -> None:
    entry = add_entry(rooms=[room(room_data(**before))])
    result = await open_page(hass, entry, "import_dashboard")
    result = await submit(hass, result, {"settings_json": json.dumps(imported)})
    assert result["errors"] == {"settings_json": "invalid_settings"}
    assert result["description_placeholders"]["problems"].startswith(
        "- `winter.min_temp`: The minimum must be below the maximum once the hysteresis"
    )
    assert stored(entry) == room_data(**before)


# --- Sensors, windows and doors --------------------------------------------------------------

INPUTS_FORM = {
    "temperature_entity_id": "sensor.living_room_temperature",
    "humidity_entity_id": "sensor.living_room_humidity",
    "window_entity_ids": ["binary_sensor.window", "binary_sensor.door"],
    "window_open_delay_seconds": 120.0,
    "power_entity_id": "sensor.air_conditioner_power",
    "power_on_threshold_watts": 25.0,
}


async def test_inputs_page_saves_and_clears_the_entities(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await open_page(hass, entry, "inputs")
    assert result["step_id"] == "inputs"
    assert suggested(result, "window_open_delay_seconds") == 60
    assert suggested(result, "temperature_entity_id") is None
    result = await submit(hass, result, INPUTS_FORM)
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(
        time_windows=[WORKDAYS, WEEKEND],
        future_option="kept",
        **{**INPUTS_FORM, "window_open_delay_seconds": 120},
    )
    result = await open_page(hass, entry, "inputs")
    assert suggested(result, "window_entity_ids") == INPUTS_FORM["window_entity_ids"]
    # Cleared fields are missing from the form: stored empty.
    result = await submit(
        hass, result, {"window_open_delay_seconds": 60.0, "power_on_threshold_watts": 10.0}
    )
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry) == room_data(time_windows=[WORKDAYS, WEEKEND], future_option="kept")


async def test_inputs_page_keeps_the_only_thermometer(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    sensor = {"temperature_entity_id": "sensor.living_room_temperature"}
    entry = add_entry(rooms=[room(room_data(meter_device_id="", **sensor))])
    result = await open_page(hass, entry, "inputs")
    result = await submit(
        hass, result, {"window_open_delay_seconds": 60.0, "power_on_threshold_watts": 10.0}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"temperature_entity_id": "no_thermometer"}
    result = await submit(
        hass,
        result,
        {**sensor, "window_open_delay_seconds": 30.0, "power_on_threshold_watts": 10.0},
    )
    assert result["reason"] == "reconfigure_successful"
    assert stored(entry)["window_open_delay_seconds"] == 30
