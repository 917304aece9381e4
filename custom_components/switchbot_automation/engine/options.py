"""The vocabulary of the option declarations: kinds, pages, bounds, seasons and error keys.

Every option is declared once, as a field of ``settings.Settings`` (or of an object it holds)
annotated with an ``OptionSpec``; the lenient loader, the strict validation and the flows'
forms all read those declarations. The option keys are those of the original dashboard's
``settings.json`` so an existing file maps one to one (``docs/behaviour.md``, "Settings").
A bound serves both the options flow, which refuses a value outside it, and the loader, which
clamps a stored one into it. The error keys are the translation keys the flows show next to
a field.
"""

from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from typing import Final

# Units of the number fields in the forms (the strings Home Assistant's units use).
CELSIUS: Final = "°C"
SECONDS: Final = "s"
MINUTES: Final = "min"
WATTS: Final = "W"


class PublicStrEnum(StrEnum):
    """A string enum of public values (sensor states, event data, stored options and state).

    A member stands for its string everywhere, its ``repr`` included (in log messages, test
    snapshots), so that using the enum changes nothing outside the code.
    """

    def __repr__(self) -> str:
        """Return the representation of the value."""
        return repr(self.value)


class Season(PublicStrEnum):
    """The values of ``mode``: the profile that regulates."""

    WINTER = "winter"
    SUMMER = "summer"


class OptionError(PublicStrEnum):
    """Why a value is refused: the translation keys of the flows' ``error`` section."""

    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_BOOLEAN = "not_a_boolean"
    NOT_A_STRING = "not_a_string"
    NOT_AN_OBJECT = "not_an_object"
    NOT_A_LIST = "not_a_list"
    INVALID_MODE = "invalid_mode"
    MIN_ABOVE_MAX = "min_above_max"
    INVALID_TIME = "invalid_time"
    SAME_START_END = "same_start_end"
    NO_DAYS = "no_days"
    INVALID_DAY = "invalid_day"
    INVALID_TIMEZONE = "invalid_timezone"
    TOO_MANY_WINDOWS = "too_many_windows"
    BAND_TOO_NARROW = "band_too_narrow"
    INVALID_ENTITY_ID = "invalid_entity_id"


class Kind(Enum):
    """What an option holds: how it is loaded, checked and shown."""

    BOOLEAN = auto()
    TEXT = auto()
    TIMEZONE = auto()  # a zone name, "" for Home Assistant's: an optional list to type into
    SEASON = auto()
    NUMBER = auto()  # within its bound: a number box
    CHOICE = auto()  # a whole number within its bound: a list of its values
    OBJECT = auto()  # the fields of a dataclass (a profile, the scenes): a section
    WINDOWS = auto()  # the time windows: pages of their own
    ENTITY = auto()  # a Home Assistant entity id, "" for none
    ENTITIES = auto()  # a list of Home Assistant entity ids, empty for none


class Page(Enum):
    """The flow step showing an option: a page of a room's flow, or the account's options.

    ``ACCOUNT`` options belong to the SwitchBot account (the config entry's options): the
    daily quota is the account's, so its budget and warning are set once for every room.
    Every other page is a room's (a config subentry's data).
    """

    ACCOUNT = auto()
    DEVICES = auto()
    INPUTS = auto()
    WINDOWS = auto()
    PROFILES = auto()
    ACTIONS = auto()
    POLLING = auto()
    ADVANCED = auto()


@dataclass(frozen=True, slots=True)
class NumberBound:
    """Inclusive range of a numeric option, and whether it holds whole numbers."""

    minimum: float
    maximum: float
    integer: bool

    def clamp(self, value: float) -> float:
        """Return ``value`` moved into ``[minimum, maximum]``."""
        return min(max(value, self.minimum), self.maximum)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """How one option is loaded, checked and shown (``settings.option_specs``).

    ``bound`` is set for numbers (kinds ``NUMBER`` and ``CHOICE``) only; ``step`` and
    ``unit`` are those of a number box. ``page`` is None for the fields of an object, which
    its section shows.
    """

    kind: Kind
    page: Page | None = None
    bound: NumberBound | None = None
    step: float = 1.0
    unit: str | None = None
