"""End to end: the room's settings page "Sensors, windows and doors", in Chromium and the API.

A user opens the room's settings (Configure on the room's row, under the account on the
integration's page) and chooses the page **Sensors, windows and doors**: the form is pictured
for the README (``test-artifacts/options-sensor-inputs.png``). The same page, through Home
Assistant's REST flow API for subentries (the room's reconfigure flow), shows the six fields
and saves a temperature sensor into the room: the integration's own meter temperature sensor,
the one temperature sensor this instance has.
"""

from __future__ import annotations

import re
from typing import Any, Final

import pytest

from .conftest import ARTIFACTS, Stack, browser_check
from .test_real_home_assistant import DOMAIN, eventually, ready_entities
from .test_thermostat import stored_entry, stored_options

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

ARTIFACT_PREFIX: Final = "e2e-sensor-inputs"
PICTURE: Final = ARTIFACTS / "options-sensor-inputs.png"
FLOWS: Final = "/api/config/config_entries/subentries/flow"
ROOM: Final = "room"
"""The subentry type of a room."""
FIELDS: Final = [
    "temperature_entity_id",
    "humidity_entity_id",
    "window_entity_ids",
    "window_open_delay_seconds",
    "power_entity_id",
    "power_on_threshold_watts",
]

# Selectors of scripts/browser_check.py: ">>>" steps into shadow roots.
CONFIGURE: Final = '.sub-entry ha-button[slot="end"]'  # the room's, not the account's
INPUTS: Final = "step-flow-menu >>> mwc-list-item:text(Sensors, windows and doors)"
DIALOG: Final = "dialog-data-entry-flow >>> ha-dialog >>> .mdc-dialog__surface"


async def open_inputs_page(stack: Stack) -> dict[str, Any]:
    """Click the room's Configure, then the page in its menu, in headless Chromium; picture
    the dialog."""
    result = await browser_check(
        f"{stack.url}/config/integrations/integration/{DOMAIN}",
        "--screenshot",
        ARTIFACTS / f"{ARTIFACT_PREFIX}-page.png",
        "--expect",
        "Configure",
        "--print-text",
        *("--click", CONFIGURE, "--click", INPUTS),
        *("--element-screenshot", f"{DIALOG}={PICTURE}"),
        seconds=90,
    )
    assert not result["missing"], f"not on the integration page: {result}"
    assert not result["not_clicked"], f"could not click: {result}"
    assert result["element_screenshots"][DIALOG], f"no settings dialog: {result}"
    assert PICTURE.stat().st_size > 10_000, PICTURE
    return result


async def test_the_sensors_page_shows_its_fields_and_saves_a_sensor(stack: Stack, api: Any) -> None:
    entities = await ready_entities(stack, api)
    temperature = entities["temperature"]["entity_id"]
    assert re.fullmatch(r"sensor\..+_temperature", temperature), temperature

    # In the browser: the room's Configure, then "Sensors, windows and doors" (pictured).
    result = await open_inputs_page(stack)
    # The room's page, not the account's options: its fields show.
    assert "Open window delay" in result["final_text"], result["final_text"]
    account_options = stored_entry(stack)["options"]

    # The same page through the REST flow API: its fields, then a temperature sensor saved.
    status, menu = await api.request(
        "POST",
        FLOWS,
        {"handler": [stack.entry_id, ROOM], "subentry_id": stack.entry_id},  # the seeded room
    )
    assert (status, menu["type"], menu["step_id"]) == (200, "menu", "reconfigure"), menu
    assert "inputs" in menu["menu_options"], menu
    status, form = await api.request(
        "POST", f"{FLOWS}/{menu['flow_id']}", {"next_step_id": "inputs"}
    )
    assert (status, form["type"], form["step_id"]) == (200, "form", "inputs"), form
    assert [field["name"] for field in form["data_schema"]] == FIELDS, form["data_schema"]
    assert not form["errors"], form
    # As the frontend does: the form's values (the suggested ones), the sensor chosen.
    shown = {
        field["name"]: field["description"]["suggested_value"]
        for field in form["data_schema"]
        if "suggested_value" in field.get("description", {})
    }
    assert shown.keys() == {"window_open_delay_seconds", "power_on_threshold_watts"}, shown
    status, done = await api.request(
        "POST", f"{FLOWS}/{form['flow_id']}", {**shown, "temperature_entity_id": temperature}
    )
    assert (status, done.get("type"), done.get("reason")) == (
        200,
        "abort",
        "reconfigure_successful",
    ), done

    def saved() -> dict[str, Any] | None:
        options = stored_options(stack)
        return options if options.get("temperature_entity_id") == temperature else None

    options = await eventually(saved, 30, "the room's options to hold the temperature sensor")
    assert options["window_entity_ids"] == [], options
    assert stored_entry(stack)["options"] == account_options  # the account's are untouched
