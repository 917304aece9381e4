"""The texts of the config and options flows: every step, field, section, menu option,
selector option, error and abort reason the flows can show (schemas and an AST scan).
"""

import ast
from collections.abc import Iterator, Mapping
import importlib
from types import ModuleType
from typing import Any

from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import SelectSelector
import pytest
import voluptuous as vol

from custom_components.switchbot_automation import config_flow, options_flow
from custom_components.switchbot_automation.cloud.models import DeviceList
from custom_components.switchbot_automation.engine.options import OptionError
from custom_components.switchbot_automation.flow_schemas import (
    CREDENTIALS_SCHEMA,
    IMPORT_SCHEMA,
    POLLING_SCHEMA,
    WINDOW_SCHEMA,
    actions_schema,
    advanced_schema,
    devices_schema,
    inputs_schema,
    profiles_schema,
    window_pick_schema,
    windows_pick_schema,
)

from .support import EN, PACKAGE, call_name, keyword, module_tree

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
    "inputs": inputs_schema(),
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
        for node in ast.walk(module_tree(module))
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
    for node in ast.walk(module_tree(module)):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        menus = [
            call
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and call_name(call) == "async_show_menu"
        ]
        if not menus:
            continue
        step = keyword(menus[0], "step_id")
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

    for node in ast.walk(module_tree(module)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "errors":
                    resolve(node.value, errors)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "base":
                    resolve(value, errors)
        elif isinstance(node, ast.Call):
            if (reason := keyword(node, "reason")) is not None:
                resolve(reason, aborts)
            if call_name(node) == "_async_update_account":
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
    config_errors = cloud_errors | _constants(config_flow, "ERROR_") | set(OptionError)
    options_errors = cloud_errors | _constants(options_flow, "ERROR_") | set(OptionError)
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
