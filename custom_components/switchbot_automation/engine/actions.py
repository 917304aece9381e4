"""Building and sending ON / OFF / fan actions (``docs/behaviour.md``, "Sending actions").

An action is planned from the settings (scene or direct command, and the setting the AC is
assumed to have afterwards), sent (a failing scene falls back to the direct command), and
recorded in the state. The assumed setting is the same whichever way it was sent, so an ON
sent by scene is skipped as "already on" exactly like one sent by ``setAll``.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import logging
from typing import Any, Final

from .automation_state import ActionKind, AutomationState, OffRepeat
from .port import CloudPort, CloudRefusedError
from .settings import Settings

_LOGGER = logging.getLogger(__name__)

COMMAND_SET_ALL: Final = "setAll"
COMMAND_TURN_OFF: Final = "turnOff"
COMMAND_SCENE: Final = "scene"
DEFAULT_PARAMETER: Final = "default"
FAN_AC_MODE: Final = 4


@dataclass(frozen=True, slots=True)
class SentAction:
    """One command or scene sent: the data of the ``switchbot_automation_command`` event.

    ``command`` is ``"setAll"``, ``"turnOff"`` or ``"scene"``; ``parameter`` is the command's
    parameter (None for a scene) and ``scene_id`` the scene run (None for a command).
    """

    action: ActionKind
    command: str
    parameter: str | None
    scene_id: str | None
    reason: str
    repeat: bool

    def as_event_data(self) -> dict[str, Any]:
        """Return the event data, without ``config_entry_id`` (the caller adds it)."""
        return {
            "action": self.action,
            "command": self.command,
            "parameter": self.parameter,
            "scene_id": self.scene_id,
            "reason": self.reason,
            "repeat": self.repeat,
        }


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """How to carry out one action under the current settings.

    ``scene_id`` is tried first when not ``""``; ``command``/``parameter`` is the direct
    command (and the fallback). ``setting``/``mode`` are what the AC is assumed to run
    afterwards (None after an OFF).
    """

    kind: ActionKind
    scene_id: str
    command: str
    parameter: str
    setting: str | None
    mode: int | None


def format_temperature(value: float) -> str:
    """Format a setpoint for ``setAll``: ``21.0`` as ``"21"``, ``21.5`` as ``"21.5"``."""
    return str(int(value)) if value.is_integer() else str(value)


def set_all_parameter(target: float, ac_mode: int, fan_speed: int) -> str:
    """Return the ``setAll`` parameter that turns the AC on with this setting."""
    return f"{format_temperature(target)},{ac_mode},{fan_speed},on"


def plan_action(settings: Settings, kind: ActionKind) -> ActionPlan:
    """Plan ``kind`` with the selected season's profile and the configured scenes."""
    profile = settings.active_profile
    scenes = settings.aircon_scenes
    if kind == ActionKind.OFF:
        return ActionPlan(kind, scenes.off, COMMAND_TURN_OFF, DEFAULT_PARAMETER, None, None)
    if kind == ActionKind.ON:
        scene, mode = scenes.for_season(settings.mode), profile.ac_mode
    else:
        scene, mode = scenes.fan, FAN_AC_MODE
    parameter = set_all_parameter(profile.target_temp, mode, profile.fan_speed)
    return ActionPlan(kind, scene, COMMAND_SET_ALL, parameter, parameter, mode)


def is_in_effect(state: AutomationState, plan: ActionPlan) -> bool:
    """Whether the AC is assumed to run ``plan`` already, so sending it would change nothing.

    OFF: the AC is assumed off. ON or fan: assumed on with exactly the planned setting.
    """
    if plan.kind == ActionKind.OFF:
        return state.assumed_power is False
    return state.assumed_power is True and state.assumed_parameter == plan.setting


