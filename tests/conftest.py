"""Shared fixtures.

The integration package is imported here, before the ``hass`` fixture runs, so that the
test plugin's own ``testing_config/custom_components`` does not shadow it.
"""

import pytest

import custom_components.switchbot_automation  # noqa: F401

pytest_plugins = [
    "tests.simulator_fixtures",
    "tests.integration_fixtures",
    "tests.flow_fixtures",
]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from ``custom_components``."""
