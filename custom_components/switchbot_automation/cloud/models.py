"""Typed views of SwitchBot Cloud API v1.1 responses.

The cloud adds and renames fields over time, so every ``from_api`` reads only the keys the
integration needs, accepts missing optional ones, and fails (``KeyError``/``ValueError``)
only when an identifier is unusable. The client turns those failures into
``SwitchBotConnectionError``; ``SwitchBotInvalidReadingError`` is the one domain error
raised here, because a non-numeric temperature must never reach the automation.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import logging
import math
from typing import Any, Self

from .exceptions import SwitchBotInvalidReadingError

_LOGGER = logging.getLogger(__name__)

# Device types whose status reports a room temperature, compared after `_normalized`
# (case, spaces and punctuation ignored) so "Meter Plus" matches "MeterPlus".
_TEMPERATURE_DEVICE_TYPES = frozenset(
    {
        "meter",
        "meterplus",
        "woiosensor",
        "meterpro",
        "meterproco2",
        "weatherstation",
        "hub2",
        "hub3",
        "climatepanel",
        "humidifier",
    }
)
_AIR_CONDITIONER = "airconditioner"


def _normalized(text: str) -> str:
    """Lower-case ``text`` and keep only letters and digits."""
    return "".join(char for char in text.lower() if char.isalnum())


def _identifier(data: Mapping[str, Any], key: str) -> str:
    """Return the non-empty string id under ``key``; an unusable id makes the entry useless."""
    value = data[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string, got {value!r}")
    return value


def _text(data: Mapping[str, Any], key: str, default: str) -> str:
    """Return the string under ``key``, or ``default`` when it is missing or not a string."""
    value = data.get(key)
    return value if isinstance(value, str) else default


def _hub_id(data: Mapping[str, Any]) -> str | None:
    """Return ``hubDeviceId``, or None when absent, empty or the all-zero "no hub" id."""
    value = data.get("hubDeviceId")
    if not isinstance(value, str) or not value.strip("0"):
        return None
    return value


def _finite(value: Any) -> float | None:
    """Return ``value`` as a finite float (numbers or numeric strings), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True, slots=True)
class Device:
    """A physical SwitchBot device (``body.deviceList[]``)."""

    device_id: str
    name: str
    device_type: str
    hub_device_id: str | None
    cloud_service_enabled: bool

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build from an API entry; a missing ``enableCloudService`` is read as enabled."""
        device_id = _identifier(data, "deviceId")
        cloud_service = data.get("enableCloudService")
        return cls(
            device_id=device_id,
            name=_text(data, "deviceName", device_id),
            device_type=_text(data, "deviceType", ""),
            hub_device_id=_hub_id(data),
            cloud_service_enabled=cloud_service if isinstance(cloud_service, bool) else True,
        )

    @property
    def reports_temperature(self) -> bool:
        """Whether this device type's status carries a room temperature."""
        return _normalized(self.device_type) in _TEMPERATURE_DEVICE_TYPES


@dataclass(frozen=True, slots=True)
class InfraredRemote:
    """A virtual infrared remote (``body.infraredRemoteList[]``); the cloud has no status."""

    device_id: str
    name: str
    remote_type: str
    hub_device_id: str | None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build from an API entry."""
        device_id = _identifier(data, "deviceId")
        return cls(
            device_id=device_id,
            name=_text(data, "deviceName", device_id),
            remote_type=_text(data, "remoteType", ""),
            hub_device_id=_hub_id(data),
        )

    @property
    def is_air_conditioner(self) -> bool:
        """Whether this remote drives an air conditioner ("Air Conditioner", "DIY Air ...")."""
        return _normalized(self.remote_type).endswith(_AIR_CONDITIONER)


def _readable[T](build: Callable[[Mapping[str, Any]], T], entries: object) -> tuple[T, ...]:
    """Return the entries of a device list that ``build`` can read, skipping the others."""
    if not isinstance(entries, list):
        return ()
    readable: list[T] = []
    for entry in entries:
        try:
            readable.append(build(entry))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            _LOGGER.debug("Skipping an unreadable device entry (%s): %r", err, entry)
    return tuple(readable)


@dataclass(frozen=True, slots=True)
class DeviceList:
    """Everything ``GET /v1.1/devices`` returns."""

    devices: tuple[Device, ...]
    remotes: tuple[InfraredRemote, ...]

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build from the response body; either list may be missing on a sparse account.

        An entry that cannot be read (no usable ``deviceId``, not an object) is skipped with
        a debug log: one odd device must not hide the others, nor fail every set-up.
        """
        return cls(
            devices=_readable(Device.from_api, data.get("deviceList")),
            remotes=_readable(InfraredRemote.from_api, data.get("infraredRemoteList")),
        )

    @property
    def thermometers(self) -> tuple[Device, ...]:
        """The physical devices that report a temperature."""
        return tuple(device for device in self.devices if device.reports_temperature)

    @property
    def air_conditioners(self) -> tuple[InfraredRemote, ...]:
        """The infrared remotes that drive an air conditioner."""
        return tuple(remote for remote in self.remotes if remote.is_air_conditioner)

    def find(self, device_id: str) -> Device | InfraredRemote | None:
        """Return the device or remote with ``device_id``, or None if the account lacks it."""
        entries: tuple[Device | InfraredRemote, ...] = (*self.devices, *self.remotes)
        return next((entry for entry in entries if entry.device_id == device_id), None)


@dataclass(frozen=True, slots=True)
class MeterReading:
    """The climate part of a device status; each value is None when the device omits it."""

    temperature: float | None
    humidity: float | None
    battery: int | None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build from a status body.

        A ``temperature`` that is present but not a finite number raises
        ``SwitchBotInvalidReadingError``: acting on it would drive the air conditioner from
        garbage. Humidity and battery are informative only, so bad values become None.
        """
        raw_temperature = data.get("temperature")
        temperature = _finite(raw_temperature)
        if raw_temperature is not None and temperature is None:
            raise SwitchBotInvalidReadingError(
                f"temperature {raw_temperature!r} is not a finite number"
            )
        battery = _finite(data.get("battery"))
        return cls(
            temperature=temperature,
            humidity=_finite(data.get("humidity")),
            battery=None if battery is None else round(battery),
        )


@dataclass(frozen=True, slots=True)
class Scene:
    """A manual scene (``GET /v1.1/scenes``)."""

    scene_id: str
    name: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build from an API entry."""
        scene_id = _identifier(data, "sceneId")
        return cls(scene_id=scene_id, name=_text(data, "sceneName", scene_id))
