"""Errors raised by the SwitchBot Cloud client.

Callers react to *what went wrong* rather than to HTTP details: re-authenticate on
``SwitchBotAuthError``, back off until midnight UTC on ``SwitchBotQuotaExceededError``, retry
later on ``SwitchBotConnectionError``, and report the rest. Every message is built by the
client from non-secret facts (method, path, status), never from the token or the secret.
"""


class SwitchBotError(Exception):
    """Base of every error the SwitchBot Cloud client raises."""


class SwitchBotAuthError(SwitchBotError):
    """The cloud refused the token or the signature (HTTP 401 or 403)."""


class SwitchBotQuotaExceededError(SwitchBotError):
    """The account used up its daily request quota (HTTP 429 or a "daily limit" 190)."""


class SwitchBotConnectionError(SwitchBotError):
    """The cloud could not be reached or answered something that is not an API response.

    Covers network errors, timeouts, HTTP 5xx and other unexpected HTTP statuses, and bodies
    that are not a JSON object carrying an integer ``statusCode``: all conditions that may
    clear up by themselves, so callers typically retry on their next cycle.
    """


class _SwitchBotStatusError(SwitchBotError):
    """An API response whose ``statusCode`` reports a failure; keeps that code for callers."""

    def __init__(self, message: str, status_code: int) -> None:
        """Keep the SwitchBot ``statusCode`` so callers can tell failures apart."""
        super().__init__(message)
        self.status_code = status_code


class SwitchBotDeviceOfflineError(_SwitchBotStatusError):
    """The device (statusCode 161) or its hub (statusCode 171) is offline."""


class SwitchBotCommandError(_SwitchBotStatusError):
    """The cloud rejected the request (151, 152, 160, 190 or any other non-100 statusCode)."""


class SwitchBotInvalidReadingError(SwitchBotError):
    """A device status carries a ``temperature`` that is not a finite number."""
