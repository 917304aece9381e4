"""The rooms of a SwitchBot account: adding one, and its settings (a config subentry flow).

A room is a config subentry of the account's entry (``SUBENTRY_ROOM``): its title is the
room's name, its data all the room's options, and its unique id the air conditioner it
drives, since one unit cannot be driven by two rooms. The air conditioners other rooms
drive are not offered; when every one of them has its room, there is no room to add.

``RoomDeviceSteps`` holds the steps a new room goes through, shared by the config flow
(the first room, with the account) and "Add room" here: the devices with the room's name,
then the first time window. The devices step is also the room's devices page, where its
name, thermometer and air conditioner are changed.

Reconfiguring a room opens the menu of its settings: the devices page, and the settings
pages of ``room_pages``, which read the room's options (the account's merged in, as the
engine reads them) and save their changes into the subentry's data.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Final

from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.data_entry_flow import FlowHandler, FlowResult

from .account import CloudStepError, async_fetch_devices, rooms_of
from .cloud import DeviceList
from .engine import DEFAULT_SETTINGS, account_options, default_options, room_options
from .flow_schemas import (
    WINDOW_SCHEMA,
    devices_form_values,
    devices_from_form,
    devices_schema,
    has_thermometer,
    room_name_from_form,
    window_form_values,
    window_from_form,
)
from .room_pages import RoomSettingsPages

ERROR_NO_THERMOMETER: Final = "no_thermometer"
ABORT_NO_AIR_CONDITIONERS: Final = "no_air_conditioners"
ABORT_NO_FREE_AIR_CONDITIONER: Final = "no_free_air_conditioner"


class RoomDeviceSteps[ResultT: FlowResult[Any, Any]](FlowHandler[Any, ResultT, Any], ABC):
    """The devices and first-window steps of a new room; the devices page of a room.

    The flow says which account (``_account_data``), which air conditioners other rooms
    already drive, what the form shows first (``_room_shown``) and what becomes of the
    choice (``_async_devices_chosen``, ``_async_create_room``).
    """

    def __init__(self) -> None:
        """Start with nothing known about the account or the room."""
        super().__init__()
        self._devices: DeviceList | None = None
        self._room_name = ""
        self._room_devices: dict[str, str] = {}

    # --- What the flow using the steps defines -------------------------------------------

    @property
    @abstractmethod
    def _account_data(self) -> Mapping[str, Any]:
        """The credentials of the account whose devices are listed."""

    @abstractmethod
    def _aircons_taken(self) -> set[str]:
        """Return the air conditioners other rooms drive: they are not offered."""

    @abstractmethod
    def _room_shown(self) -> tuple[str, Mapping[str, Any]]:
        """Return the room's name and options the devices form preselects (new room: none)."""

    @abstractmethod
    async def _async_devices_chosen(self, name: str, devices: dict[str, str]) -> ResultT:
        """Go on once the room's name and devices are chosen."""

    @abstractmethod
    def _async_create_room(self, title: str, data: dict[str, Any], unique_id: str) -> ResultT:
        """Create the room: its name, its options, its air conditioner."""

    # --- The steps -----------------------------------------------------------------------

    async def async_step_devices(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Choose the room's name, its thermometer and its air conditioner.

        The account's devices are listed once (set-up has them from its credentials step);
        when the cloud fails, the form shows the error and submitting it tries again. An
        account without a free air conditioner has no room to offer: the flow aborts. A
        form submitted without any thermometer (neither a meter nor a sensor) comes back
        with ``no_thermometer``.
        """
        devices = self._devices
        if devices is None:
            fetched = await self._async_fetch_devices()
            if isinstance(fetched, str):
                return self.async_show_form(step_id="devices", errors={"base": fetched})
            devices, user_input = fetched, None  # the retry form chose nothing
        taken = self._aircons_taken()
        offered = DeviceList(
            devices=devices.devices,
            remotes=tuple(
                remote for remote in devices.air_conditioners if remote.device_id not in taken
            ),
        )
        if not offered.remotes:
            return self.async_abort(
                reason=ABORT_NO_FREE_AIR_CONDITIONER
                if devices.air_conditioners
                else ABORT_NO_AIR_CONDITIONERS
            )
        if user_input is not None:
            choice = devices_from_form(user_input)
            if has_thermometer(choice):
                return await self._async_devices_chosen(
                    room_name_from_form(user_input, offered), choice
                )
        name, current = self._room_shown()
        return self.async_show_form(
            step_id="devices",
            data_schema=self.add_suggested_values_to_schema(
                devices_schema(offered), user_input or devices_form_values(offered, current, name)
            ),
            errors={"base": ERROR_NO_THERMOMETER} if user_input is not None else {},
        )

    async def _async_fetch_devices(self) -> DeviceList | str:
        """List the account's devices and keep them; the form error when the cloud fails."""
        try:
            self._devices = await async_fetch_devices(self.hass, self._account_data)
        except CloudStepError as err:
            return err.error_key
        return self._devices

    async def _async_first_window(self, name: str, devices: dict[str, str]) -> ResultT:
        """Keep the new room's name and devices, then ask for its first window."""
        self._room_name = name
        self._room_devices = devices
        return await self.async_step_window()

    async def async_step_window(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Ask for the new room's first time window, then create the room.

        Its other settings start at the engine's defaults, changed later in its settings.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            window, errors = window_from_form(user_input)
            if window is not None:
                return self._async_create_room(
                    self._room_name,
                    room_options(
                        {**default_options(), **self._room_devices, "time_windows": [window]}
                    ),
                    self._room_devices["aircon_device_id"],
                )
        return self.async_show_form(
            step_id="window",
            data_schema=self.add_suggested_values_to_schema(
                WINDOW_SCHEMA,
                user_input or window_form_values(DEFAULT_SETTINGS.time_windows[0].to_option()),
            ),
            errors=errors,
        )


class RoomSubentryFlow(
    RoomDeviceSteps[SubentryFlowResult],
    RoomSettingsPages[SubentryFlowResult],
    ConfigSubentryFlow,
):
    """Add a room to the account, or change a room's devices and settings."""

    # --- Add a room ----------------------------------------------------------------------

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a room: its devices among the account's, then its first window."""
        return await self.async_step_devices()

    def _async_create_room(
        self, title: str, data: dict[str, Any], unique_id: str
    ) -> SubentryFlowResult:
        """Create the room's subentry; an air conditioner taken meanwhile aborts."""
        if unique_id in self._aircons_taken():
            return self.async_abort(reason="already_configured")
        return self.async_create_entry(title=title, data=data, unique_id=unique_id)

    # --- A room's settings ---------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Offer the room's devices and its settings pages, each saved on its own."""
        return self.async_show_menu(
            step_id="reconfigure",
            menu_options=[
                "devices",
                "windows",
                "profiles",
                "inputs",
                "actions",
                "polling",
                "advanced",
                "import_dashboard",
            ],
            description_placeholders={"name": self._get_reconfigure_subentry().title},
        )

    @property
    def _account_data(self) -> Mapping[str, Any]:
        return self._get_entry().data

    def _aircons_taken(self) -> set[str]:
        own = self._get_reconfigure_subentry().subentry_id if self.source != SOURCE_USER else None
        return {
            room.data.get("aircon_device_id", "")
            for room in rooms_of(self._get_entry())
            if room.subentry_id != own
        }

    def _room_shown(self) -> tuple[str, Mapping[str, Any]]:
        if self.source == SOURCE_USER:
            return "", {}
        room = self._get_reconfigure_subentry()
        return room.title, room.data

    async def _async_devices_chosen(self, name: str, devices: dict[str, str]) -> SubentryFlowResult:
        """Go on to a new room's first window, or save a room's devices page."""
        if self.source == SOURCE_USER:
            return await self._async_first_window(name, devices)
        return self.async_update_and_abort(
            self._get_entry(),
            self._get_reconfigure_subentry(),
            title=name,
            unique_id=devices["aircon_device_id"],
            data={**self._get_reconfigure_subentry().data, **devices},
        )

    @property
    def _stored_options(self) -> Mapping[str, Any]:
        """The room's options, the account's merged in, as the engine reads them."""
        return {
            **self._get_reconfigure_subentry().data,
            **account_options(self._get_entry().options),
        }

    def _save(self, changes: Mapping[str, Any]) -> SubentryFlowResult:
        """Store the room's part of ``changes`` over its options; the other keys are kept."""
        room = self._get_reconfigure_subentry()
        return self.async_update_and_abort(
            self._get_entry(), room, data={**room.data, **room_options(changes)}
        )
