"""Tests of set-up, reauthentication and reconfiguration in the UI.

Everything goes through Home Assistant's flow API (some tests through its HTTP API, as the
frontend does), and every request reaches the SwitchBot Cloud simulator over real HTTP:
errors are the simulator's answers (a wrong secret, an injected 429...), so the client's
error mapping is exercised as in production.
"""

from __future__ import annotations

from http import HTTPStatus
import json
import sys
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
import voluptuous_serialize

from custom_components.switchbot_automation.account import account_unique_id
from custom_components.switchbot_automation.engine.options import OptionError
from custom_components.switchbot_automation.engine.settings import default_options
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, TV_REMOTE_ID, Fault, SwitchBotSimulator
from tests.flow_fixtures import (
    DOMAIN,
    EXPIRED_TOKEN,
    FLOW_URL,
    TRANSLATIONS,
    assert_labelled,
    form_suggestions,
    post_json,
    select_labels,
    stored_options,
    suggested,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from unittest.mock import AsyncMock

    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

SENSOR_KEYS = ("temperature_entity_id", "humidity_entity_id")
WRONG_SECRET = "not-the-secret"  # noqa: S105 - a test value


async def start_user_flow(hass: HomeAssistant) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result


async def submit_credentials(
    hass: HomeAssistant, flow_id: str, sim: SwitchBotSimulator, **changes: str
) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(
        flow_id, {"token": sim.token, "secret": sim.secret, **changes}
    )


# --- Set-up ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_flow_creates_the_entry(hass: HomeAssistant, cloud: SwitchBotSimulator) -> None:
    result = await start_user_flow(hass)

    # Blanks from a copy and paste are dropped.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"token": f"  {cloud.token}\n", "secret": f"\t{cloud.secret} "}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    # Only thermometers and AC remotes are offered (not the hub, not the TV remote).
    assert select_labels(result, "meter_device_id") == {METER_ID: "Living Room Meter (Meter)"}
    assert select_labels(result, "aircon_device_id") == {
        AC_REMOTE_ID: "Living Room AC (Air Conditioner)"
    }
    assert suggested(result, "meter_device_id") == METER_ID
    assert suggested(result, "aircon_device_id") == AC_REMOTE_ID

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"meter_device_id": METER_ID, "aircon_device_id": AC_REMOTE_ID}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "window"
    # The default window is offered: Monday to Friday, 07:00-22:00.
    assert suggested(result, "days") == ["0", "1", "2", "3", "4"]
    assert suggested(result, "start") == "07:00:00"
    assert suggested(result, "end") == "22:00:00"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"days": ["5", "0"], "start": "22:00:00", "end": "06:30:00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Living Room AC"
    assert result["data"] == {"token": cloud.token, "secret": cloud.secret}
    assert result["options"] == {
        **default_options(),
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        "time_windows": [{"days": [0, 5], "start": "22:00", "end": "06:30"}],
    }
    entry = result["result"]
    assert entry.unique_id == account_unique_id(cloud.token)
    assert [request.path for request in cloud.requests] == ["/v1.1/devices"]


