"""The engine is plain Python: no Home Assistant, no third-party import, anywhere below it."""

import ast
from pathlib import Path
import sys

import pytest

from tests.engine_support import no_home_assistant  # noqa: F401

PACKAGE = Path(__file__).parent.parent / "custom_components" / "switchbot_automation"
ENGINE_MODULES = (
    "actions",
    "cloud_port",
    "dashboard_import",
    "decision",
    "option_keys",
    "outcomes",
    "polling",
    "quota",
    "settings",
    "settings_loader",
    "state",
    "tick",
    "validation",
    "windows",
)
# The client's error and model modules, which the engine may import.
ALLOWED_SIBLINGS = {*ENGINE_MODULES, "cloud_errors", "cloud_models"}


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """Return the absolute top-level packages and the sibling modules ``module`` imports."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    absolute: set[str] = set()
    siblings: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            absolute.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                siblings.add((node.module or "").split(".")[0])
            else:
                absolute.add((node.module or "").split(".")[0])
    return absolute, siblings


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engine_module_imports_only_the_standard_library(module: str) -> None:
    seen: set[str] = set()
    pending = [module]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        absolute, siblings = imports_of(current)
        assert "homeassistant" not in absolute, current
        assert absolute <= sys.stdlib_module_names, (current, absolute - sys.stdlib_module_names)
        assert siblings <= ALLOWED_SIBLINGS, (current, siblings - ALLOWED_SIBLINGS)
        pending.extend(siblings)
