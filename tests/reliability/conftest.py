"""The reliability tests poll steadily: a tick and a reading every 15 s in the windows."""

import pytest

from tests.integration_support import Home

from .support import STEADY_POLLING


@pytest.fixture
def home(home: Home) -> Home:
    """The root conftest's ``Home``, whose ``set_up`` applies ``STEADY_POLLING`` first."""
    home.options = STEADY_POLLING
    return home