async def test_a_new_user_sets_it_up_against_the_cloud(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, cloud: SwitchBotSimulator
) -> None:
    """Set up as the frontend does, over Home Assistant's HTTP API, with nothing patched.

    Every form goes through the JSON serialisation the frontend receives, each field is
    filled with what the form suggests or offers, and the integration really starts.
    """
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    step = await post_json(client, FLOW_URL, {"handler": DOMAIN})
    assert_labelled("config", step)
    assert [field["name"] for field in step["data_schema"]] == ["token", "secret"]
    assert step["data_schema"][1]["selector"]["text"]["type"] == "password"

    url = f"{FLOW_URL}/{step['flow_id']}"
    step = await post_json(client, url, {"token": cloud.token, "secret": cloud.secret})
    assert step["step_id"] == "devices"
    assert_labelled("config", step)
    selectors = {field["name"]: field["selector"] for field in step["data_schema"]}
    assert selectors["meter_device_id"]["select"]["options"] == [
        {"value": METER_ID, "label": "Living Room Meter (Meter)"}
    ]
    assert selectors["aircon_device_id"]["select"]["options"] == [
        {"value": AC_REMOTE_ID, "label": "Living Room AC (Air Conditioner)"}
    ]
    # Only sensors of the right class are offered as the room's thermometer.
    assert [
        (selectors[key]["entity"]["domain"], selectors[key]["entity"]["device_class"])
        for key in SENSOR_KEYS
    ] == [(["sensor"], ["temperature"]), (["sensor"], ["humidity"])]
    step = await post_json(client, url, form_suggestions(step))
    assert step["step_id"] == "window"
    assert_labelled("config", step)
    step = await post_json(client, url, form_suggestions(step))
    assert step["type"] == "create_entry"
    await hass.async_block_till_done()

    [entry] = hass.config_entries.async_entries(DOMAIN)
    assert entry.title == "Living Room AC"
    assert entry.data == {"token": cloud.token, "secret": cloud.secret}
    assert entry.options == stored_options()
    assert entry.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_a_rotated_token_is_replaced_while_running(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """The user regenerates the token in the app: reauth restores a working entry."""
    entry = add_entry()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    simulator.token = "regenerated-token"  # noqa: S105 - a test value
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
        )
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH

    integration = sys.modules["custom_components.switchbot_automation"]
    with patch.object(
        integration, "async_setup_entry", wraps=integration.async_setup_entry
    ) as setup_entry:
        result = await submit_credentials(hass, flow["flow_id"], simulator)
        assert result["reason"] == "reauth_successful"
        await hass.async_block_till_done()
    setup_entry.assert_awaited_once()  # reloaded once, by its update listener

    assert entry.state is ConfigEntryState.LOADED
    requests = len(simulator.requests)
    await hass.services.async_call(
        DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert simulator.requests[requests:]
    assert all(request.authorized for request in simulator.requests[requests:])

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.http(401), "invalid_auth"),
        (Fault.http(429), "quota_exceeded"),
        (Fault.text("<html>Bad gateway</html>"), "cannot_connect"),
        (Fault.status_code(190, "device internal error"), "unknown"),
    ],
)
@pytest.mark.usefixtures("mock_setup_entry")
async def test_user_step_shows_cloud_errors_then_recovers(
    hass: HomeAssistant,
    cloud: SwitchBotSimulator,
    fault: Fault,
    error: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = await start_user_flow(hass)
    cloud.inject(fault)
    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": error}
    # The form keeps what was typed.
    assert suggested(result, "token") == cloud.token
    unexpected_logged = "Unexpected error from the SwitchBot Cloud" in caplog.text
    assert unexpected_logged is (error == "unknown")

    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_wrong_secret_is_invalid_auth(hass: HomeAssistant, cloud: SwitchBotSimulator) -> None:
    result = await start_user_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], cloud, secret=WRONG_SECRET)
    assert result["errors"] == {"base": "invalid_auth"}


@pytest.mark.usefixtures("mock_setup_entry")
async def test_an_unreachable_cloud_is_cannot_connect(
    hass: HomeAssistant, cloud: SwitchBotSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from custom_components.switchbot_automation import account as cloud_session

    result = await start_user_flow(hass)
    await cloud.stop()  # nothing listens there any more
    monkeypatch.setattr(cloud_session, "DEFAULT_API_URL", "http://127.0.0.1:9")
    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["errors"] == {"base": "cannot_connect"}


async def test_an_account_cannot_be_set_up_twice(
    hass: HomeAssistant,
    cloud: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    add_entry()
    result = await start_user_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert cloud.requests == []  # refused before any call


async def test_an_account_without_an_air_conditioner_is_refused(
    hass: HomeAssistant, cloud: SwitchBotSimulator
) -> None:
    cloud.account.remove(AC_REMOTE_ID)
    result = await start_user_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_air_conditioners"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_sensor_entity_measures_the_room_of_an_account_without_a_meter(
    hass: HomeAssistant, cloud: SwitchBotSimulator
) -> None:
    cloud.account.remove(METER_ID)
    result = await start_user_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], cloud)
    assert result["step_id"] == "devices"
    assert "meter_device_id" not in {str(key) for key in result["data_schema"].schema}
    # Nothing measures the room: the form asks for a thermometer.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"aircon_device_id": AC_REMOTE_ID}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_thermometer"}
    sensors = {
        "temperature_entity_id": "sensor.living_room_temperature",
        "humidity_entity_id": "sensor.living_room_humidity",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"aircon_device_id": AC_REMOTE_ID, **sensors}
    )
    assert result["step_id"] == "window"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"days": ["0"], "start": "07:00:00", "end": "09:00:00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {
        **default_options(),
        **sensors,
        "aircon_device_id": AC_REMOTE_ID,
        "time_windows": [{"days": [0], "start": "07:00", "end": "09:00"}],
    }


