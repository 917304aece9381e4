"""The options flow of the entry: the account's options, one form.

The SwitchBot daily quota is the account's, shared by all its rooms: its budget and the
warning threshold are set here once (``Page.ACCOUNT``). A room's settings are changed by
reconfiguring the room (``room_flow``). The form is checked with the engine's validation
and saved over the stored options, so keys it does not show are never dropped; the
integration applies new options through its update listener.
"""

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow

from .engine import settings_from_options, validate_options, zone_exists
from .flow_schemas import ACCOUNT_SCHEMA, whole_numbers


class AccountOptionsFlow(OptionsFlow):
    """The account's options: the daily call budget and the quota warning threshold."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the account's options, or check and save them."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_options(user_input, is_valid_timezone=zone_exists)
            if not errors:
                return self.async_create_entry(
                    data={**self.config_entry.options, **whole_numbers(user_input)}
                )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                ACCOUNT_SCHEMA,
                user_input or settings_from_options(self.config_entry.options).to_options(),
            ),
            errors=errors,
        )
