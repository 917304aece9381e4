"""The unit's real power, from a Home Assistant entity: what it corrects in the assumptions.

An infrared unit reports nothing, so the engine assumes its power from the commands sent.
With ``power_entity_id`` (a plug's power, a contact on the unit, a running sensor), the
glue gives the tick what the entity says (``EntityInputs.power``) and this module makes the
assumption follow it (``docs/behaviour.md``, "Home Assistant inputs"): a unit switched by
hand is seen as it is, an OFF confirmed needs no repeat, and a command the unit did not take
(power unchanged ``COMMAND_CONFIRM_SECONDS`` after it) is sent again by the next decision,
up to ``COMMANDS_NOT_TAKEN_LIMIT`` times in a row; then the ticks hold their commands
(``command_not_taken``) until the power changes, and a repair issue says why.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from .automation_state import ActionKind, AutomationState
from .settings import Settings

COMMAND_CONFIRM_SECONDS: Final = 120
"""How long a unit is given to show a command took: an air conditioner's compressor or fan
may take a minute to draw power."""
COMMANDS_NOT_TAKEN_LIMIT: Final = 3
"""Commands in a row not taken before the ticks hold theirs and tell the user."""


def observe_power(
    settings: Settings, state: AutomationState, observed: bool | None, now: datetime
) -> AutomationState:
    """Return ``state`` corrected by the power entity's ``observed`` power at ``now``.

    Nothing changes without a power entity or while it says nothing usable (the assumption
    stands). A change of the observed power clears the count of commands not taken (the
    unit answered, or someone switched it); off clears the repeats of an OFF. Until the
    check of the last command, a power that differs from the assumed one is the unit
    answering late; at the check, it is a command not taken. Otherwise the observed power
    replaces the assumed one (the setting is then unknown).
    """
    if not settings.power_entity_id or observed is None:
        return state
    if observed != state.observed_power:
        state = replace(state, observed_power=observed, commands_not_taken=0)
    repeat = state.off_repeat
    if not observed and repeat is not None and repeat.action is ActionKind.OFF:
        state = replace(state, off_repeat=None)
    check = state.power_check_at
    if check is not None and now < check and observed != state.assumed_power:
        return state
    if check is not None:
        taken = state.assumed_power in (None, observed)
        state = replace(
            state,
            power_check_at=None,
            commands_not_taken=0 if taken else state.commands_not_taken + 1,
        )
    if observed != state.assumed_power:
        state = replace(state, assumed_power=observed, assumed_mode=None, assumed_parameter=None)
    return state


def check_after_command(
    settings: Settings, state: AutomationState, now: datetime
) -> AutomationState:
    """Return ``state`` with the check of a command sent at ``now`` (with a power entity)."""
    if not settings.power_entity_id:
        return state
    return replace(state, power_check_at=now + timedelta(seconds=COMMAND_CONFIRM_SECONDS))


def commands_held(settings: Settings, state: AutomationState) -> bool:
    """Whether the ticks hold their commands: too many in a row were not taken."""
    return bool(settings.power_entity_id) and state.commands_not_taken >= COMMANDS_NOT_TAKEN_LIMIT