@pytest.mark.parametrize(
    ("window", "errors"),
    [
        ({"days": [], "start": "07:00:00", "end": "09:00:00"}, {"days": "no_days"}),
        ({"days": ["2"], "start": "07:00:00", "end": "07:00:00"}, {"end": "same_start_end"}),
        (
            {"days": [], "start": "07:00:00", "end": "07:00"},
            {"days": "no_days", "end": "same_start_end"},
        ),
    ],
)
@pytest.mark.usefixtures("mock_setup_entry")
async def test_window_errors_are_shown_on_their_field(
    hass: HomeAssistant, cloud: SwitchBotSimulator, window: dict[str, Any], errors: dict[str, str]
) -> None:
    result = await start_user_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], cloud)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"meter_device_id": METER_ID, "aircon_device_id": AC_REMOTE_ID}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], window)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "window"
    assert result["errors"] == errors
    assert suggested(result, "days") == window["days"]  # what was typed stays

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"days": ["2"], "start": "07:00:00", "end": "09:00:00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"]["time_windows"] == [{"days": [2], "start": "07:00", "end": "09:00"}]


# --- Reauthentication ------------------------------------------------------------------------


async def test_reauth_stores_the_new_credentials(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    mock_setup_entry: AsyncMock,
) -> None:
    """An entry whose set-up failed on the refused token is started again."""
    entry = add_entry(token=EXPIRED_TOKEN)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["name"] == "Living Room AC"

    result = await submit_credentials(hass, result["flow_id"], simulator, token=simulator.token)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {
        "token": simulator.token,
        "secret": simulator.secret,
        "api_url": simulator.url,  # kept: it is where the account lives
    }
    assert entry.unique_id == account_unique_id(simulator.token)
    assert entry.options == stored_options()
    await hass.async_block_till_done()
    mock_setup_entry.assert_awaited_once()


async def test_reauth_refuses_bad_credentials(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    entry = add_entry(token=EXPIRED_TOKEN)
    result = await entry.start_reauth_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator, secret=WRONG_SECRET)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data["token"] == EXPIRED_TOKEN


