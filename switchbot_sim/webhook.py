"""The account's webhook registration: one URL, as the cloud allows in practice."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .clock import SimClock
from .envelope import STATUS_INTERNAL_ERROR, ApiResult, failure, success


@dataclass(frozen=True, slots=True)
class Webhook:
    """The registered URL and its bookkeeping, reported by ``queryDetails``."""

    url: str
    enabled: bool
    created: datetime
    updated: datetime

    def details(self) -> dict[str, Any]:
        """Return the ``queryDetails`` entry for this webhook."""
        return {
            "url": self.url,
            "createTime": _millis(self.created),
            "lastUpdateTime": _millis(self.updated),
            "deviceList": "ALL",
            "enable": self.enabled,
        }


def _millis(when: datetime) -> int:
    """Return ``when`` as the cloud's epoch milliseconds."""
    return int(when.timestamp() * 1000)


def _url(payload: Any, key: str = "url") -> str | None:
    """Return the non-empty string under ``key`` of a JSON object payload, else None."""
    value = payload.get(key) if isinstance(payload, dict) else None
    return value if isinstance(value, str) and value else None


class WebhookRegistry:
    """Answers the four ``/v1.1/webhook/*`` endpoints and keeps the one URL."""

    def __init__(self, clock: SimClock) -> None:
        """Start with no webhook registered."""
        self._clock = clock
        self.webhook: Webhook | None = None

    def handle(self, endpoint: str, payload: Any) -> ApiResult:
        """Answer ``POST /v1.1/webhook/{endpoint}`` with a JSON ``payload``."""
        match endpoint:
            case "setupWebhook":
                return self._setup(payload)
            case "queryWebhook":
                return self._query(payload)
            case "updateWebhook":
                return self._update(payload)
            case "deleteWebhook":
                return self._delete(payload)
        return failure(STATUS_INTERNAL_ERROR, "unknown webhook action")

    def _setup(self, payload: Any) -> ApiResult:
        url = _url(payload)
        if url is None:
            return failure(STATUS_INTERNAL_ERROR, "url is required")
        now = self._clock.now()
        self.webhook = Webhook(url=url, enabled=True, created=now, updated=now)
        return success()

    def _query(self, payload: Any) -> ApiResult:
        action = payload.get("action") if isinstance(payload, dict) else None
        if action == "queryUrl":
            return success({"urls": [] if self.webhook is None else [self.webhook.url]})
        if action == "queryDetails":
            urls = payload.get("urls")
            wanted = urls if isinstance(urls, list) else []
            webhook = self.webhook
            return success(
                [webhook.details()] if webhook is not None and webhook.url in wanted else []
            )
        return failure(STATUS_INTERNAL_ERROR, "unknown query action")

    def _update(self, payload: Any) -> ApiResult:
        config = payload.get("config") if isinstance(payload, dict) else None
        webhook = self.webhook
        if not isinstance(config, dict) or webhook is None or _url(config) != webhook.url:
            return failure(STATUS_INTERNAL_ERROR, "webhook not found")
        enabled = config.get("enable", webhook.enabled)
        self.webhook = replace(webhook, enabled=bool(enabled), updated=self._clock.now())
        return success()

    def _delete(self, payload: Any) -> ApiResult:
        if self.webhook is None or _url(payload) != self.webhook.url:
            return failure(STATUS_INTERNAL_ERROR, "webhook not found")
        self.webhook = None
        return success()
