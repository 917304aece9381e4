"""Set-up, reauthentication and reconfiguration of SwitchBot Automation in the UI.

Set-up asks for the account's token and secret (proved by listing its devices), then the
thermometer (a SwitchBot meter, a Home Assistant temperature sensor, or both: the meter
then stands in while the sensor is unavailable) and the air conditioner, then a first time
window; the other settings start at
the engine's defaults and are changed in the options flow (``options_flow``).

The unique id is a digest of the token, so a new token of the same account cannot be
recognised by it: reauthentication and reconfiguration accept other credentials only when
their account holds the devices the entry drives (``wrong_account`` otherwise). They update
the entry and finish: a running entry's update listener reloads it for new credentials or
devices, and an entry that is not running is started here (see ``_async_update_account``).

Both ask for the token and the secret anew, as Home Assistant's own integrations do: the
stored ones are never sent to the browser, not even as suggested values, and neither is
what was typed once the cloud refused it.
"""

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_TOKEN
from homeassistant.core import callback

from .account import (
    CloudStepError,
    account_unique_id,
    async_fetch_devices,
    holds_configured_devices,
)
from .cloud import DeviceList
from .const import DOMAIN
from .engine import DEFAULT_SETTINGS, default_options
from .flow_schemas import (
    CREDENTIALS_SCHEMA,
    WINDOW_SCHEMA,
    credentials_from_form,
    devices_form_values,
    devices_from_form,
    devices_schema,
    has_thermometer,
    window_form_values,
    window_from_form,
)
from .options_flow import SwitchBotAutomationOptionsFlow

ERROR_WRONG_ACCOUNT: Final = "wrong_account"
ERROR_NO_THERMOMETER: Final = "no_thermometer"
ABORT_NO_AIR_CONDITIONERS: Final = "no_air_conditioners"


class SwitchBotAutomationConfigFlow(ConfigFlow, domain=DOMAIN):
    """Config flow of SwitchBot Automation: one entry per SwitchBot account."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known about the account."""
        self._credentials: dict[str, str] = {}
        self._devices = DeviceList(devices=(), remotes=())
        self._device_choice: dict[str, str] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SwitchBotAutomationOptionsFlow:
        """Return the options flow (Home Assistant gives it the entry)."""
        return SwitchBotAutomationOptionsFlow()

    # --- Set-up --------------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the token and secret; check them by listing the account's devices."""
        errors: dict[str, str] = {}
        if user_input is not None:
            credentials = credentials_from_form(user_input)
            # Before any call: a configured account needs no request to be refused.
            await self.async_set_unique_id(account_unique_id(credentials[CONF_TOKEN]))
            self._abort_if_unique_id_configured()
            try:
                self._devices = await async_fetch_devices(self.hass, credentials)
            except CloudStepError as err:
                errors["base"] = err.error_key
            else:
                self._credentials = credentials
                return await self.async_step_devices()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(CREDENTIALS_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_devices(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the thermometer and the air conditioner among the account's devices."""
        if user_input is not None:
            choice = devices_from_form(user_input)
            if has_thermometer(choice):
                self._device_choice = choice
                return await self.async_step_window()
        return self._async_show_devices_form("devices", {}, user_input)

    async def async_step_window(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the first time window, then create the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            window, errors = window_from_form(user_input)
            if window is not None:
                aircon_id = self._device_choice["aircon_device_id"]
                return self.async_create_entry(
                    title=next(
                        remote.name
                        for remote in self._devices.air_conditioners
                        if remote.device_id == aircon_id
                    ),
                    data=self._credentials,
                    options={
                        **default_options(),
                        **self._device_choice,
                        "time_windows": [window],
                    },
                )
        return self.async_show_form(
            step_id="window",
            data_schema=self.add_suggested_values_to_schema(
                WINDOW_SCHEMA,
                user_input or window_form_values(DEFAULT_SETTINGS.time_windows[0].to_option()),
            ),
            errors=errors,
        )

    # --- Reauthentication ----------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start reauthentication when the cloud refuses the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new token and secret of the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = await self._async_check_account(entry, user_input)
            if not errors:
                return self._async_update_account(entry, entry.options, "reauth_successful")
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=CREDENTIALS_SCHEMA,
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    # --- Reconfiguration -----------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the token and secret again (same account), then change the devices."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = await self._async_check_account(entry, user_input)
            if not errors:
                return await self.async_step_reconfigure_devices()
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=CREDENTIALS_SCHEMA,
            errors=errors,
        )

    async def async_step_reconfigure_devices(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the thermometer and the air conditioner; the current ones are preselected."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            devices = devices_from_form(user_input)
            if has_thermometer(devices):
                return self._async_update_account(
                    entry, {**entry.options, **devices}, "reconfigure_successful"
                )
        return self._async_show_devices_form("reconfigure_devices", entry.options, user_input)

    # --- Shared by the steps -------------------------------------------------------------

    def _async_show_devices_form(
        self, step_id: str, current: Mapping[str, Any], user_input: Mapping[str, Any] | None
    ) -> ConfigFlowResult:
        """Show the device dropdowns, or abort when the account has no air conditioner.

        A form submitted without any thermometer (neither a meter nor a sensor) comes back
        with ``no_thermometer``.
        """
        if not self._devices.air_conditioners:
            return self.async_abort(reason=ABORT_NO_AIR_CONDITIONERS)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                devices_schema(self._devices),
                user_input or devices_form_values(self._devices, current),
            ),
            errors={"base": ERROR_NO_THERMOMETER} if user_input is not None else {},
        )

    async def _async_check_account(
        self, entry: ConfigEntry, user_input: Mapping[str, Any]
    ) -> dict[str, str]:
        """Check credentials typed for ``entry``; keep them and the devices when they pass.

        The same token is the same account. Another token must reach an account holding
        the entry's thermometer and air conditioner. The entry's ``api_url``, if any, is
        kept: it is where the entry's account lives.
        """
        credentials = credentials_from_form(user_input)
        try:
            devices = await async_fetch_devices(self.hass, {**entry.data, **credentials})
        except CloudStepError as err:
            return {"base": err.error_key}
        same_token = account_unique_id(credentials[CONF_TOKEN]) == entry.unique_id
        if not same_token and not holds_configured_devices(devices, entry.options):
            return {"base": ERROR_WRONG_ACCOUNT}
        self._credentials = credentials
        self._devices = devices
        return {}

    def _async_update_account(
        self, entry: ConfigEntry, options: Mapping[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Store the checked credentials (and ``options``) in ``entry``, then finish.

        The unique id follows the token; a token another entry already uses is refused, as
        set-up refuses it, so one account never ends up with two tick loops.

        A running entry applies the change through its update listener, which reloads it
        for new credentials or devices: Home Assistant (2026.6 on) reports a flow that
        reloads an entry having an update listener. An entry that is not running (its
        set-up failed, e.g. on the refused token) has no listener: it is reloaded here.
        """
        unique_id = account_unique_id(self._credentials[CONF_TOKEN])
        other = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
        if other is not None and other.entry_id != entry.entry_id:
            return self.async_abort(reason="already_configured")
        # Read before updating: the listener may start unloading the entry at once.
        running = bool(entry.update_listeners)
        self.hass.config_entries.async_update_entry(
            entry, unique_id=unique_id, data={**entry.data, **self._credentials}, options=options
        )
        if not running:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)
