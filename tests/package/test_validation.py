"""Package checks standing in for hassfest and the HACS action, which cannot run here.

What a release needs besides working code: a manifest Home Assistant and HACS accept, a
``hacs.json``, brand images of the right sizes, a quality scale self-assessment covering every
rule, and translations for every name, error and message the code can show. The keys the code
uses are derived from the code itself (entity descriptions of the platform modules, the flow
schemas, an AST scan of the exceptions, issues, errors and abort reasons), so a new entity,
field or exception without a translation fails here, and so does a translation left over.
README.md and README.fr.md must name every option, entity, action, event and state.
"""

import ast
from collections.abc import Iterator, Mapping
import importlib
import json
from pathlib import Path
import re
import tomllib
from types import ModuleType
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import const as ha_const
import homeassistant.components
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.selector import SelectSelector
from homeassistant.helpers.translation import async_get_translations
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component
from PIL import Image
import pytest
import voluptuous as vol
import yaml

from custom_components.switchbot_automation import PLATFORMS, config_flow, options_flow
from custom_components.switchbot_automation.cloud.models import DeviceList
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import (
    EVENT_COMMAND,
    TICK_FAILED_MESSAGE,
)
from custom_components.switchbot_automation.engine.automation_state import AutomationState
from custom_components.switchbot_automation.engine.options import ERROR_KEYS
from custom_components.switchbot_automation.engine.outcomes import OUTCOMES
from custom_components.switchbot_automation.engine.polling import POLLING_MODES
from custom_components.switchbot_automation.engine.settings import DEFAULT_OPTIONS
from custom_components.switchbot_automation.flow_schemas import (
    CREDENTIALS_SCHEMA,
    IMPORT_SCHEMA,
    POLLING_SCHEMA,
    WINDOW_SCHEMA,
    actions_schema,
    advanced_schema,
    devices_schema,
    profiles_schema,
    window_pick_schema,
    windows_pick_schema,
)
from scripts import draw_polling_day

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "custom_components" / DOMAIN
PACKAGE = f"custom_components.{DOMAIN}"
HA_COMPONENTS = Path(homeassistant.components.__file__).parent
READMES = ("README.md", "README.fr.md")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


MANIFEST: dict[str, Any] = _json(INTEGRATION / "manifest.json")
HACS: dict[str, Any] = _json(ROOT / "hacs.json")
EN: dict[str, Any] = _json(INTEGRATION / "translations" / "en.json")
FR: dict[str, Any] = _json(INTEGRATION / "translations" / "fr.json")
ICONS: dict[str, Any] = _json(INTEGRATION / "icons.json")
SERVICES_YAML: dict[str, Any] = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
QUALITY_SCALE: dict[str, Any] = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())

# --- Manifest (hassfest's custom integration schema, script/hassfest/manifest.py) -----------

# Every key hassfest's CUSTOM_INTEGRATION_MANIFEST_SCHEMA knows.
MANIFEST_KEYS = {
    "domain",
    "name",
    "integration_type",
    "config_flow",
    "mqtt",
    "zeroconf",
    "ssdp",
    "bluetooth",
    "homekit",
    "dhcp",
    "usb",
    "documentation",
    "issue_tracker",
    "quality_scale",
    "requirements",
    "dependencies",
    "after_dependencies",
    "codeowners",
    "loggers",
    "disabled",
    "iot_class",
    "single_config_entry",
    "version",
    "import_executor",
}
REQUIRED_MANIFEST_KEYS = {
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "documentation",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "requirements",
    "version",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
# The strategies Home Assistant's loader accepts for a custom integration's version.
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]


def test_manifest_keys_in_home_assistant_order() -> None:
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:]), "domain, name, then alphabetical order"
    assert set(keys) >= REQUIRED_MANIFEST_KEYS
    assert set(keys) <= MANIFEST_KEYS, f"unknown keys: {set(keys) - MANIFEST_KEYS}"
    # Home Assistant reports every custom integration's quality scale as "custom": the
    # self-assessment is quality_scale.yaml, not a manifest key.
    assert "quality_scale" not in MANIFEST


