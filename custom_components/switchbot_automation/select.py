"""The season selector (the ``mode`` option: winter heats, summer cools)."""

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .account_coordinator import SwitchBotAutomationConfigEntry
from .engine import Season
from .entity import SwitchBotAutomationControlEntity, add_room_entities

PARALLEL_UPDATES = 0

SEASON_SELECT = SelectEntityDescription(
    key="season",
    translation_key="season",
    entity_category=EntityCategory.CONFIG,
    options=[season.value for season in Season],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the season select of a config entry."""
    add_room_entities(entry, async_add_entities, lambda room: [SeasonSelect(room, SEASON_SELECT)])


class SeasonSelect(SwitchBotAutomationControlEntity, SelectEntity):
    """Chooses the profile; stored as an option, applied at once by a tick."""

    @property
    def current_option(self) -> str:
        """Return the selected season."""
        return self.coordinator.settings.mode

    async def async_select_option(self, option: str) -> None:
        """Select a season (the options are validated by Home Assistant)."""
        self.coordinator.async_set_option("mode", option)
