"""Pytest plugin: a running SwitchBot Cloud simulator and a client wired to it.

Enable with ``pytest_plugins = ["tests.simulator_fixtures"]`` in ``tests/conftest.py`` (or
``-p tests.simulator_fixtures``). Tests whose simulator must follow Home Assistant's
(frozen) time override ``simulator_clock`` in their conftest, as ``tests/conftest.py`` does::

    @pytest.fixture
    def simulator_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
        return follow_hass_clock(freezer)  # tests/integration_support.py

The code under test is imported inside the fixtures, not at the top: ``-p`` loads a plugin
before pytest-cov starts measuring, and a top-level import would hide the module-level lines
of the client and the simulator from the coverage report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable
    from datetime import datetime

    from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient
    from switchbot_sim import SimClock, SwitchBotSimulator


@pytest.fixture
def simulator_clock() -> SimClock | Callable[[], datetime] | None:
    """Clock of the ``simulator`` fixture; None gives a manual ``SimClock`` at DEFAULT_START."""
    return None


@pytest.fixture
async def simulator(
    socket_enabled: None,
    simulator_clock: SimClock | Callable[[], datetime] | None,
) -> AsyncGenerator[SwitchBotSimulator]:
    """A simulator serving the default account on 127.0.0.1, on a free port.

    Home Assistant's test plugin blocks every socket; ``socket_enabled`` (pytest-socket)
    lifts that for the test while connections stay limited to 127.0.0.1.
    """
    from switchbot_sim import SwitchBotSimulator

    async with SwitchBotSimulator(clock=simulator_clock) as sim:
        yield sim


@pytest.fixture
def simulator_url(simulator: SwitchBotSimulator) -> str:
    """Base URL of the running simulator, to pass as ``api_url``."""
    return simulator.url


@pytest.fixture
def simulator_token(simulator: SwitchBotSimulator) -> str:
    """Token the simulator accepts."""
    return simulator.token


@pytest.fixture
def simulator_secret(simulator: SwitchBotSimulator) -> str:
    """Secret the simulator checks signatures with."""
    return simulator.secret


@pytest.fixture
async def simulator_client(
    simulator: SwitchBotSimulator,
) -> AsyncGenerator[SwitchBotCloudClient]:
    """A client on its own session talking to ``simulator``, retrying GETs without waiting."""
    from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient

    async with aiohttp.ClientSession() as session:
        yield SwitchBotCloudClient(
            session, simulator.token, simulator.secret, api_url=simulator.url, retry_delay=0
        )
