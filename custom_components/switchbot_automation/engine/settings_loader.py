"""Lenient loading of stored options into ``Settings``: a bad stored value never stops a tick.

The options flow refuses bad values, so anything odd found here comes from an old or
hand-edited entry. Each such value is replaced (missing or wrong type: the default; out of
range: clamped; a fraction for a whole-number option: rounded; an unusable window: dropped)
and reported through ``warn``. Messages are deterministic for a given input, so a caller that
reloads the same options can log each one once with ``WarnOnce``. Every option is read as
its declaration in ``Settings`` says (``settings.option_specs``).
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Self

from .options import Kind, NumberBound, OptionSpec, Season
from .settings import (
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
    DeclaredOptions,
    Settings,
    TimeWindow,
    Warn,
    as_number,
    ignore_warning,
    is_entity_id,
    option_specs,
    parse_window,
)


class WarnOnce:
    """Forward each distinct message to ``sink`` the first time only.

    Keep one instance per config entry and pass it as ``warn`` to the lenient loaders
    (``settings_from_options``, ``AutomationState.from_dict``), so reloading the same
    options does not repeat the same warning.
    """

    def __init__(self, sink: Warn) -> None:
        """Report through ``sink`` (e.g. a logger's ``warning``)."""
        self._sink = sink
        self._seen: set[str] = set()

    def __call__(self, message: str) -> None:
        """Report ``message`` unless it was already reported."""
        if message not in self._seen:
            self._seen.add(message)
            self._sink(message)


class _Reader:
    """Reads typed values out of one mapping, reporting every replaced value."""

    def __init__(self, data: Mapping[str, Any], prefix: str, warn: Warn) -> None:
        self._data = data
        self._prefix = prefix
        self._warn = warn

    def _replace(self, key: str, problem: str, replacement: object) -> None:
        self._warn(
            f"Option {self._prefix}{key}: {self._data[key]!r} {problem}, using {replacement!r}"
        )

    def fields[T: DeclaredOptions](self, default: T) -> T:
        """Return ``default`` with each of its declared fields read from the mapping."""
        return replace(
            default,
            **{
                key: self.option(key, spec, getattr(default, key))
                for key, spec in option_specs(type(default)).items()
            },
        )

    def option(self, key: str, spec: OptionSpec, default: Any) -> Any:
        """Return the option ``key`` as declared by ``spec`` (``default`` if missing)."""
        if spec.bound is not None:
            number = self.number(key, spec.bound, default)
            return int(number) if spec.bound.integer else number
        match spec.kind:
            case Kind.BOOLEAN:
                return self.boolean(key, default)
            case Kind.SEASON:
                return self.season(key, default)
            case Kind.OBJECT:
                return self.child(key).fields(default)
            case Kind.WINDOWS:
                return self.windows(key, default)
            case Kind.ENTITY:
                return self.entity(key, default)
            case Kind.ENTITIES:
                return self.entities(key, default)
            case _:  # text, a time zone
                return self.string(key, default)

    def child(self, key: str) -> Self:
        """Return a reader of the object under ``key`` (``{}`` if missing or not an object)."""
        value = self._data.get(key, {})
        if not isinstance(value, Mapping):
            self._warn(f"Option {self._prefix}{key}: {value!r} is not an object, using defaults")
            value = {}
        return type(self)(value, f"{self._prefix}{key}.", self._warn)

    def number(self, key: str, bound: NumberBound, default: float) -> float:
        """Return the number under ``key``, clamped into ``bound`` (and rounded if whole)."""
        if key not in self._data:
            return default
        number = as_number(self._data[key])
        if number is None:
            self._replace(key, "is not a finite number", default)
            return default
        value = float(round(number)) if bound.integer else number
        if value != number:
            self._replace(key, "is not a whole number", int(value))
        clamped = bound.clamp(value)
        if clamped != value:
            self._replace(key, f"is outside {bound.minimum:g}..{bound.maximum:g}", clamped)
        return clamped

    def boolean(self, key: str, default: bool) -> bool:
        """Return the bool under ``key``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        if isinstance(value, bool):
            return value
        self._replace(key, "is not a boolean", default)
        return default

    def string(self, key: str, default: str) -> str:
        """Return the string under ``key``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        if isinstance(value, str):
            return value
        self._replace(key, "is not a string", default)
        return default

    def entity(self, key: str, default: str) -> str:
        """Return the entity id under ``key`` (``""``: none); anything else: ``default``."""
        value = self.string(key, default)
        if value and not is_entity_id(value):
            self._replace(key, "is not an entity id", default)
            return default
        return value

    def entities(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """Return the entity ids of the list under ``key``, without duplicates; others dropped."""
        raw = self._data.get(key, default)
        if not isinstance(raw, list | tuple):
            self._replace(key, "is not a list", list(default))
            return default
        kept = tuple(dict.fromkeys(item for item in raw if is_entity_id(item)))
        if len(kept) != len(raw):
            self._replace(key, "holds other things than distinct entity ids", list(kept))
        return kept

    def season(self, key: str, default: Season) -> Season:
        """Return ``"winter"`` or ``"summer"``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        if value in Season:
            return Season(value)
        self._replace(key, "is not a season", default)
        return default

    def windows(self, key: str, default: tuple[TimeWindow, ...]) -> tuple[TimeWindow, ...]:
        """Return the usable windows under ``key``; a value that is not a list: ``default``.

        Past ``MAX_TIME_WINDOWS`` items, the first ones are kept.
        """
        if key not in self._data:
            return default
        raw = self._data[key]
        if not isinstance(raw, list | tuple):
            self._warn(
                f"Option {self._prefix}{key}: {raw!r} is not a list, using the default window"
            )
            return default
        if len(raw) > MAX_TIME_WINDOWS:
            self._warn(
                f"Option {self._prefix}{key}: {len(raw)} windows, more than"
                f" {MAX_TIME_WINDOWS}, keeping the first {MAX_TIME_WINDOWS}"
            )
            raw = raw[:MAX_TIME_WINDOWS]
        windows: list[TimeWindow] = []
        for index, item in enumerate(raw):
            window, errors = parse_window(item) if isinstance(item, Mapping) else (None, {})
            if window is None:
                problem = ", ".join(f"{field}: {error}" for field, error in errors.items())
                self._warn(
                    f"Option {self._prefix}{key}[{index}]: {item!r} is not a valid window"
                    f"{f' ({problem})' if problem else ''}, ignoring it"
                )
            else:
                windows.append(window)
        return tuple(windows)


def settings_from_options(options: Mapping[str, Any], *, warn: Warn | None = None) -> Settings:
    """Build ``Settings`` from stored options; never raises, whatever the options hold.

    Missing keys take their defaults silently; every replaced value is reported through
    ``warn`` (see the module docstring). A profile whose band cannot work (``min_temp >
    max_temp``, or equal thresholds without hysteresis: ``Profile.band_works``) is kept as
    stored: the loader cannot tell which value is wrong, and the tick reports
    ``invalid_thresholds``.
    """
    return _Reader(options, "", warn or ignore_warning).fields(DEFAULT_SETTINGS)
