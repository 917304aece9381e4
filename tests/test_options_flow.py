"""Tests of the options flow: the account's options (its daily budget and quota warning).

The entries are only added, not set up: the options flow works on the stored options alone,
and ``async_create_entry`` is where its job ends (the integration's update listener then
applies the options, which its own tests cover). A room's settings are the room flow's
(``test_room_flow.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.setup import async_setup_component
import pytest

from tests.flow_fixtures import (
    account_data,
    assert_labelled,
    form_suggestions,
    post_json,
    room_data,
    suggested,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

OPTIONS_URL = "/api/config/config_entries/options/flow"


@pytest.fixture
def entry(add_entry: Callable[..., MockConfigEntry]) -> MockConfigEntry:
    """An entry whose options hold a key this version does not know (it must survive)."""
    return add_entry(options=account_data(future_option="kept"))


async def test_the_account_s_options_are_one_form(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert [str(field) for field in result["data_schema"].schema] == [
        "daily_call_budget",
        "api_quota_warning_threshold",
    ]
    assert suggested(result, "daily_call_budget") == 8000
    assert suggested(result, "api_quota_warning_threshold") == 250

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"daily_call_budget": 5000.0, "api_quota_warning_threshold": 0.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == account_data(
        daily_call_budget=5000, api_quota_warning_threshold=0, future_option="kept"
    )
    assert type(entry.options["daily_call_budget"]) is int
    [room] = entry.subentries.values()
    assert room.data == room_data()  # the rooms are not the options flow's


async def test_the_account_s_options_refuse_what_the_engine_refuses(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    form = {"daily_call_budget": 100.5, "api_quota_warning_threshold": 250}
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"daily_call_budget": "not_an_integer"}
    assert suggested(result, "daily_call_budget") == 100.5  # what was typed stays
    with pytest.raises(InvalidData) as caught:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**form, "daily_call_budget": 10_001}
        )
    assert "daily_call_budget" in caught.value.schema_errors
    assert entry.options == account_data(future_option="kept")


async def test_stored_oddities_are_shown_as_the_engine_reads_them(
    hass: HomeAssistant, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """A missing option shows its default; saving the form unchanged stores it."""
    entry = add_entry(options={})
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert suggested(result, "daily_call_budget") == 8000
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"daily_call_budget": 8000, "api_quota_warning_threshold": 250}
    )
    assert entry.options == account_data()


async def test_the_account_s_form_reaches_the_frontend_labelled(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: MockConfigEntry
) -> None:
    """The form survives the frontend's JSON, has a text for every field, saves unchanged."""
    stored = dict(entry.options)
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    step = await post_json(client, OPTIONS_URL, {"handler": entry.entry_id})
    assert_labelled("options", step)
    step = await post_json(client, f"{OPTIONS_URL}/{step['flow_id']}", form_suggestions(step))
    assert step["type"] == "create_entry"
    assert entry.options == stored
