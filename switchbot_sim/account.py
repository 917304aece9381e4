"""The virtual SwitchBot account: devices, remotes, scenes, the daily quota and what ran.

The default account is one room: a Meter and a Hub Mini, an "Air Conditioner" infrared
remote and a "TV" remote on that hub (so filtering by remote type is exercised), and the
four manual scenes the automation uses. Ids are module constants so tests can name them.
``add_room`` adds further rooms, each with its own meter, Hub Mini and "Air Conditioner"
remote (``RoomDevices``): a meter reports its own room, an AC's commands act on its own room.

Answers follow the cloud's status codes: 152 for an unknown device, 161/171 when the device
or its hub is offline, 160 for a command the device does not support, 190 for a malformed
command, 151 for the status of an infrared remote (the cloud has no state for those).
Scenes run in the cloud, so executing one always succeeds; an action whose device or hub
is offline is skipped silently, as a real IR blast into the void would be.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
import math
from typing import Any, Final

from .clock import SimClock
from .envelope import (
    STATUS_COMMAND_NOT_SUPPORTED,
    STATUS_DEVICE_NOT_FOUND,
    STATUS_DEVICE_OFFLINE,
    STATUS_DEVICE_TYPE_ERROR,
    STATUS_HUB_OFFLINE,
    STATUS_INTERNAL_ERROR,
    STATUS_SUCCESS,
    ApiResult,
    failure,
    success,
)
from .room import AirConditionerState, Room
from .webhook import WebhookRegistry

METER_ID: Final = "C2710AB1C0DE"
HUB_ID: Final = "E3B7D5A2C1F0"
AC_REMOTE_ID: Final = "02-202601150600-10000001"
TV_REMOTE_ID: Final = "02-202601150600-10000002"
SCENE_WINTER_ID: Final = "scene-winter"
SCENE_SUMMER_ID: Final = "scene-summer"
SCENE_FAN_ID: Final = "scene-fan"
SCENE_OFF_ID: Final = "scene-off"

DAILY_LIMIT: Final = 10_000
DAILY_LIMIT_MESSAGE: Final = "Requests reached the daily limit"
_NO_HUB: Final = "000000000000"


class QuotaResponse(StrEnum):
    """How the cloud answers past the daily limit; both have been seen in the wild."""

    HTTP_429 = "http_429"
    STATUS_190 = "status_190"


@dataclass(slots=True)
class VirtualDevice:
    """A physical device; ``measures_room`` devices report the room's climate."""

    device_id: str
    name: str
    device_type: str
    hub_device_id: str | None = None
    measures_room: bool = False
    temperature_offset: float = 0.0
    battery: int | None = None
    cloud_service: bool = True

    def listing(self) -> dict[str, Any]:
        """Return the ``deviceList`` entry."""
        return {
            "deviceId": self.device_id,
            "deviceName": self.name,
            "deviceType": self.device_type,
            "enableCloudService": self.cloud_service,
            "hubDeviceId": self.hub_device_id or _NO_HUB,
        }


@dataclass(slots=True)
class VirtualRemote:
    """A virtual infrared remote; it accepts any command, as IR is fire-and-forget."""

    device_id: str
    name: str
    remote_type: str
    hub_device_id: str | None = None

    def listing(self) -> dict[str, Any]:
        """Return the ``infraredRemoteList`` entry."""
        return {
            "deviceId": self.device_id,
            "deviceName": self.name,
            "remoteType": self.remote_type,
            "hubDeviceId": self.hub_device_id or _NO_HUB,
        }


@dataclass(frozen=True, slots=True)
class SceneAction:
    """One command a scene sends."""

    device_id: str
    command: str
    parameter: str = "default"


@dataclass(frozen=True, slots=True)
class VirtualScene:
    """A manual scene and the commands it sends, in order."""

    scene_id: str
    name: str
    actions: tuple[SceneAction, ...]


@dataclass(frozen=True, slots=True)
class RoomDevices:
    """A room added by ``VirtualAccount.add_room``: the room and its devices' ids."""

    room: Room
    meter_id: str
    hub_id: str
    ac_remote_id: str


@dataclass(frozen=True, slots=True)
class SentCommand:
    """A command the account accepted through ``POST /v1.1/devices/{id}/commands``."""

    at: datetime
    device_id: str
    command: str
    parameter: Any
    command_type: str


@dataclass(frozen=True, slots=True)
class SceneRun:
    """A scene the account executed."""

    at: datetime
    scene_id: str


def _default_scenes() -> dict[str, VirtualScene]:
    """Return the four scenes the automation drives, all aimed at the AC remote."""
    scenes = (
        VirtualScene(
            SCENE_WINTER_ID, "winter", (SceneAction(AC_REMOTE_ID, "setAll", "24,5,1,on"),)
        ),
        VirtualScene(
            SCENE_SUMMER_ID, "summer", (SceneAction(AC_REMOTE_ID, "setAll", "24,2,1,on"),)
        ),
        VirtualScene(SCENE_FAN_ID, "fan", (SceneAction(AC_REMOTE_ID, "setAll", "24,4,1,on"),)),
        VirtualScene(SCENE_OFF_ID, "off", (SceneAction(AC_REMOTE_ID, "turnOff"),)),
    )
    return {scene.scene_id: scene for scene in scenes}


