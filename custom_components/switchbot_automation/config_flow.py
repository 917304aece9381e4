"""Set-up, reauthentication and reconfiguration of a SwitchBot account in the UI.

One entry per SwitchBot account: ``entry.data`` holds its credentials, ``entry.options`` the
account's options (its daily call budget and quota warning, changed in the options flow,
``options_flow``), and each room is a config subentry (``room_flow``).

Set-up asks for the account's token and secret (proved by listing its devices), then the
first room: its name, its thermometer (a SwitchBot meter, a Home Assistant temperature
sensor, or both: the meter then stands in while the sensor is unavailable) and its air
conditioner, then a first time window (``RoomDeviceSteps``, shared with "Add room"). The
room's other settings start at the engine's defaults and are changed in the room's
settings; more rooms are added from the entry.

The unique id is a digest of the token, so a new token of the same account cannot be
recognised by it: reauthentication and reconfiguration accept other credentials only when
their account holds the devices every room drives (``wrong_account`` otherwise). They update
the entry's credentials and finish: a running entry's update listener reloads it for new
credentials, and an entry that is not running is started here (see ``_async_update_account``).
The devices are a room's, changed in the room's settings.

Both ask for the token and the secret anew, as Home Assistant's own integrations do: the
stored ones are never sent to the browser, not even as suggested values, and neither is
what was typed once the cloud refused it.
"""

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryData,
    ConfigSubentryFlow,
)
from homeassistant.const import CONF_TOKEN
from homeassistant.core import callback

from .account import (
    CloudStepError,
    account_unique_id,
    async_fetch_devices,
    holds_configured_devices,
    rooms_of,
)
from .const import DOMAIN, SUBENTRY_ROOM
from .engine import account_options, default_options
from .flow_schemas import CREDENTIALS_SCHEMA, credentials_from_form
from .options_flow import AccountOptionsFlow
from .room_flow import RoomDeviceSteps, RoomSubentryFlow

ERROR_WRONG_ACCOUNT: Final = "wrong_account"
ENTRY_TITLE: Final = "SwitchBot account"
"""The title of a new entry, the account's (the rooms are titled by their names)."""


class SwitchBotAutomationConfigFlow(RoomDeviceSteps[ConfigFlowResult], ConfigFlow, domain=DOMAIN):
    """Config flow of SwitchBot Automation: one entry per SwitchBot account."""

    VERSION = 2

    def __init__(self) -> None:
        """Start with nothing known about the account."""
        super().__init__()
        self._credentials: dict[str, str] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> AccountOptionsFlow:
        """Return the options flow of the account (Home Assistant gives it the entry)."""
        return AccountOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentries of an account: its rooms."""
        return {SUBENTRY_ROOM: RoomSubentryFlow}

    # --- Set-up --------------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the token and secret; check them by listing the account's devices."""
        errors: dict[str, str] = {}
        if user_input is not None:
            credentials = credentials_from_form(user_input)
            # Before any call: a configured account needs no request to be refused.
            await self.async_set_unique_id(account_unique_id(credentials[CONF_TOKEN]))
            self._abort_if_unique_id_configured()
            self._credentials = credentials
            fetched = await self._async_fetch_devices()
            if isinstance(fetched, str):
                errors["base"] = fetched
            else:
                return await self.async_step_devices()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(CREDENTIALS_SCHEMA, user_input),
            errors=errors,
        )

    @property
    def _account_data(self) -> Mapping[str, Any]:
        return self._credentials

    def _aircons_taken(self) -> set[str]:
        return set()  # a new account has no room yet

    def _room_shown(self) -> tuple[str, Mapping[str, Any]]:
        return "", {}

    async def _async_devices_chosen(self, name: str, devices: dict[str, str]) -> ConfigFlowResult:
        return await self._async_first_window(name, devices)

    def _async_create_room(
        self, title: str, data: dict[str, Any], unique_id: str
    ) -> ConfigFlowResult:
        """Create the account's entry with its first room."""
        return self.async_create_entry(
            title=ENTRY_TITLE,
            data=self._credentials,
            options=account_options(default_options()),
            subentries=[
                ConfigSubentryData(
                    data=data, subentry_type=SUBENTRY_ROOM, title=title, unique_id=unique_id
                )
            ],
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
                return self._async_update_account(entry, "reauth_successful")
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
        """Ask for the token and secret again: the current ones or new ones of the account."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = await self._async_check_account(entry, user_input)
            if not errors:
                return self._async_update_account(entry, "reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=CREDENTIALS_SCHEMA,
            errors=errors,
        )

    # --- Shared by the steps -------------------------------------------------------------

    async def _async_check_account(
        self, entry: ConfigEntry, user_input: Mapping[str, Any]
    ) -> dict[str, str]:
        """Check credentials typed for ``entry``; keep them when they pass.

        The same token is the same account. Another token must reach an account holding
        the thermometer and the air conditioner of every room. The entry's ``api_url``, if
        any, is kept: it is where the entry's account lives.
        """
        credentials = credentials_from_form(user_input)
        try:
            devices = await async_fetch_devices(self.hass, {**entry.data, **credentials})
        except CloudStepError as err:
            return {"base": err.error_key}
        same_token = account_unique_id(credentials[CONF_TOKEN]) == entry.unique_id
        rooms = [room.data for room in rooms_of(entry)]
        if not same_token and not holds_configured_devices(devices, rooms):
            return {"base": ERROR_WRONG_ACCOUNT}
        self._credentials = credentials
        return {}

    def _async_update_account(self, entry: ConfigEntry, reason: str) -> ConfigFlowResult:
        """Store the checked credentials in ``entry``, then finish.

        The unique id follows the token; a token another entry already uses is refused, as
        set-up refuses it, so one account never ends up with two tick loops.

        A running entry applies the change through its update listener, which reloads it
        for new credentials: Home Assistant (2026.6 on) reports a flow that
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
            entry, unique_id=unique_id, data={**entry.data, **self._credentials}
        )
        if not running:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)
