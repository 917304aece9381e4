"""Pytest plugin of the coverage run (``scripts/test`` passes ``-p tests.coverage_scope``).

Coverage measures every test except those whose lines the others reach anyway and that
coverage would make several times slower:

- the property-based tests (Hypothesis), which run the engine's code hundreds of times over
  (3 to 5 times slower measured); the example tests reach every line and branch they reach;
- the tests marked ``no_cover`` (pytest-cov's marker): those that run the integration through
  hours, days or thousands of ticks (daylight saving weekends, an hour of faults, the memory
  test, the quota benchmark's day).

They still run, with all their assertions; only the measurement is off. If a line were
reached by none of the others, the coverage report would show it (and ``fail_under`` in
pyproject.toml apply).

pytest-cov's own ``no_cover`` only stops the coverage of the test process: in a pytest-xdist
worker it has started another one before it (at start-up, as in a single process), and
stopping the first resumes that one. This plugin stops whichever is measuring then. Without
pytest-xdist it finds none running (pytest-cov's pause suffices) and does nothing.
"""

from collections.abc import Generator

import coverage
import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the property-based tests ``no_cover``."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.no_cover)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None]:
    """Run a ``no_cover`` test with no coverage measuring at all (inside pytest-cov's pause)."""
    running = coverage.Coverage.current() if item.get_closest_marker("no_cover") else None
    if running is None:
        return (yield)
    running.stop()
    try:
        return (yield)
    finally:
        running.start()
