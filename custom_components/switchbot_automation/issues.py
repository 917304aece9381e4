"""Repair issues: conditions the user should know about and that no tick can fix.

Each issue belongs to one config entry (several SwitchBot accounts may be set up), so its id
starts with the entry id; its translation key is the kind of issue. None of them is fixable
from the repairs dashboard: the user changes an option or waits, and the integration deletes
the issue by itself once the condition is gone.
"""

from collections.abc import Mapping
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

ISSUE_INVALID_TIMEZONE: Final = "invalid_timezone"
ISSUE_DEVICE_MISSING: Final = "device_missing"
ISSUE_QUOTA_EXHAUSTED: Final = "quota_exhausted"
ISSUE_STALE_READING: Final = "stale_reading"
ISSUE_COMMAND_FAILING: Final = "command_failing"
ISSUE_COMMAND_NOT_TAKEN: Final = "command_not_taken"


def _issue_id(entry_id: str, kind: str, qualifier: str | None) -> str:
    return f"{entry_id}_{kind}" if qualifier is None else f"{entry_id}_{kind}_{qualifier}"


@callback
def async_set_issue(
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    *,
    active: bool,
    placeholders: Mapping[str, str] | None = None,
    qualifier: str | None = None,
) -> None:
    """Raise (``active``) or clear the issue ``kind`` of ``entry``.

    ``qualifier`` tells apart several issues of one kind (e.g. one per missing device); the
    entry's title is always available to the text as ``{entry_title}``.
    """
    issue_id = _issue_id(entry.entry_id, kind, qualifier)
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
        translation_placeholders={"entry_title": entry.title, **(placeholders or {})},
    )


@callback
def async_delete_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every issue of a removed config entry."""
    registry = ir.async_get(hass)
    prefix = f"{entry_id}_"
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
