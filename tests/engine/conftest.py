"""The engine's tests run without Home Assistant: no integration to enable."""

import pytest


@pytest.fixture(name="auto_enable_custom_integrations")
def no_home_assistant() -> None:
    """Override the root conftest's autouse fixture: the engine needs no Home Assistant."""