def test_manifest_values() -> None:
    assert MANIFEST["domain"] == DOMAIN == INTEGRATION.name
    assert MANIFEST["name"] == HACS["name"]
    assert MANIFEST["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file()
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST["iot_class"] == "cloud_polling"
    assert MANIFEST["integration_type"] in INTEGRATION_TYPES
    assert MANIFEST["requirements"] == []
    codeowners = MANIFEST["codeowners"]
    assert codeowners
    assert all(re.fullmatch(r"@[\w.-]+(/[\w.-]+)?", owner) for owner in codeowners)
    for key in ("documentation", "issue_tracker"):
        url = MANIFEST[key]
        assert url.startswith("https://"), key
        assert "home-assistant.io" not in url, key


def test_manifest_version() -> None:
    version = MANIFEST["version"]
    parsed = AwesomeVersion(version, ensure_strategy=VERSION_STRATEGIES)
    assert parsed.strategy == AwesomeVersionStrategy.SEMVER
    assert version == PYPROJECT["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{version}]" in changelog


async def test_home_assistant_loads_the_manifest(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert not integration.is_built_in
    assert integration.version == AwesomeVersion(MANIFEST["version"])
    assert integration.config_flow
    assert integration.iot_class == MANIFEST["iot_class"]
    assert integration.integration_type == MANIFEST["integration_type"]
    assert integration.documentation == MANIFEST["documentation"]
    assert integration.requirements == []


# --- hacs.json (https://hacs.xyz/docs/publish/start) ----------------------------------------

HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
}


def _minimum_home_assistant() -> str:
    """Return the Home Assistant version pinned by the minimum test environment."""
    pinned = (ROOT / "requirements" / "minimum.txt").read_text(encoding="utf-8")
    match = re.search(r"^homeassistant==(\S+)", pinned, re.MULTILINE)
    assert match is not None, "requirements/minimum.txt pins no homeassistant"
    return match.group(1)


def test_hacs_json() -> None:
    assert set(HACS) <= HACS_KEYS, f"unknown keys: {set(HACS) - HACS_KEYS}"
    assert HACS["name"]
    # HACS 2 always shows the README: render_readme has no effect any more.
    assert "render_readme" not in HACS
    # The integration lives in custom_components/, not at the root, and is not zipped.
    assert "content_in_root" not in HACS
    assert "zip_release" not in HACS
    folders = [
        path.name
        for path in (ROOT / "custom_components").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    ]
    assert folders == [DOMAIN], "HACS installs one integration per repository"


def test_hacs_minimum_is_the_tested_minimum() -> None:
    minimum = HACS["homeassistant"]
    assert minimum == _minimum_home_assistant()
    assert AwesomeVersion(ha_const.__version__) >= AwesomeVersion(minimum)
    for readme in READMES:
        assert minimum in (ROOT / readme).read_text(encoding="utf-8"), readme


# --- Brand images ----------------------------------------------------------------------------

# Square images: file name -> side; logos: file name -> shortest side (pixels).
BRAND_SQUARE = {"icon.png": 256, "icon@2x.png": 512, "dark_icon.png": 256, "dark_icon@2x.png": 512}
BRAND_LOGO = {"logo.png": 128, "logo@2x.png": 256, "dark_logo.png": 128, "dark_logo@2x.png": 256}


def test_brand_images() -> None:
    brand = INTEGRATION / "brand"
    names = {path.name for path in brand.iterdir()}
    assert {"icon.png", "logo.png"} <= names
    assert names <= set(BRAND_SQUARE) | set(BRAND_LOGO), names
    for name in names:
        with Image.open(brand / name) as image:
            assert image.format == "PNG", name
            width, height = image.size
        if name in BRAND_SQUARE:
            assert (width, height) == (BRAND_SQUARE[name], BRAND_SQUARE[name]), name
        else:
            assert min(width, height) == BRAND_LOGO[name], name
    for name in names & {"icon@2x.png", "logo@2x.png", "dark_logo@2x.png", "dark_icon@2x.png"}:
        assert name.replace("@2x", "") in names, f"{name} without its 1x image"


# --- Quality scale ---------------------------------------------------------------------------


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


def _platform_modules() -> dict[str, ModuleType]:
    return {
        str(platform): importlib.import_module(f"{PACKAGE}.{platform}") for platform in PLATFORMS
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
            hasattr(module, "PARALLEL_UPDATES") for module in _platform_modules().values()
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


# --- Translations: both languages ------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATION_KEY = re.compile(r"[a-z0-9_-]+")


def _strings(data: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(dotted path, leaf)`` of every leaf of a translation file."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _strings(value, f"{path}{key}.")
        else:
            yield f"{path}{key}", value


def _paths(data: Mapping[str, Any], path: str = "") -> Iterator[str]:
    for key, value in data.items():
        yield f"{path}{key}"
        if isinstance(value, Mapping):
            yield from _paths(value, f"{path}{key}.")


def test_french_has_exactly_the_english_keys() -> None:
    en, fr = set(_paths(EN)), set(_paths(FR))
    assert en == fr, f"only in en: {sorted(en - fr)}; only in fr: {sorted(fr - en)}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_translation_strings(language: str) -> None:
    data = EN if language == "en" else FR
    english = dict(_strings(EN))
    for path, text in _strings(data):
        assert isinstance(text, str), path
        assert text.strip(), f"{path} is empty"
        assert text == text.strip(), f"{path} has blanks around it"
        assert "[%key:" not in text, f"{path}: no references in a custom integration"
        assert not re.search(r"'\{\w+\}'", text), f"{path}: a placeholder in single quotes"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[path])), path
    for path in _paths(data):
        key = path.rsplit(".", 1)[-1]
        assert TRANSLATION_KEY.fullmatch(key), f"{path}: keys are lower case"


async def test_home_assistant_reads_the_translations(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    for language, data in (("en", EN), ("fr", FR)):
        texts = await async_get_translations(hass, language, "entity", [DOMAIN])
        key = f"component.{DOMAIN}.entity.sensor.api_calls_today.name"
        assert texts[key] == data["entity"]["sensor"]["api_calls_today"]["name"]


# --- Translations: entities and icons --------------------------------------------------------


def _is_description(value: object) -> bool:
    """Whether ``value`` is an entity description.

    By class name: Home Assistant's frozen dataclass compatibility makes a description built
    from the platform's own class (``SwitchEntityDescription(...)``) an instance of a
    "thawed" copy of ``EntityDescription``, which ``isinstance`` does not recognise.
    """
    return any(cls.__name__ == EntityDescription.__name__ for cls in type(value).__mro__)


def _descriptions() -> dict[str, list[EntityDescription]]:
    """The entity descriptions of each platform module (module-level, alone or in tuples)."""
    found: dict[str, list[EntityDescription]] = {}
    for platform, module in _platform_modules().items():
        descriptions: list[EntityDescription] = []
        for value in vars(module).values():
            if _is_description(value):
                descriptions.append(value)
            elif isinstance(value, tuple) and value and _is_description(value[0]):
                descriptions.extend(value)
        found[platform] = descriptions
    return found


def _states(description: EntityDescription, platform: str) -> set[str]:
    """The states an entity can have that translations and icons may name."""
    options = getattr(description, "options", None)
    if options:
        return {str(option) for option in options}
    if platform in {"binary_sensor", "switch"}:
        return {"on", "off"}
    return set()


def test_every_entity_is_translated() -> None:
    descriptions = _descriptions()
    assert sum(len(items) for items in descriptions.values()) == 14
    used: dict[str, set[str]] = {}
    for platform, items in descriptions.items():
        for description in items:
            key = description.translation_key
            assert key == description.key, "translation key = entity key (the contract)"
            entry = EN["entity"][platform][key]
            assert entry["name"]
            options = getattr(description, "options", None)
            if options:
                assert set(entry["state"]) == {str(option) for option in options}, key
            attributes_fn = getattr(description, "attributes_fn", None)
            if attributes_fn is not None:
                attributes = set(attributes_fn(AutomationState()))
                assert set(entry.get("state_attributes", {})) == attributes, key
            used.setdefault(platform, set()).add(key)
    translated = {platform: set(keys) for platform, keys in EN["entity"].items()}
    assert translated == used, "translations of entities that do not exist"


def test_every_entity_has_an_icon() -> None:
    icon = re.compile(r"mdi:[a-z0-9-]+")
    used: dict[str, set[str]] = {}
    for platform, items in _descriptions().items():
        for description in items:
            key = str(description.translation_key)
            entry = ICONS["entity"][platform][key]
            assert icon.fullmatch(entry["default"]), key
            states = entry.get("state", {})
            assert set(states) <= _states(description, platform), key
            assert all(icon.fullmatch(value) for value in states.values()), key
            used.setdefault(platform, set()).add(key)
    assert {platform: set(keys) for platform, keys in ICONS["entity"].items()} == used


# --- Translations: exceptions and repair issues (AST scan) -----------------------------------

EXCEPTIONS = {
    "HomeAssistantError",
    "ServiceValidationError",
    "UpdateFailed",
    "ConfigEntryAuthFailed",
    "ConfigEntryNotReady",
    "ConfigEntryError",
}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(INTEGRATION.glob("*.py")):
        yield path.name, ast.parse(path.read_text(encoding="utf-8"))


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _dict_keys(node: ast.expr | None) -> set[str] | None:
    if not isinstance(node, ast.Dict):
        return None
    return {key.value for key in node.keys if isinstance(key, ast.Constant)}


def test_every_exception_is_translated() -> None:
    used: set[str] = set()
    dynamic: set[tuple[str, str]] = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in EXCEPTIONS:
                continue
            key = _keyword(node, "translation_key")
            assert key is not None, f"{name}:{node.lineno} raises without a translation key"
            domain = _keyword(node, "translation_domain")
            assert isinstance(domain, ast.Name), f"{name}:{node.lineno}"
            assert domain.id == "DOMAIN", f"{name}:{node.lineno}"
            if not isinstance(key, ast.Constant):
                dynamic.add((name, ast.unparse(key)))
                continue
            used.add(key.value)
            message = EN["exceptions"][key.value]["message"]
            placeholders = set(PLACEHOLDER.findall(message))
            provided = _dict_keys(_keyword(node, "translation_placeholders")) or set()
            assert placeholders <= provided, f"{name}:{node.lineno} {key.value}"
    # The one computed key: the failed outcomes of a manual tick (helpers.raise_on_failure).
    assert dynamic == {("helpers.py", "key")}
    helpers = importlib.import_module(f"{PACKAGE}.helpers")
    used |= set(helpers._FAILED_OUTCOMES.values())
    assert set(EN["exceptions"]) == used


def test_every_repair_issue_is_translated() -> None:
    issues = importlib.import_module(f"{PACKAGE}.issues")
    kinds = {value for name, value in vars(issues).items() if name.startswith("ISSUE_")}
    assert set(EN["issues"]) == kinds
    raised: set[str] = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) != "async_set_issue":
                continue
            kind_node = node.args[2]
            assert isinstance(kind_node, ast.Name), f"{name}:{node.lineno}"
            kind = getattr(issues, kind_node.id)
            raised.add(kind)
            provided = _dict_keys(_keyword(node, "placeholders"))
            assert provided is not None, f"{name}:{node.lineno}: placeholders as a dict literal"
            texts = EN["issues"][kind]
            wanted = set(PLACEHOLDER.findall(texts["title"] + texts["description"]))
            assert wanted <= provided | {"entry_title"}, kind
    assert raised == kinds


# --- Translations: config and options flows --------------------------------------------------

DEVICES = DeviceList.from_api(
    {
        "deviceList": [{"deviceId": "M", "deviceName": "Meter", "deviceType": "Meter"}],
        "infraredRemoteList": [
            {"deviceId": "A", "deviceName": "AC", "remoteType": "Air Conditioner"}
        ],
    }
)
MENU = "menu"
# step id -> the schema its form shows, MENU for a menu. Steps that show nothing (reauth
# only forwards to reauth_confirm) are left out.
CONFIG_STEPS: dict[str, vol.Schema | str] = {
    "user": CREDENTIALS_SCHEMA,
    "devices": devices_schema(DEVICES),
    "window": WINDOW_SCHEMA,
    "reauth_confirm": CREDENTIALS_SCHEMA,
    "reconfigure": CREDENTIALS_SCHEMA,
    "reconfigure_devices": devices_schema(DEVICES),
}
OPTIONS_STEPS: dict[str, vol.Schema | str] = {
    "init": MENU,
    "windows": MENU,
    "window_add": WINDOW_SCHEMA,
    "window_select": window_pick_schema(["Mon 07:00-09:00"]),
    "window_edit": WINDOW_SCHEMA,
    "window_remove": windows_pick_schema(["Mon 07:00-09:00"]),
    "profiles": profiles_schema(),
    "actions": actions_schema([], []),
    "polling": POLLING_SCHEMA,
    "advanced": advanced_schema(["Europe/Paris"]),
    "import_dashboard": IMPORT_SCHEMA,
    "import_confirm": vol.Schema({}),
}
NON_FORM_STEPS = {"reauth"}
FLOWS = (
    ("config", config_flow, config_flow.SwitchBotAutomationConfigFlow, CONFIG_STEPS),
    ("options", options_flow, options_flow.SwitchBotAutomationOptionsFlow, OPTIONS_STEPS),
)


def _module_tree(module: ModuleType) -> ast.Module:
    return ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))


