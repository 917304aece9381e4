"""The automation state on disk, so it survives a restart (``docs/behaviour.md``, "Persistence").

The pending OFF repeat, the assumed AC state, the daily call count and the last reading live
in one ``Store`` document per config entry. Reading never fails: an unreadable or garbled
document gives a fresh state and a warning, because a dead integration is worse than a
forgotten assumed AC state.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import RESET_MARGIN, AutomationState, Warn, next_utc_midnight

STORAGE_VERSION: Final = 1
SAVE_INTERVAL: Final = timedelta(minutes=5)
"""How often the state is written when nothing essential changed: at most 288 writes a day
besides the commands, for the SD cards many installations run on."""
# What a restart must never lose: the assumed AC state and the last action (a command was
# sent), the pending OFF repeats, the failures in a row, the quota pause.
_ESSENTIAL: Final = (
    "assumed_power",
    "assumed_mode",
    "assumed_parameter",
    "last_action",
    "last_action_at",
    "last_action_reason",
    "off_repeat",
    "command_failures",
)
_ESSENTIAL_QUOTA: Final = ("exhausted_until", "refusals")
LONGEST_REPEAT_WAIT: Final = timedelta(hours=2)
"""The furthest ahead an OFF repeat can be due: its interval (at most 600 s), or the base
poll interval (at most an hour) when a failed repeat waits for the next tick."""

# What ``Store.async_load`` raises on a document that is not a ``{"version", "data"}`` object
# (KeyError, TypeError, ValueError), of an unknown version (NotImplementedError: there is no
# migration), or that cannot be read at all (HomeAssistantError, OSError).
_UNREADABLE: Final = (
    HomeAssistantError,
    KeyError,
    NotImplementedError,
    OSError,
    TypeError,
    ValueError,
)


def storage_key(entry_id: str) -> str:
    """Return the storage key of a config entry's state."""
    return f"{DOMAIN}.{entry_id}"


def checked_against_clock(state: AutomationState, now: datetime, warn: Warn) -> AutomationState:
    """Undo the waits a stored state cannot hold at ``now`` (a corrupt file, a clock set back).

    Each would otherwise hold the automation for as long as it lasts: a daily limit ends at
    the next 00:00 UTC at the latest (until then no call is made), and an OFF repeat is due
    within ``LONGEST_REPEAT_WAIT`` (until then a window's OFF is not sent): a later one is
    due at once.
    """
    quota = state.quota
    if quota.exhausted_until is not None and quota.exhausted_until > (
        next_utc_midnight(now) + RESET_MARGIN
    ):
        warn(
            f"Stored automation state: daily limit until {quota.exhausted_until.isoformat()}, "
            "after the next 00:00 UTC: ignoring it"
        )
        quota.exhausted_until = None
    repeat = state.off_repeat
    if repeat is not None and repeat.next_run_at > now + LONGEST_REPEAT_WAIT:
        warn(
            f"Stored automation state: OFF repeat due at {repeat.next_run_at.isoformat()}, "
            "too far ahead: due now"
        )
        state = replace(state, off_repeat=replace(repeat, next_run_at=now))
    return state


def _essential(data: dict[str, Any]) -> tuple[Any, ...]:
    quota = data.get("quota") or {}
    return (
        *(data.get(key) for key in _ESSENTIAL),
        *(quota.get(key) for key in _ESSENTIAL_QUOTA),
    )


class AutomationStateStore:
    """Loads and saves one config entry's ``AutomationState``.

    A save only writes when the serialised state differs from the last one read or written,
    and never before the stored state was read: a set-up that failed early must not replace
    the stored state with a fresh one.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the store of ``entry_id``; nothing is read yet."""
        self._store = Store[dict[str, Any]](hass, STORAGE_VERSION, storage_key(entry_id))
        self._written: dict[str, Any] | None = None
        self._written_at: datetime | None = None

    async def async_load(self, warn: Warn) -> AutomationState:
        """Return the stored state, a recovered part of it, or a fresh one (see module)."""
        try:
            data = await self._store.async_load()
        except _UNREADABLE as err:
            warn(f"Stored automation state is unreadable ({type(err).__name__}), starting afresh")
            data = None
        state = AutomationState() if data is None else AutomationState.from_dict(data, warn=warn)
        self._written = state.to_dict()
        return checked_against_clock(state, dt_util.utcnow(), warn)

    async def async_save(self, state: AutomationState) -> None:
        """Write ``state`` now if it changed since it was last read or written."""
        await self._async_write(state, due=lambda _data, _written: True)

    async def async_save_if_due(self, state: AutomationState) -> None:
        """Write ``state`` now if something essential changed, else every ``SAVE_INTERVAL``.

        Essential: what a command, a repeat or a quota answer changed (see ``_ESSENTIAL``).
        The rest (the reading, the call count, the last outcome) waits for the next periodic
        write or the stop: losing a few minutes of it to a crash costs nothing.
        """
        now = dt_util.utcnow()

        def due(data: dict[str, Any], written: dict[str, Any]) -> bool:
            return (
                _essential(data) != _essential(written)
                or self._written_at is None
                or now - self._written_at >= SAVE_INTERVAL
            )

        await self._async_write(state, due=due)

    async def _async_write(
        self, state: AutomationState, *, due: Callable[[dict[str, Any], dict[str, Any]], bool]
    ) -> None:
        if self._written is None:
            return
        data = state.to_dict()
        if data != self._written and due(data, self._written):
            await self._store.async_save(data)
            self._written = data
            self._written_at = dt_util.utcnow()

    async def async_remove(self) -> None:
        """Delete the stored document (the config entry is being removed)."""
        await self._store.async_remove()
