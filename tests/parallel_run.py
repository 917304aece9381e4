"""Pytest plugin of the runs of ``scripts/test`` (``-p tests.parallel_run``).

Both pytest runs spread the tests over the cores (pytest-xdist, one test at a time), and the
one on Home Assistant 2026.2.3 measures coverage. This plugin

- starts the long tests first: those marked ``no_cover`` (below), the benchmarks' days (the
  longest, last in collection order) first of all, so that no worker is left with one of them
  at the end while the others have nothing to do;
- decides what coverage measures: every test except those whose lines the others reach anyway
  and that coverage would make several times slower. They still run, with all their
  assertions; only the measurement is off. If a line were reached by none of the others, the
  coverage report would show it (and ``fail_under`` in pyproject.toml apply). Left out:

  - the tests marked ``no_cover`` (pytest-cov's marker): those that run the integration through
    hours, days or thousands of ticks (daylight saving weekends, an hour of faults, the memory
    test, the benchmarks' days);
  - the property-based tests (Hypothesis), which run the engine's code hundreds of times over
    (3 to 5 times slower measured); the example tests reach every line and branch they reach.

A module first imported by a test that coverage does not measure would have its module-level
lines (imports, definitions) reported as missed: every module of the measured packages is
imported once collection is done, coverage measuring (the tests import them anyway).

pytest-cov's own ``no_cover`` only stops the coverage of the test process: in a pytest-xdist
worker it has started another one before it (at start-up, as in a single process), and
stopping the first resumes that one. This plugin stops whichever is measuring then. Without
pytest-xdist it finds none running (pytest-cov's pause suffices) and does nothing.
"""

from collections.abc import Generator
import importlib
import pkgutil

import coverage
import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the long tests first; mark the property-based tests ``no_cover`` too."""
    long_tests = [item for item in items if item.get_closest_marker("no_cover")]
    others = [item for item in items if not item.get_closest_marker("no_cover")]
    items[:] = [*reversed(long_tests), *others]
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.no_cover)


def pytest_collection_finish() -> None:
    """Import the measured packages' modules (not ``__main__``) while coverage measures."""
    running = coverage.Coverage.current()
    if running is None:
        return
    for source in running.config.source or ():
        package = importlib.import_module(source.replace("/", "."))
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.endswith(".__main__"):
                importlib.import_module(module.name)


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
