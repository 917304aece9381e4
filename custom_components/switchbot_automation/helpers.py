"""Turning a failed manual tick or quick off into an error the user sees.

The engine reports cloud failures as outcomes, not exceptions, so a scheduled tick simply
records them. When the user asked for the action (a button, a service call), the failure is
raised instead, translated, by one decorator rather than a try/except in every caller.
"""

from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, Final

from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN
from .engine import CloudAuthError, Outcome, TickResult

# Outcomes that mean "nothing could be done"; each is its exception's translation key.
_FAILED_OUTCOMES: Final = {
    Outcome.API_ERROR,
    Outcome.DEVICE_OFFLINE,
    Outcome.QUOTA_EXHAUSTED,
    Outcome.NOT_CONFIGURED,
}


class TickFailedError(Exception):
    """A tick or the quick off raised unexpectedly; it was logged with its traceback."""


async def async_checked(operation: Awaitable[TickResult]) -> TickResult:
    """Await ``operation`` (a manual tick or the quick off); raise when it achieved nothing.

    A refused token, an unexpected failure and the failed outcomes above become a
    ``HomeAssistantError`` with a translation key of the ``exceptions`` section.
    """
    try:
        result = await operation
    except CloudAuthError as err:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="auth_failed") from err
    except TickFailedError as err:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="tick_failed") from err
    if (key := result.outcome) in _FAILED_OUTCOMES:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key=key)
    return result


def raise_on_failure[**P](
    func: Callable[P, Awaitable[TickResult]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Run ``func`` (a manual tick or the quick off); raise when it achieved nothing.

    The errors are those of ``async_checked``.
    """

    @wraps(func)
    async def handler(*args: P.args, **kwargs: P.kwargs) -> None:
        await async_checked(func(*args, **kwargs))

    return handler
