"""Shared fixtures, and those of the integration's own tests (this folder's root, package/,
reliability/).

The integration package is imported here, before the ``hass`` fixture runs, so that the
test plugin's own ``testing_config/custom_components`` does not shadow it.

One conftest per area: an area overrides what differs in its own ``conftest.py``
(``engine/`` and ``scripts/`` run without Home Assistant's ``hass`` fixture, ``cloud/`` and
``simulator/`` keep the simulator's manual clock, ``e2e/`` starts real processes). The fixtures
themselves are in the plugins below; the helpers the tests import are in
``integration_support.py``.
"""

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

import custom_components.switchbot_automation  # noqa: F401
from custom_components.switchbot_automation.cloud.client import SwitchBotCloudClient
from switchbot_sim import SwitchBotSimulator
from tests.integration_support import Home, follow_hass_clock

pytest_plugins = [
    "tests.simulator_fixtures",
    "tests.integration_fixtures",
    "tests.flow_fixtures",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Run the long tests (``no_cover``: hours or days of ticks) without the loop's debug mode.

    Home Assistant 2025.4's test harness turns it on for every test (2026.2's means to, but
    it no longer reaches the test's loop): it records a traceback for every callback, which
    makes those tests three times slower. Every line they run is run by the short tests too,
    with the debug mode where the harness sets it.
    """
    hass = item.funcargs.get("hass") if item.get_closest_marker("no_cover") else None  # type: ignore[attr-defined]
    if isinstance(hass, HomeAssistant):
        hass.loop.set_debug(False)
    return (yield)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from ``custom_components``."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy's snapshots with Home Assistant's extension (``tests/snapshots/*.ambr``).

    The test plugin overrides ``snapshot`` so, but on Home Assistant 2025.4 syrupy's own
    fixture wins: this one makes both versions read and write the same files.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def simulator_clock(freezer: FrozenDateTimeFactory) -> Callable[[], datetime]:
    """Freeze Home Assistant's clock at ``START``; the simulator follows it.

    Under ``freezer`` the event loop's clock is frozen too: every timer (the next tick, a
    response the simulator delays, the client's timeout) fires only when a test moves the
    clock (``async_advance``), so the tests never sleep for real.
    """
    return follow_hass_clock(freezer)


@pytest.fixture(autouse=True)
def immediate_get_retry() -> Iterator[None]:
    """Let the integration retry a failed GET at once instead of after half a second.

    The retry's ``asyncio.sleep`` waits on the frozen loop clock: every tick or flow step
    meeting an HTTP 5xx or a refused connection would otherwise wait for a test to move the
    clock between the two attempts. The retry itself, and how many calls it makes, are kept
    (the client's own tests check the delay).
    """
    with patch(
        "custom_components.switchbot_automation.account.SwitchBotCloudClient",
        partial(SwitchBotCloudClient, retry_delay=0),
    ):
        yield


@pytest.fixture
def hass_access_token(simulator_clock: Callable[[], datetime], hass_access_token: str) -> str:
    """Home Assistant's access token (``hass_client``), issued once the clock is at ``START``.

    Its HTTP API refuses a token issued after the time it reads: the clock is moved back to
    ``START`` first, then the test plugin's token is issued.
    """
    return hass_access_token


@pytest.fixture
def home(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> Home:
    """Home Assistant, its clock, the simulator, the entry (not set up yet) and its storage."""
    return Home(hass, freezer, simulator, mock_config_entry, hass_storage)
