"""The quality scale self-assessment covers every rule, and what it claims holds."""

import importlib
from pathlib import Path
import re
from typing import Any

import homeassistant.components

from custom_components.switchbot_automation import config_flow

from .support import (
    EN,
    ICONS,
    INTEGRATION,
    MANIFEST,
    PACKAGE,
    PYPROJECT,
    QUALITY_SCALE,
    ROOT,
    platform_modules,
)

HA_COMPONENTS = Path(homeassistant.components.__file__).parent


def _quality_scale_rules() -> set[str]:
    """Every rule named by the quality_scale.yaml files of the installed Home Assistant."""
    rules: set[str] = set()
    for path in HA_COMPONENTS.glob("*/quality_scale.yaml"):
        rules |= set(re.findall(r"^  ([a-z0-9-]+):", path.read_text(), re.MULTILINE))
    return rules


def _rule_status(value: Any) -> str:
    return value if isinstance(value, str) else value["status"]


def test_quality_scale_covers_every_rule() -> None:
    rules = QUALITY_SCALE["rules"]
    known = _quality_scale_rules()
    assert len(known) > 50
    assert set(rules) == known, (
        f"missing: {sorted(known - set(rules))}, unknown: {sorted(set(rules) - known)}"
    )
    for rule, value in rules.items():
        if isinstance(value, str):
            assert value in {"done", "todo"}, f"{rule}: a bare status is done or todo"
            continue
        assert set(value) <= {"status", "comment"}, rule
        assert value["status"] in {"done", "todo", "exempt"}, rule
        if value["status"] in {"exempt", "todo"}:
            assert value.get("comment", "").strip(), f"{rule}: {value['status']} needs a reason"


# A README heading for each documentation rule marked done.
DOCS_RULE_HEADINGS = {
    "docs-actions": "## Actions (services)",
    "docs-high-level-description": "## Why: the API quota and adaptive polling",
    "docs-installation-instructions": "## Installation",
    "docs-removal-instructions": "## Removal",
    "docs-configuration-parameters": "## Options",
    "docs-installation-parameters": "## Set-up",
    "docs-data-update": "## How often it polls",
    "docs-examples": "## Example automations",
    "docs-known-limitations": "## Known limitations",
    "docs-supported-devices": "## Requirements and supported devices",
    "docs-supported-functions": "## Entities",
    "docs-troubleshooting": "## Troubleshooting",
    "docs-use-cases": "## Use cases",
}


def test_quality_scale_claims_match_the_code() -> None:
    done = {rule for rule, value in QUALITY_SCALE["rules"].items() if _rule_status(value) == "done"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for rule, heading in DOCS_RULE_HEADINGS.items():
        if rule in done:
            assert heading in readme, f"{rule}: README has no '{heading}'"
    package = importlib.import_module(PACKAGE)
    flow = config_flow.SwitchBotAutomationConfigFlow
    evidence = {
        "brands": (INTEGRATION / "brand" / "icon.png").is_file(),
        "config-flow": MANIFEST["config_flow"] is True,
        "config-entry-unloading": hasattr(package, "async_unload_entry"),
        "dependency-transparency": MANIFEST["requirements"] == [],
        "diagnostics": (INTEGRATION / "diagnostics.py").is_file(),
        "icon-translations": bool(ICONS["entity"]) and bool(ICONS["services"]),
        "inject-websession": "async_get_clientsession(hass)"
        in (INTEGRATION / "account.py").read_text(encoding="utf-8"),
        "integration-owner": bool(MANIFEST["codeowners"]),
        "parallel-updates": all(
            hasattr(module, "PARALLEL_UPDATES") for module in platform_modules().values()
        ),
        "reauthentication-flow": hasattr(flow, "async_step_reauth"),
        "reconfiguration-flow": hasattr(flow, "async_step_reconfigure"),
        "repair-issues": bool(EN["issues"]),
        "strict-typing": PYPROJECT["tool"]["mypy"]["strict"] is True,
        "test-coverage": PYPROJECT["tool"]["coverage"]["report"]["fail_under"] >= 95,
    }
    for rule, holds in evidence.items():
        if rule in done:
            assert holds, f"{rule} is marked done"
    # The rules about an external client library are exempt because there is none: the
    # SwitchBot Cloud client is the subpackage cloud/.
    for rule in ("dependency-transparency", "async-dependency"):
        if _rule_status(QUALITY_SCALE["rules"][rule]) == "exempt":
            assert MANIFEST["requirements"] == [], rule
            assert (INTEGRATION / "cloud" / "client.py").is_file(), rule