def _step_methods(flow: type) -> set[str]:
    """The steps the flow class defines (not those Home Assistant's base classes offer)."""
    return {
        name.removeprefix("async_step_") for name in vars(flow) if name.startswith("async_step_")
    } - NON_FORM_STEPS


def _fields(schema: vol.Schema) -> dict[str, Any]:
    return {str(marker): value for marker, value in schema.schema.items()}


def _check_fields(where: str, texts: Mapping[str, Any], schema: vol.Schema) -> None:
    """Every field of ``schema`` has a label and a description, sections included."""
    fields = _fields(schema)
    plain = {name for name, value in fields.items() if not isinstance(value, section)}
    assert set(texts.get("data", {})) == plain, f"{where}: data"
    assert set(texts.get("data_description", {})) == plain, f"{where}: data_description"
    sections = {name: value for name, value in fields.items() if isinstance(value, section)}
    assert set(texts.get("sections", {})) == set(sections), f"{where}: sections"
    for name, value in sections.items():
        part = texts["sections"][name]
        assert part["name"], f"{where}.{name}"
        _check_fields(f"{where}.{name}", part, value.schema)


@pytest.mark.parametrize(("category", "module", "flow", "steps"), FLOWS)
def test_every_flow_step_is_translated(
    category: str, module: ModuleType, flow: type, steps: Mapping[str, Any]
) -> None:
    translated = EN[category]["step"]
    assert _step_methods(flow) == set(steps) == set(translated)
    shown = {
        kw.value.value
        for node in ast.walk(_module_tree(module))
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "step_id" and isinstance(kw.value, ast.Constant)
    }
    assert shown <= set(steps)
    for step_id, schema in steps.items():
        texts = translated[step_id]
        assert texts["title"], step_id
        if schema == MENU:
            assert not {"data", "data_description"} & set(texts), step_id
            continue
        assert "menu_options" not in texts, step_id
        _check_fields(f"{category}.{step_id}", texts, schema)