async def test_reauth_refuses_another_account(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    entry = add_entry(
        token=EXPIRED_TOKEN, options=stored_options(meter_device_id="ANOTHER-ACCOUNTS-METER")
    )
    result = await entry.start_reauth_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "wrong_account"}
    assert entry.data["token"] == EXPIRED_TOKEN


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_with_the_same_token_needs_no_device_match(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    """Same token, same account: a new secret is accepted even if a device was replaced."""
    entry = add_entry(options=stored_options(meter_device_id="OLD-METER"))
    result = await entry.start_reauth_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reauth_refuses_the_token_of_another_entry(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    entry = add_entry(token=EXPIRED_TOKEN)
    other = add_entry()
    result = await entry.start_reauth_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data["token"] == EXPIRED_TOKEN
    assert other.unique_id == account_unique_id(simulator.token)


# --- Reconfiguration -------------------------------------------------------------------------


async def test_reconfigure_changes_credentials_and_devices(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    mock_setup_entry: AsyncMock,
) -> None:
    from switchbot_sim import VirtualDevice, VirtualRemote

    simulator.account.add_device(VirtualDevice("BEDROOM-METER", "Bedroom", "MeterPlus", HUB_ID))
    simulator.account.add_remote(VirtualRemote("BEDROOM-AC", "Bedroom AC", "DIY Air Conditioner"))
    entry = add_entry(token=EXPIRED_TOKEN, options={**stored_options(), "future_option": 1})
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert suggested(result, "token") is None  # asked anew, never sent to the browser
    assert suggested(result, "secret") is None

    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_devices"
    assert suggested(result, "meter_device_id") == METER_ID  # the current ones
    assert suggested(result, "aircon_device_id") == AC_REMOTE_ID
    assert select_labels(result, "meter_device_id")["BEDROOM-METER"] == "Bedroom (MeterPlus)"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"meter_device_id": "BEDROOM-METER", "aircon_device_id": "BEDROOM-AC"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        "token": simulator.token,
        "secret": simulator.secret,
        "api_url": simulator.url,
    }
    assert entry.unique_id == account_unique_id(simulator.token)
    assert entry.options == {
        **stored_options(meter_device_id="BEDROOM-METER", aircon_device_id="BEDROOM-AC"),
        "future_option": 1,
    }
    assert entry.title == "Living Room AC"
    await hass.async_block_till_done()
    mock_setup_entry.assert_awaited_once()  # it was not running: started with the change


async def test_reconfigure_moves_a_running_entry_to_other_devices(
    hass: HomeAssistant, simulator: SwitchBotSimulator, add_entry: Callable[..., MockConfigEntry]
) -> None:
    """The running entry drives the newly chosen devices once reconfigured."""
    from switchbot_sim import VirtualDevice, VirtualRemote

    simulator.account.add_device(VirtualDevice("BEDROOM-METER", "Bedroom", "MeterPlus", HUB_ID))
    simulator.account.add_remote(VirtualRemote("BEDROOM-AC", "Bedroom AC", "Air Conditioner"))
    entry = add_entry()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"meter_device_id": "BEDROOM-METER", "aircon_device_id": "BEDROOM-AC"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    requests = len(simulator.requests)
    await hass.services.async_call(
        DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert "/v1.1/devices/BEDROOM-METER/status" in [
        request.path for request in simulator.requests[requests:]
    ]
    # The device registry follows: the entry's devices are the chosen ones.
    devices = dr.async_get(hass)
    linked = {
        identifier
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
        for identifier in device.identifiers
    }
    assert {(DOMAIN, "BEDROOM-METER"), (DOMAIN, "BEDROOM-AC")} <= linked
    assert (DOMAIN, METER_ID) not in linked

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_preselects_available_devices(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    """A configured device the account lost is replaced by the first available one."""
    entry = add_entry(options=stored_options(meter_device_id="GONE"))
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["step_id"] == "reconfigure_devices"
    assert suggested(result, "meter_device_id") == METER_ID


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reconfigure_keeps_a_thermometer(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    """The meter may give way to a sensor entity, not to nothing; the sensor is preselected."""
    sensor = {"temperature_entity_id": "sensor.living_room_temperature"}
    entry = add_entry(options=stored_options(**sensor))
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert suggested(result, "temperature_entity_id") == sensor["temperature_entity_id"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"aircon_device_id": AC_REMOTE_ID}
    )
    assert result["errors"] == {"base": "no_thermometer"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"aircon_device_id": AC_REMOTE_ID, **sensor}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.options["meter_device_id"] == ""
    assert entry.options["temperature_entity_id"] == sensor["temperature_entity_id"]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (None, "wrong_account"),
        (Fault.http(403), "invalid_auth"),
        (Fault.http(503), "cannot_connect"),
        (Fault.http(429), "quota_exceeded"),
    ],
)
async def test_reconfigure_refuses_bad_credentials(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    fault: Fault | None,
    error: str,
) -> None:
    entry = add_entry(
        token=EXPIRED_TOKEN, options=stored_options(aircon_device_id="ANOTHER-ACCOUNTS-AC")
    )
    if fault is not None:
        simulator.inject(fault, times=2)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": error}
    assert suggested(result, "token") is None  # typed again: a secret is never sent back
    assert suggested(result, "secret") is None
    assert entry.data["token"] == EXPIRED_TOKEN


async def test_reconfigure_aborts_when_the_account_has_no_air_conditioner(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    entry = add_entry()
    simulator.account.remove(AC_REMOTE_ID)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_air_conditioners"
    assert TV_REMOTE_ID in simulator.account.remotes  # a TV remote is no air conditioner


def assert_secrets_kept_from_the_browser(step: dict[str, Any], entry: MockConfigEntry) -> None:
    """The step as the frontend gets it: two password fields, no stored credential in it."""
    assert [field["name"] for field in step["data_schema"]] == ["token", "secret"]
    for field in step["data_schema"]:
        assert field["selector"]["text"]["type"] == "password"
        assert "suggested_value" not in field.get("description", {})
    served = json.dumps(step)
    assert entry.data["token"] not in served
    assert entry.data["secret"] not in served


def served_schema(result: ConfigFlowResult) -> dict[str, Any]:
    """The form of ``result`` as the frontend gets it (the flow view's serialisation)."""
    return {
        "data_schema": voluptuous_serialize.convert(
            result["data_schema"], custom_serializer=cv.custom_serializer
        )
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_reauth_and_reconfigure_never_send_the_stored_secrets(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    """No stored credential reaches the browser, not even after the user typed it again."""
    entry = add_entry(
        token=EXPIRED_TOKEN, options=stored_options(aircon_device_id="ANOTHER-ACCOUNTS-AC")
    )
    for start in (entry.start_reauth_flow, entry.start_reconfigure_flow):
        result = await start(hass)
        assert_secrets_kept_from_the_browser(served_schema(result), entry)
        for token, error in ((simulator.token, "wrong_account"), (EXPIRED_TOKEN, "invalid_auth")):
            result = await hass.config_entries.flow.async_configure(
                result["flow_id"], {"token": token, "secret": simulator.secret}
            )
            assert result["type"] is FlowResultType.FORM
            assert result["errors"] == {"base": error}
            assert_secrets_kept_from_the_browser(served_schema(result), entry)
        hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reauth_and_reconfigure_forms_reach_the_frontend_labelled(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    entry = add_entry()

    async def served(flow_id: str) -> dict[str, Any]:
        response = await client.get(f"{FLOW_URL}/{flow_id}")
        assert response.status == HTTPStatus.OK
        step: dict[str, Any] = await response.json()
        return step

    reauth = await served((await entry.start_reauth_flow(hass))["flow_id"])
    assert reauth["step_id"] == "reauth_confirm"
    assert_labelled("config", reauth)
    assert_secrets_kept_from_the_browser(reauth, entry)

    reconfigure = await served((await entry.start_reconfigure_flow(hass))["flow_id"])
    assert reconfigure["step_id"] == "reconfigure"
    assert_labelled("config", reconfigure)
    assert_secrets_kept_from_the_browser(reconfigure, entry)
    devices = await post_json(
        client,
        f"{FLOW_URL}/{reconfigure['flow_id']}",
        {"token": simulator.token, "secret": simulator.secret},
    )
    assert devices["step_id"] == "reconfigure_devices"
    assert_labelled("config", devices)


# --- Translations ----------------------------------------------------------------------------


def _load(language: str) -> dict[str, Any]:
    return json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    leaves: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            leaves.update(_leaves(value, f"{prefix}{key}."))
        else:
            leaves[f"{prefix}{key}"] = value
    return leaves


@pytest.mark.parametrize("section", ["config", "options", "selector"])
def test_french_translates_every_english_text(section: str) -> None:
    english = _leaves(_load("en")[section])
    french = _leaves(_load("fr")[section])
    assert english.keys() == french.keys()
    for key, text in english.items():
        placeholders = {part.split("}")[0] for part in text.split("{")[1:]}
        assert placeholders == {part.split("}")[0] for part in french[key].split("{")[1:]}, key
        assert "[%key:" not in text
        assert "[%key:" not in french[key]


def test_every_engine_error_has_a_text() -> None:
    for language in ("en", "fr"):
        translations = _load(language)
        for flow in ("config", "options"):
            assert set(OptionError) <= translations[flow]["error"].keys(), (language, flow)
