"""Fixtures of the reliability tests: Home Assistant's frozen clock drives everything.

The simulator follows Home Assistant's clock from ``START``. Under the ``freezer`` fixture
the event loop's clock is frozen too, so every timer (a response delayed by the simulator,
the client's timeout, the coordinator's next tick) fires only when a test moves the clock
and calls ``async_fire_time_changed``: the tests never sleep for real.
"""

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient
from tests.integration_support import follow_hass_clock


@pytest.fixture
def simulator_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
    """Make the simulator follow Home Assistant's frozen clock, from ``START``."""
    return follow_hass_clock(freezer)


@pytest.fixture(autouse=True)
def immediate_get_retry() -> Iterator[None]:
    """Retry a failed GET at once instead of after half a second.

    The retry's ``asyncio.sleep`` waits on the frozen loop clock: every tick meeting an
    HTTP 5xx or a refused connection would otherwise wait for a test to move the clock
    between the two attempts. The retry itself, and how many calls it makes, are kept.
    """
    with patch(
        "custom_components.switchbot_automation.account.SwitchBotCloudClient",
        partial(SwitchBotCloudClient, retry_delay=0),
    ):
        yield
