"""The token and the secret never show: a full run logged at DEBUG level.

Set-up, ticks, every kind of cloud error (the cloud even echoing the credentials in its
messages), the services failing, diagnostics, re-authentication: nothing logged, raised,
shown in a state or a repair issue, or put in the diagnostics holds the token or the secret.
"""

import json
import logging
import traceback

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.switchbot_automation.cloud.client import (
    REQUEST_TIMEOUT,
    SwitchBotCloudClient,
)
from custom_components.switchbot_automation.cloud.exceptions import SwitchBotError
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.diagnostics import (
    async_get_config_entry_diagnostics,
)
from switchbot_sim import AC_REMOTE_ID, METER_ID, Fault, SwitchBotSimulator
from tests.integration_support import async_advance, async_setup_with

from .support import COLD, STATUS_PATH, STEADY_POLLING, async_spin_until, set_room

# The test plugin logs every storage write at DEBUG, config entries (and so the
# credentials) included: Home Assistant itself does not, and that logger is not ours.
HARNESS_LOGGER = "pytest_homeassistant_custom_component"


def _exception_text(err: BaseException) -> str:
    return "".join(traceback.format_exception(err)) + repr(err)


def _echoing(simulator: SwitchBotSimulator) -> list[Fault]:
    """Every kind of failed answer, some carrying the credentials as a careless server might."""
    token, secret = simulator.token, simulator.secret
    return [
        Fault.http(500, {"message": f"token {token} secret {secret}"}),
        Fault.text(f"<html>{token} {secret}</html>", http_status=502),
        Fault.text(f"not json {token}"),
        Fault.http(200, {"message": f"no status code for {token}"}),
        Fault.status_code(190, f"invalid token {token} / {secret}"),
        Fault.status_code(161, f"device offline ({secret})"),
        Fault.status_code(152, f"{token} has no such device"),
        Fault.http(403, {"message": f"forbidden {token}"}),
        Fault.http(429, {"message": f"too many requests for {token}"}),
        Fault.status_code(190, f"Requests reached the daily limit ({token})"),
    ]


async def test_credentials_never_show(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    simulator_client: SwitchBotCloudClient,
    *,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    entry = mock_config_entry
    texts: list[str] = []

    # The client's errors, for every failed answer.
    for fault in _echoing(simulator):
        simulator.inject(fault, times=2)
        with pytest.raises(SwitchBotError) as caught:
            await simulator_client.async_get_meter_reading(METER_ID)
        texts.append(_exception_text(caught.value))
        simulator.faults.clear()
    for fault in _echoing(simulator):
        simulator.inject(fault)
        with pytest.raises(SwitchBotError) as caught:
            await simulator_client.async_send_command(AC_REMOTE_ID, "turnOff")
        texts.append(_exception_text(caught.value))

    # A run of the integration meeting all of them, a timeout and a refused connection.
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    for fault in _echoing(simulator)[:-3]:  # the last ones stop the ticks for a while
        simulator.inject(fault, times=2, path=STATUS_PATH)
        await async_advance(hass, freezer, 15)
    simulator.inject(Fault.delayed(3 * REQUEST_TIMEOUT), path=STATUS_PATH)
    freezer.tick(15)
    async_fire_time_changed(hass)
    await async_spin_until(lambda: simulator.requests[-1].fault is not None)
    await async_advance(hass, freezer, REQUEST_TIMEOUT)
    await simulator.refuse_connections()
    await async_advance(hass, freezer, 15)
    await simulator.start()

    # The services failing, with the cloud's own words.
    for service, fault in (
        ("run_tick", Fault.status_code(161, f"offline {simulator.secret}")),
        ("quick_off", Fault.status_code(171, f"hub offline {simulator.token}")),
    ):
        simulator.inject(fault, times=None)
        with pytest.raises(HomeAssistantError) as failed:
            await hass.services.async_call(
                DOMAIN, service, {"config_entry_id": entry.entry_id}, blocking=True
            )
        texts.append(_exception_text(failed.value))
        simulator.faults.clear()
    await hass.async_block_till_done()

    # Refused credentials: re-authentication, with a wrong then the right secret.
    simulator.inject(Fault.http(401, {"message": f"Unauthorized {simulator.token}"}))
    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call(
            DOMAIN, "run_tick", {"config_entry_id": entry.entry_id}, blocking=True
        )
    texts.append(_exception_text(refused.value))
    simulator.inject(Fault.http(401, {"message": f"Unauthorized {simulator.token}"}))
    await async_advance(hass, freezer, 600)  # a scheduled tick refused too
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"token": simulator.token, "secret": "wrong secret"}
    )
    texts.append(repr(result))
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"token": simulator.token, "secret": simulator.secret}
    )
    assert result["type"] is FlowResultType.ABORT
    texts.append(repr(result))
    await hass.async_block_till_done()

    # The daily limit, with its repair issue.
    simulator.inject(Fault.http(429, {"message": f"limit {simulator.token}"}), times=None)
    await async_advance(hass, freezer, 600)
    simulator.faults.clear()

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    texts.append(json.dumps(diagnostics, default=str))
    texts.append(json.dumps([state.as_dict() for state in hass.states.async_all()], default=str))
    texts.append(repr(list(ir.async_get(hass).issues.values())))
    texts.append(repr(hass.config_entries.flow.async_progress()))
    texts.extend(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if not record.name.startswith(HARNESS_LOGGER)
    )
    caplog_text = "\n".join(texts)
    assert "Daily API quota reached" in caplog_text  # the run went that far
    assert "statusCode 190" in caplog_text
    assert "timed out" in caplog_text
    for credential in (simulator.token, simulator.secret):
        leaks = [text for text in texts if credential in text]
        assert leaks == [], credential
