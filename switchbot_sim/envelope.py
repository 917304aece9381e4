"""The answer an account gives to one API call, before the server wraps it in JSON."""

from dataclasses import dataclass
from typing import Any, Final

STATUS_SUCCESS: Final = 100
STATUS_DEVICE_TYPE_ERROR: Final = 151
STATUS_DEVICE_NOT_FOUND: Final = 152
STATUS_COMMAND_NOT_SUPPORTED: Final = 160
STATUS_DEVICE_OFFLINE: Final = 161
STATUS_HUB_OFFLINE: Final = 171
STATUS_INTERNAL_ERROR: Final = 190


@dataclass(frozen=True, slots=True)
class ApiResult:
    """``statusCode``, ``body`` and ``message`` of a response envelope (always HTTP 200)."""

    status_code: int
    body: Any
    message: str

    def to_json(self) -> dict[str, Any]:
        """Return the envelope exactly as the cloud spells it."""
        return {"statusCode": self.status_code, "body": self.body, "message": self.message}


def success(body: Any = None) -> ApiResult:
    """Return a success envelope; the cloud sends an empty object when there is no data."""
    return ApiResult(STATUS_SUCCESS, {} if body is None else body, "success")


def failure(status_code: int, message: str) -> ApiResult:
    """Return an error envelope; the cloud sends an empty body with those."""
    return ApiResult(status_code, {}, message)