@pytest.mark.parametrize(("category", "module", "flow", "steps"), FLOWS)
def test_every_menu_option_is_translated(
    category: str, module: ModuleType, flow: type, steps: Mapping[str, Any]
) -> None:
    for node in ast.walk(_module_tree(module)):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        menus = [
            call
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and _call_name(call) == "async_show_menu"
        ]
        if not menus:
            continue
        step = _keyword(menus[0], "step_id")
        assert isinstance(step, ast.Constant)
        options = {
            element.value
            for lst in ast.walk(node)
            if isinstance(lst, ast.List)
            for element in lst.elts
            if isinstance(element, ast.Constant)
        }
        assert options <= _step_methods(flow), step.value
        assert set(EN[category]["step"][step.value]["menu_options"]) == options, step.value


def _selectors(schema: vol.Schema) -> Iterator[SelectSelector]:
    for value in schema.schema.values():
        if isinstance(value, section):
            yield from _selectors(value.schema)
        elif isinstance(value, SelectSelector):
            yield value


def test_every_selector_option_is_translated() -> None:
    used: set[str] = set()
    for steps in (CONFIG_STEPS, OPTIONS_STEPS):
        for schema in steps.values():
            if schema == MENU:
                continue
            for selector in _selectors(schema):
                key = selector.config.get("translation_key")
                if key is None:
                    continue
                used.add(key)
                values = {
                    option if isinstance(option, str) else option["value"]
                    for option in selector.config["options"]
                }
                assert values <= set(EN["selector"][key]["options"]), key
    assert set(EN["selector"]) == used


