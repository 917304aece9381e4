"""What the package checks share: the repository's files, parsed, and the integration's
entity descriptions and modules (``tests/package/test_*.py``)."""

import ast
import importlib
import json
from pathlib import Path
import re
import tomllib
from types import ModuleType
from typing import Any

from homeassistant.helpers.entity import EntityDescription
import yaml

from custom_components.switchbot_automation import PLATFORMS
from custom_components.switchbot_automation.const import DOMAIN

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "custom_components" / DOMAIN
PACKAGE = f"custom_components.{DOMAIN}"
READMES = ("README.md", "README.fr.md")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def read_json(path: Path) -> Any:
    """Return the JSON file at ``path``."""
    return json.loads(path.read_text(encoding="utf-8"))


MANIFEST: dict[str, Any] = read_json(INTEGRATION / "manifest.json")
HACS: dict[str, Any] = read_json(ROOT / "hacs.json")
EN: dict[str, Any] = read_json(INTEGRATION / "translations" / "en.json")
FR: dict[str, Any] = read_json(INTEGRATION / "translations" / "fr.json")
ICONS: dict[str, Any] = read_json(INTEGRATION / "icons.json")
SERVICES_YAML: dict[str, Any] = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
QUALITY_SCALE: dict[str, Any] = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())


def platform_modules() -> dict[str, ModuleType]:
    """The integration's platform modules, by platform."""
    return {
        str(platform): importlib.import_module(f"{PACKAGE}.{platform}") for platform in PLATFORMS
    }


def is_description(value: object) -> bool:
    """Whether ``value`` is an entity description.

    By class name: Home Assistant's frozen dataclass compatibility makes a description built
    from the platform's own class (``SwitchEntityDescription(...)``) an instance of a
    "thawed" copy of ``EntityDescription``, which ``isinstance`` does not recognise.
    """
    return any(cls.__name__ == EntityDescription.__name__ for cls in type(value).__mro__)


def entity_descriptions() -> dict[str, list[EntityDescription]]:
    """The entity descriptions of each platform module (module-level, alone or in tuples)."""
    found: dict[str, list[EntityDescription]] = {}
    for platform, module in platform_modules().items():
        descriptions: list[EntityDescription] = []
        for value in vars(module).values():
            if is_description(value):
                descriptions.append(value)
            elif isinstance(value, tuple) and value and is_description(value[0]):
                descriptions.extend(value)
        found[platform] = descriptions
    return found


def module_tree(module: ModuleType) -> ast.Module:
    """The syntax tree of ``module``'s source."""
    return ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))


def call_name(call: ast.Call) -> str:
    """The name of the function or method a call calls (``""`` when it is computed)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value given to the keyword argument ``name`` of a call, if any."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
