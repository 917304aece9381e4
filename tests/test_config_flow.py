"""Tests of set-up, reauthentication and reconfiguration of the account in the UI.

Everything goes through Home Assistant's flow API (some tests through its HTTP API, as the
frontend does), and every request reaches the SwitchBot Cloud simulator over real HTTP:
errors are the simulator's answers (a wrong secret, an injected 429...), so the client's
error mapping is exercised as in production. The integration's set-up is replaced
(``mock_setup_entry``): these tests check the flows, not the runtime.
"""

from __future__ import annotations

from http import HTTPStatus
import json
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.setup import async_setup_component
import pytest
import voluptuous_serialize

from custom_components.switchbot_automation.account import account_unique_id
from custom_components.switchbot_automation.engine.options import OptionError
from switchbot_sim import AC_REMOTE_ID, METER_ID, Fault, SwitchBotSimulator
from tests.flow_fixtures import (
    DOMAIN,
    EXPIRED_TOKEN,
    FLOW_URL,
    TRANSLATIONS,
    account_data,
    add_bedroom_devices,
    assert_labelled,
    bedroom,
    form_suggestions,
    post_json,
    room,
    room_data,
    select_labels,
    suggested,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, ConfigSubentry
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


def the_room(entry: ConfigEntry) -> ConfigSubentry:
    """Return the only room of ``entry``."""
    [subentry] = entry.subentries.values()
    assert subentry.subentry_type == "room"
    return subentry


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
    assert suggested(result, "name") == "Living Room AC"  # the air conditioner's name

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": " Living room ", "meter_device_id": METER_ID, "aircon_device_id": AC_REMOTE_ID},
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
    assert result["title"] == "SwitchBot account"
    assert result["data"] == {"token": cloud.token, "secret": cloud.secret}
    # The account's options on the entry, the room's in its subentry.
    assert result["options"] == account_data()
    entry = result["result"]
    assert entry.version == 2
    assert entry.unique_id == account_unique_id(cloud.token)
    living_room = the_room(entry)
    assert living_room.title == "Living room"
    assert living_room.unique_id == AC_REMOTE_ID
    assert living_room.data == room_data(
        time_windows=[{"days": [0, 5], "start": "22:00", "end": "06:30"}]
    )
    assert [request.path for request in cloud.requests] == ["/v1.1/devices"]


async def test_a_new_user_sets_it_up_against_the_cloud(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cloud: SwitchBotSimulator,
    mock_setup_entry: AsyncMock,
) -> None:
    """Set up as the frontend does, over Home Assistant's HTTP API.

    Every form goes through the JSON serialisation the frontend receives, and each field is
    filled with what the form suggests or offers.
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
    assert entry.title == "SwitchBot account"
    assert entry.data == {"token": cloud.token, "secret": cloud.secret}
    assert entry.options == account_data()
    assert the_room(entry).title == "Living Room AC"
    assert the_room(entry).data == room_data()
    assert entry.state is ConfigEntryState.LOADED
    mock_setup_entry.assert_awaited_once()


async def test_a_running_entry_is_reloaded_by_its_listener_after_reauth(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    mock_setup_entry: AsyncMock,
) -> None:
    """The user regenerates the token in the app: reauth stores it, the entry's update
    listener (a running entry has one) applies it; the flow does not reload it itself.
    """
    entry = add_entry()
    listener = AsyncMock()
    entry.add_update_listener(listener)
    simulator.token = "regenerated-token"  # noqa: S105 - a test value
    result = await entry.start_reauth_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["token"] == "regenerated-token"  # noqa: S105 - a test value
    listener.assert_awaited_once_with(hass, entry)
    mock_setup_entry.assert_not_awaited()


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
        result["flow_id"], {"name": "Office", "aircon_device_id": AC_REMOTE_ID}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "no_thermometer"}
    assert suggested(result, "name") == "Office"  # what was typed stays
    sensors = {
        "temperature_entity_id": "sensor.living_room_temperature",
        "humidity_entity_id": "sensor.living_room_humidity",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "  ", "aircon_device_id": AC_REMOTE_ID, **sensors}
    )
    assert result["step_id"] == "window"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"days": ["0"], "start": "07:00:00", "end": "09:00:00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    office = the_room(result["result"])
    assert office.title == "Living Room AC"  # a blank name is the air conditioner's
    assert office.data == room_data(
        **sensors,
        meter_device_id="",
        time_windows=[{"days": [0], "start": "07:00", "end": "09:00"}],
    )


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
        result["flow_id"],
        {"name": "Living room", "meter_device_id": METER_ID, "aircon_device_id": AC_REMOTE_ID},
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
    assert the_room(result["result"]).data["time_windows"] == [
        {"days": [2], "start": "07:00", "end": "09:00"}
    ]


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
    assert result["description_placeholders"]["name"] == "SwitchBot account"

    result = await submit_credentials(hass, result["flow_id"], simulator, token=simulator.token)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {
        "token": simulator.token,
        "secret": simulator.secret,
        "api_url": simulator.url,  # kept: it is where the account lives
    }
    assert entry.unique_id == account_unique_id(simulator.token)
    assert entry.options == account_data()
    assert the_room(entry).data == room_data()
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
        token=EXPIRED_TOKEN, rooms=[room(room_data(meter_device_id="ANOTHER-ACCOUNTS-METER"))]
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
    entry = add_entry(rooms=[room(room_data(meter_device_id="OLD-METER"))])
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


async def test_reconfigure_changes_the_credentials_only(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    mock_setup_entry: AsyncMock,
) -> None:
    """New credentials of the same account; the rooms and the options are left as they are."""
    entry = add_entry(token=EXPIRED_TOKEN, options=account_data(future_option=1))
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert suggested(result, "token") is None  # asked anew, never sent to the browser
    assert suggested(result, "secret") is None

    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        "token": simulator.token,
        "secret": simulator.secret,
        "api_url": simulator.url,
    }
    assert entry.unique_id == account_unique_id(simulator.token)
    assert entry.options == account_data(future_option=1)
    assert the_room(entry).data == room_data()
    assert entry.title == "SwitchBot account"
    await hass.async_block_till_done()
    mock_setup_entry.assert_awaited_once()  # it was not running: started with the change


@pytest.mark.parametrize("start", ["reauth", "reconfigure"])
@pytest.mark.usefixtures("mock_setup_entry")
async def test_another_token_must_reach_the_devices_of_every_room(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
    start: str,
) -> None:
    """The account's fingerprint is the devices of all its rooms, the second one included."""
    entry = add_entry(token=EXPIRED_TOKEN, rooms=[room(), bedroom()])
    flow = entry.start_reauth_flow if start == "reauth" else entry.start_reconfigure_flow
    result = await flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "wrong_account"}  # the bedroom's devices are missing

    add_bedroom_devices(simulator)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == f"{start}_successful"
    assert entry.data["token"] == simulator.token
    assert [subentry.title for subentry in entry.subentries.values()] == [
        "Living Room",
        "Bedroom",
    ]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_room_measured_by_a_sensor_alone_needs_no_meter_in_the_account(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    sensor_only = room_data(meter_device_id="", temperature_entity_id="sensor.room")
    entry = add_entry(token=EXPIRED_TOKEN, rooms=[room(sensor_only)])
    simulator.account.remove(METER_ID)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["reason"] == "reconfigure_successful"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_an_account_without_rooms_takes_any_token(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    add_entry: Callable[..., MockConfigEntry],
) -> None:
    """Every room removed: no device to recognise the account by, nothing it drives."""
    entry = add_entry(token=EXPIRED_TOKEN, rooms=[])
    result = await entry.start_reconfigure_flow(hass)
    result = await submit_credentials(hass, result["flow_id"], simulator)
    assert result["reason"] == "reconfigure_successful"


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
        token=EXPIRED_TOKEN, rooms=[room(room_data(aircon_device_id="ANOTHER-ACCOUNTS-AC"))]
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
        token=EXPIRED_TOKEN, rooms=[room(room_data(aircon_device_id="ANOTHER-ACCOUNTS-AC"))]
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


@pytest.mark.parametrize("section", ["config", "config_subentries", "options", "selector"])
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
        for flow in (translations["config"], translations["config_subentries"]["room"]):
            assert set(OptionError) <= flow["error"].keys(), language
