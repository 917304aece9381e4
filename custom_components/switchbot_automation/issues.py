"""Repair issues: conditions the user should know about and that no tick can fix.

Each issue belongs to one config entry (several SwitchBot accounts may be set up) or to one
of its rooms (config subentries), so its id starts with the entry's or the room's id; its
translation key is the kind of issue, and its text names the entry or the room
(``{entry_title}``). None of them is fixable
from the repairs dashboard: the user changes an option or waits, and the integration deletes
the issue by itself once the condition is gone.
"""

from collections.abc import Mapping
from typing import Final

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

ISSUE_INVALID_TIMEZONE: Final = "invalid_timezone"
ISSUE_DEVICE_MISSING: Final = "device_missing"
ISSUE_QUOTA_EXHAUSTED: Final = "quota_exhausted"
ISSUE_STALE_READING: Final = "stale_reading"
ISSUE_COMMAND_FAILING: Final = "command_failing"
ISSUE_COMMAND_NOT_TAKEN: Final = "command_not_taken"


def _issue_id(owner_id: str, kind: str, qualifier: str | None) -> str:
    return f"{owner_id}_{kind}" if qualifier is None else f"{owner_id}_{kind}_{qualifier}"


def _owner_id(owner: ConfigEntry | ConfigSubentry) -> str:
    return owner.entry_id if isinstance(owner, ConfigEntry) else owner.subentry_id


@callback
def async_set_issue(
    hass: HomeAssistant,
    owner: ConfigEntry | ConfigSubentry,
    kind: str,
    *,
    active: bool,
    placeholders: Mapping[str, str] | None = None,
    qualifier: str | None = None,
) -> None:
    """Raise (``active``) or clear the issue ``kind`` of an entry or a room (``owner``).

    ``qualifier`` tells apart several issues of one kind (e.g. one per missing device); the
    owner's title is always available to the text as ``{entry_title}``.
    """
    issue_id = _issue_id(_owner_id(owner), kind, qualifier)
    if not active:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders={"entry_title": owner.title, **(placeholders or {})},
    )


@callback
def async_delete_owner_issues(hass: HomeAssistant, owner_id: str) -> None:
    """Delete every issue of a removed config entry or room."""
    registry = ir.async_get(hass)
    prefix = f"{owner_id}_"
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