async def _transmit(
    client: CloudPort, device_id: str, plan: ActionPlan, reason: str, *, repeat: bool
) -> SentAction:
    """Send ``plan``: its scene if set, else (or if the cloud refused the scene) its command.

    Only a definite refusal of the scene falls back: a scene whose answer was lost (timeout,
    server error) may have run, and the unit would then receive both; other errors (auth,
    quota, offline) would fail the command the same way. They all propagate.
    """
    if plan.scene_id:
        try:
            await client.async_execute_scene(plan.scene_id)
        except CloudRefusedError as err:
            _LOGGER.warning(
                "Scene %s refused (%s), sending %s instead", plan.scene_id, err, plan.command
            )
        else:
            return SentAction(plan.kind, COMMAND_SCENE, None, plan.scene_id, reason, repeat)
    await client.async_send_command(device_id, plan.command, plan.parameter)
    return SentAction(plan.kind, plan.command, plan.parameter, None, reason, repeat)


def _after(now: datetime, seconds: int) -> datetime:
    """Return the instant ``seconds`` after ``now``, in UTC.

    Adding to an aware local time would be wall-clock arithmetic, wrong across DST changes.
    """
    return now.astimezone(UTC) + timedelta(seconds=seconds)


def _assume_sent(
    state: AutomationState, plan: ActionPlan, reason: str, now: datetime
) -> AutomationState:
    """Record that ``plan`` was sent at ``now``."""
    return replace(
        state,
        assumed_power=plan.kind != ActionKind.OFF,
        assumed_mode=plan.mode,
        assumed_parameter=plan.setting,
        last_action=plan.kind,
        last_action_at=now,
        last_action_reason=reason,
    )


def assume_unknown(
    state: AutomationState, kind: ActionKind, reason: str, now: datetime
) -> AutomationState:
    """Record a command of ``kind`` whose answer was lost at ``now``: it may have run.

    The AC's power becomes unknown, so the next decision sends its command whatever it is
    (an OFF is never skipped as ``already_off``); the cooldown runs from this attempt.
    """
    return replace(
        state,
        assumed_power=None,
        assumed_mode=None,
        assumed_parameter=None,
        last_action=kind,
        last_action_at=now,
        last_action_reason=reason,
    )


async def send_action(
    client: CloudPort,
    settings: Settings,
    state: AutomationState,
    kind: ActionKind,
    *,
    reason: str,
    now: datetime,
) -> tuple[AutomationState, SentAction]:
    """Send a newly decided action and return the updated state and what was sent.

    It supersedes any pending OFF repeat: an ON clears it; an OFF or fan action schedules
    ``off_repeat_count - 1`` repeats of itself (none when the count is 1). Errors of the
    cloud propagate, with nothing recorded.
    """
    plan = plan_action(settings, kind)
    sent = await _transmit(client, settings.aircon_device_id, plan, reason, repeat=False)
    repeat = None
    if kind != ActionKind.ON and settings.off_repeat_count > 1:
        interval = settings.off_repeat_interval_seconds
        repeat = OffRepeat(
            remaining=settings.off_repeat_count - 1,
            interval_seconds=interval,
            next_run_at=_after(now, interval),
            reason=reason,
            action=kind,
        )
    return replace(_assume_sent(state, plan, reason, now), off_repeat=repeat), sent


async def send_off_repeat(
    client: CloudPort,
    settings: Settings,
    state: AutomationState,
    repeat: OffRepeat,
    *,
    now: datetime,
) -> tuple[AutomationState, SentAction]:
    """Re-send the OFF of ``repeat`` (no cooldown, no "already off" check).

    Returns the state with one repeat fewer, the next one ``interval_seconds`` from now, or
    none left. Errors propagate, with nothing recorded: the caller decides whether the
    repeats go on (``tick``).
    """
    plan = plan_action(settings, repeat.action)
    sent = await _transmit(client, settings.aircon_device_id, plan, repeat.reason, repeat=True)
    remaining = repeat.remaining - 1
    following = (
        replace(
            repeat,
            remaining=remaining,
            next_run_at=_after(now, repeat.interval_seconds),
        )
        if remaining
        else None
    )
    return replace(_assume_sent(state, plan, repeat.reason, now), off_repeat=following), sent
