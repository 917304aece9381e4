"""The lock of an account's ticks: one tick at a time talks to the cloud for an account.

It belongs to the config entry, not to a coordinator: an unload waits for tasks ten seconds
at most, and a tick whose requests time out lasts longer. After a reload the new
coordinators read the stored states only once the old ones' last tick has ended and been
saved; a removal deletes the states only then (``async_remove_entry``).
"""

import asyncio

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

TICK_LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_tick_locks")


def entry_tick_lock(hass: HomeAssistant, entry_id: str) -> asyncio.Lock:
    """Return the lock of the entry's ticks, the same for every coordinator of the entry."""
    return hass.data.setdefault(TICK_LOCKS, {}).setdefault(entry_id, asyncio.Lock())
