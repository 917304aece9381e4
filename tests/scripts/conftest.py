"""The scripts' tests need no Home Assistant of the test plugin.

``scripts/bench_quota.py`` starts an instance of its own; ``scripts/check_forward_compat.py``
reads a wheel and source files.
"""

import pytest


@pytest.fixture(name="auto_enable_custom_integrations")
def no_home_assistant() -> None:
    """Override the root conftest's autouse fixture: no ``hass`` fixture here."""