def parse_set_all(parameter: Any) -> AirConditionerState | None:
    """Parse ``"temperature,mode,fan_speed,on|off"``; None when malformed or out of range."""
    parts = parameter.split(",") if isinstance(parameter, str) else []
    if len(parts) != 4:
        return None
    temperature, mode, fan_speed, power = (part.strip() for part in parts)
    try:
        state = AirConditionerState(
            power=power == "on",
            mode=int(mode),
            temperature=float(temperature),
            fan_speed=int(fan_speed),
        )
    except ValueError:
        return None
    valid = (
        power in ("on", "off")
        and 0 <= state.mode <= 5
        and 1 <= state.fan_speed <= 4
        and math.isfinite(state.temperature)
        and 16 <= state.temperature <= 30
    )
    return state if valid else None


class VirtualAccount:
    """One SwitchBot account as the cloud sees it; the server turns its answers into HTTP."""

    def __init__(self, clock: SimClock) -> None:
        """Create the default one-room account (see the module docstring)."""
        self._clock = clock
        self.room = Room(clock)
        self.ac_remote_id = AC_REMOTE_ID
        self.added_rooms: list[RoomDevices] = []
        self.devices: dict[str, VirtualDevice] = {}
        self.remotes: dict[str, VirtualRemote] = {}
        self.add_device(
            VirtualDevice(
                METER_ID, "Living Room Meter", "Meter", HUB_ID, measures_room=True, battery=100
            )
        )
        self.add_device(VirtualDevice(HUB_ID, "Hub Mini", "Hub Mini"))
        self.add_remote(VirtualRemote(AC_REMOTE_ID, "Living Room AC", "Air Conditioner", HUB_ID))
        self.add_remote(VirtualRemote(TV_REMOTE_ID, "Living Room TV", "TV", HUB_ID))
        self.scenes = _default_scenes()
        self.offline: set[str] = set()
        self.daily_limit = DAILY_LIMIT
        # How late after 00:00 UTC the cloud's counter resets (a skew between its clock and
        # the caller's, or a late reset on its side).
        self.reset_delay = timedelta(0)
        self.quota_response = QuotaResponse.HTTP_429
        self.commands: list[SentCommand] = []
        self.scene_runs: list[SceneRun] = []
        self.webhooks = WebhookRegistry(clock)
        self._calls_day: date | None = None
        self._calls = 0

    # Configuration, for tests and the standalone server.

    def add_device(self, device: VirtualDevice) -> None:
        """Add (or replace) a physical device, e.g. a second meter."""
        self.devices[device.device_id] = device

    def add_remote(self, remote: VirtualRemote) -> None:
        """Add (or replace) an infrared remote."""
        self.remotes[remote.device_id] = remote

    def add_room(self, room: Room | None = None, *, name: str | None = None) -> RoomDevices:
        """Add a room with its own meter, Hub Mini and air conditioner remote; return them.

        ``room`` is its thermal model (a new ``Room`` at the defaults when None). The ids
        follow the default room's, numbered from 1 for the first room added; ``name``
        prefixes the devices' names (``Room 1`` and so on by default).
        """
        number = len(self.added_rooms) + 1
        name = name or f"Room {number}"
        added = RoomDevices(
            room=room if room is not None else Room(self._clock),
            meter_id=f"{METER_ID[:-4]}{number:04X}",
            hub_id=f"{HUB_ID[:-4]}{number:04X}",
            ac_remote_id=f"{AC_REMOTE_ID[:-8]}2{number:07d}",
        )
        self.add_device(
            VirtualDevice(
                added.meter_id,
                f"{name} Meter",
                "Meter",
                added.hub_id,
                measures_room=True,
                battery=100,
            )
        )
        self.add_device(VirtualDevice(added.hub_id, f"{name} Hub Mini", "Hub Mini"))
        self.add_remote(
            VirtualRemote(added.ac_remote_id, f"{name} AC", "Air Conditioner", added.hub_id)
        )
        self.added_rooms.append(added)
        return added

    def _metered_room(self, meter_id: str) -> Room:
        """Return the room a meter measures: an added room's own, else the default room."""
        rooms = (added.room for added in self.added_rooms if added.meter_id == meter_id)
        return next(rooms, self.room)

    def _driven_room(self, remote_id: str) -> Room | None:
        """Return the room an air conditioner remote acts on; None for any other remote."""
        if remote_id == self.ac_remote_id:
            return self.room
        rooms = (added.room for added in self.added_rooms if added.ac_remote_id == remote_id)
        return next(rooms, None)

    def remove(self, device_id: str) -> None:
        """Remove a device or remote, as if it had been deleted in the app."""
        self.devices.pop(device_id, None)
        self.remotes.pop(device_id, None)

    def set_online(self, device_id: str, online: bool) -> None:
        """Take a device or hub offline (161; 171 for what sits behind a hub) or back."""
        if online:
            self.offline.discard(device_id)
        else:
            self.offline.add(device_id)

    # The daily quota.

    @property
    def calls_today(self) -> int:
        """Authenticated calls counted since 00:00 UTC of the simulated clock."""
        self._roll_over()
        return self._calls

    def register_call(self) -> bool:
        """Count one authenticated call; False when it is past the daily limit."""
        self._roll_over()
        self._calls += 1
        return self._calls <= self.daily_limit

    def _roll_over(self) -> None:
        today = (self._clock.now() - self.reset_delay).date()
        if today != self._calls_day:
            self._calls_day = today
            self._calls = 0

    # The API.

    def list_devices(self) -> ApiResult:
        """Answer ``GET /v1.1/devices``."""
        return success(
            {
                "deviceList": [device.listing() for device in self.devices.values()],
                "infraredRemoteList": [remote.listing() for remote in self.remotes.values()],
            },
        )

    def status(self, device_id: str) -> ApiResult:
        """Answer ``GET /v1.1/devices/{device_id}/status``."""
        if device_id in self.remotes:
            return failure(STATUS_DEVICE_TYPE_ERROR, "device type error")
        device = self.devices.get(device_id)
        if device is None:
            return failure(STATUS_DEVICE_NOT_FOUND, "device not found")
        if offline := self._offline(device_id, device.hub_device_id):
            return offline
        body: dict[str, Any] = {
            "deviceId": device.device_id,
            "deviceType": device.device_type,
            "hubDeviceId": device.hub_device_id or _NO_HUB,
            "version": "V1.0",
        }
        if device.measures_room:
            room = self._metered_room(device_id)
            body["temperature"] = round(room.reported_temperature + device.temperature_offset, 1)
            body["humidity"] = round(room.humidity)
        if device.battery is not None:
            body["battery"] = device.battery
        return success(body)

    def command(self, device_id: str, payload: Any) -> ApiResult:
        """Answer ``POST /v1.1/devices/{device_id}/commands`` with a JSON ``payload``."""
        target = self.devices.get(device_id) or self.remotes.get(device_id)
        if target is None:
            return failure(STATUS_DEVICE_NOT_FOUND, "device not found")
        if offline := self._offline(device_id, target.hub_device_id):
            return offline
        if not isinstance(payload, dict) or not isinstance(payload.get("command"), str):
            return failure(STATUS_INTERNAL_ERROR, "invalid command format")
        command: str = payload["command"]
        parameter = payload.get("parameter", "default")
        command_type = payload.get("commandType", "command")
        if isinstance(target, VirtualDevice) or command_type != "command":
            return failure(STATUS_COMMAND_NOT_SUPPORTED, "unknown command")
        result = self._apply(device_id, command, parameter)
        if result.status_code == STATUS_SUCCESS:
            self.commands.append(
                SentCommand(self._clock.now(), device_id, command, parameter, command_type)
            )
        return result

    def list_scenes(self) -> ApiResult:
        """Answer ``GET /v1.1/scenes``."""
        return success(
            [
                {"sceneId": scene.scene_id, "sceneName": scene.name}
                for scene in self.scenes.values()
            ],
        )

    def execute_scene(self, scene_id: str) -> ApiResult:
        """Answer ``POST /v1.1/scenes/{scene_id}/execute``."""
        scene = self.scenes.get(scene_id)
        if scene is None:
            return failure(STATUS_INTERNAL_ERROR, "scene not found")
        for action in scene.actions:
            target = self.devices.get(action.device_id) or self.remotes.get(action.device_id)
            if target is not None and not self._offline(action.device_id, target.hub_device_id):
                self._apply(action.device_id, action.command, action.parameter)
        self.scene_runs.append(SceneRun(self._clock.now(), scene_id))
        return success()

    def _offline(self, device_id: str, hub_device_id: str | None) -> ApiResult | None:
        """Return the offline error for a device, checking its hub first."""
        if hub_device_id is not None and hub_device_id in self.offline:
            return failure(STATUS_HUB_OFFLINE, "hub offline")
        if device_id in self.offline:
            return failure(STATUS_DEVICE_OFFLINE, "device offline")
        return None

    def _apply(self, remote_id: str, command: str, parameter: Any) -> ApiResult:
        """Send an IR command; only a room's air conditioner reacts to it, in that room."""
        room = self._driven_room(remote_id)
        if room is None:
            return success()
        current = room.ac
        match command:
            case "turnOn":
                room.ac = replace(current, power=True)
            case "turnOff":
                room.ac = replace(current, power=False)
            case "setAll":
                state = parse_set_all(parameter)
                if state is None:
                    return failure(STATUS_INTERNAL_ERROR, "param is invalid")
                room.ac = state
            case _:
                return failure(STATUS_COMMAND_NOT_SUPPORTED, "unknown command")
        return success()
