"""The simulator's tests run it on its own manual clock, not Home Assistant's."""

import pytest

from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient


@pytest.fixture
def simulator_clock() -> None:
    """Override the root conftest's: ``None`` gives the simulator a manual ``SimClock``."""


@pytest.fixture
def client(simulator_client: SwitchBotCloudClient) -> SwitchBotCloudClient:
    """The client of the ``simulator_client`` fixture, talking to the simulator."""
    return simulator_client
