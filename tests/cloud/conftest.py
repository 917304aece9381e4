"""The cloud client's tests run the simulator on its own manual clock, not Home Assistant's."""

import pytest


@pytest.fixture
def simulator_clock() -> None:
    """Override the root conftest's: ``None`` gives the simulator a manual ``SimClock``."""