def _errors_and_aborts(module: ModuleType) -> tuple[set[str], set[str]]:
    """The form errors and the abort reasons a flow module sets from constants (AST scan).

    Errors: ``errors[field] = X`` and ``{"base": X}``; aborts: ``async_abort(reason=X)`` and
    the reason handed to ``_async_update_account``. ``X`` is a string or a module constant;
    the error keys carried by exceptions (``err.error_key``) are checked as constants.
    """
    errors: set[str] = set()
    aborts: set[str] = set()

    def resolve(node: ast.expr, into: set[str]) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            into.add(node.value)
        elif isinstance(node, ast.Name) and isinstance(getattr(module, node.id, None), str):
            into.add(getattr(module, node.id))

    for node in ast.walk(_module_tree(module)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "errors":
                    resolve(node.value, errors)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "base":
                    resolve(value, errors)
        elif isinstance(node, ast.Call):
            if (reason := _keyword(node, "reason")) is not None:
                resolve(reason, aborts)
            if _call_name(node) == "_async_update_account":
                resolve(node.args[2], aborts)
    return errors, aborts


def _constants(module: ModuleType, prefix: str) -> set[str]:
    return {value for name, value in vars(module).items() if name.startswith(prefix)}


def test_every_flow_error_and_abort_is_translated() -> None:
    flow_cloud = importlib.import_module(f"{PACKAGE}.account")
    cloud_errors = _constants(flow_cloud, "ERROR_")
    # Aborts Home Assistant raises itself: _abort_if_unique_id_configured, and a second flow
    # for the same unique id.
    implicit = {"already_configured", "already_in_progress"}
    config_errors = cloud_errors | _constants(config_flow, "ERROR_") | set(ERROR_KEYS)
    options_errors = cloud_errors | _constants(options_flow, "ERROR_") | set(ERROR_KEYS)
    errors, aborts = _errors_and_aborts(config_flow)
    assert errors <= config_errors
    assert _constants(config_flow, "ABORT_") <= aborts
    config_aborts = aborts | implicit
    errors, aborts = _errors_and_aborts(options_flow)
    assert errors <= options_errors
    assert not aborts
    assert set(EN["config"]["error"]) == config_errors
    assert set(EN["config"]["abort"]) == config_aborts
    assert set(EN["options"]["error"]) == options_errors
    assert "abort" not in EN["options"]


# --- Services ----------------------------------------------------------------------------


async def test_every_service_is_described_and_translated(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    registered = set(hass.services.async_services().get(DOMAIN, {}))
    assert set(SERVICES_YAML) == registered == set(EN["services"]) == set(ICONS["services"])
    for service, description in SERVICES_YAML.items():
        texts = EN["services"][service]
        assert texts["name"]
        assert texts["description"]
        fields = description.get("fields", {})
        assert set(texts.get("fields", {})) == set(fields), service
        for field, spec in fields.items():
            assert "selector" in spec, f"{service}.{field}"
            assert texts["fields"][field]["name"], f"{service}.{field}"
            assert texts["fields"][field]["description"], f"{service}.{field}"
        assert re.fullmatch(r"mdi:[a-z0-9-]+", ICONS["services"][service]["service"])


# --- README ------------------------------------------------------------------------------


def _option_keys(value: Any) -> set[str]:
    """Every key of the options, nested objects and objects in lists included."""
    keys: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            keys.add(key)
            keys |= _option_keys(item)
    elif isinstance(value, list):
        for item in value:
            keys |= _option_keys(item)
    return keys


def _missing(readme: str, names: set[str]) -> list[str]:
    return sorted(name for name in names if f"`{name}`" not in readme)


@pytest.mark.parametrize("readme_name", READMES)
def test_readme_documents_every_option(readme_name: str) -> None:
    readme = (ROOT / readme_name).read_text(encoding="utf-8")
    missing = _missing(readme, _option_keys(DEFAULT_OPTIONS))
    assert not missing, f"{readme_name} does not document the options {missing}"


@pytest.mark.parametrize("readme_name", READMES)
def test_readme_documents_the_public_surface(readme_name: str) -> None:
    readme = (ROOT / readme_name).read_text(encoding="utf-8")
    entities = {str(description.key) for items in _descriptions().values() for description in items}
    missing = _missing(readme, entities)
    assert not missing, f"{readme_name}: entities not documented: {missing}"
    services = {f"{DOMAIN}.{service}" for service in SERVICES_YAML}
    missing = _missing(readme, services)
    assert not missing, f"{readme_name}: services not documented: {missing}"
    actions = importlib.import_module(f"{PACKAGE}.engine.actions")
    sample = actions.SentAction("off", "turnOff", "default", None, "quick_off", repeat=False)
    event_keys = {"config_entry_id", *sample.as_event_data()}
    missing = _missing(readme, {EVENT_COMMAND, *event_keys})
    assert not missing, f"{readme_name}: event not documented: {missing}"
    missing = _missing(readme, set(POLLING_MODES))
    assert not missing, f"{readme_name}: polling modes not documented: {missing}"
    missing = _missing(readme, set(OUTCOMES))
    assert not missing, f"{readme_name}: outcomes not documented: {missing}"
    assert TICK_FAILED_MESSAGE in readme
    assert "Adaptive polling reschedule: " in readme
    assert "custom_components.switchbot_automation: debug" in readme


def test_readme_includes_try_it() -> None:
    """The README's "Try it in two minutes" section is docs/try-it.md."""
    try_it = ROOT / "docs" / "try-it.md"
    if not try_it.exists():
        pytest.skip("docs/try-it.md was merged into the README")
    assert try_it.read_text(encoding="utf-8").strip() in (ROOT / "README.md").read_text(
        encoding="utf-8"
    )


def test_polling_picture_is_current() -> None:
    """docs/polling-day.svg is what scripts/draw_polling_day draws from the engine today."""
    svg = (ROOT / "docs" / "polling-day.svg").read_text(encoding="utf-8")
    assert svg == draw_polling_day.draw(), "stale: run .venv/bin/python scripts/draw_polling_day"
    # The READMEs quote the ticks and calls of the drawn days, and of a tick every 15 s.
    numbers = [number for pair in draw_polling_day.counts().values() for number in pair]
    numbers.append(draw_polling_day.fixed_ticks(draw_polling_day.SETTINGS))
    for readme, separator in (("README.md", ","), ("README.fr.md", " ")):
        text = (ROOT / readme).read_text(encoding="utf-8")
        assert "(docs/polling-day.svg)" in text
        for number in numbers:
            assert f"{number:,}".replace(",", separator) in text, f"{readme}: {number}"
