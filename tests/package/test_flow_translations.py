"""The texts of the flows (set-up, the account's options, a room's subentry flow): every step,
field, section, menu option, selector option, error and abort reason they can show (schemas
and an AST scan of the methods of each flow, its mixins included).
"""

import ast
from collections.abc import Callable, Iterator, Mapping
import importlib
import inspect
import textwrap
from typing import Any, NamedTuple

from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import SelectSelector
import pytest
import voluptuous as vol

from custom_components.switchbot_automation import config_flow, options_flow, room_flow
from custom_components.switchbot_automation.cloud.models import DeviceList
from custom_components.switchbot_automation.engine import ACCOUNT_OPTION_KEYS, validate_options
from custom_components.switchbot_automation.engine.options import OptionError
from custom_components.switchbot_automation.flow_schemas import (
    ACCOUNT_SCHEMA,
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

from .support import EN, PACKAGE, call_name, keyword

DEVICES = DeviceList.from_api(
    {
        "deviceList": [{"deviceId": "M", "deviceName": "Meter", "deviceType": "Meter"}],
        "infraredRemoteList": [
            {"deviceId": "A", "deviceName": "AC", "remoteType": "Air Conditioner"}
        ],
    }
)
MENU = "menu"
# step id -> the schema its form shows, MENU for a menu. Steps that show nothing of their own
# (reauth only forwards to reauth_confirm, a room's user step to devices) are left out.
CONFIG_STEPS: dict[str, vol.Schema | str] = {
    "user": CREDENTIALS_SCHEMA,
    "devices": devices_schema(DEVICES),
    "window": WINDOW_SCHEMA,
    "reauth_confirm": CREDENTIALS_SCHEMA,
    "reconfigure": CREDENTIALS_SCHEMA,
}
OPTIONS_STEPS: dict[str, vol.Schema | str] = {"init": ACCOUNT_SCHEMA}
ROOM_STEPS: dict[str, vol.Schema | str] = {
    "devices": devices_schema(DEVICES),
    "window": WINDOW_SCHEMA,
    "reconfigure": MENU,
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


class Flow(NamedTuple):
    texts: Mapping[str, Any]
    flow: type
    steps: dict[str, vol.Schema | str]
    forwarding: frozenset[str]
    # Aborts Home Assistant raises itself, and errors not set from a constant.
    implicit_aborts: frozenset[str]
    implicit_errors: frozenset[str]


CLOUD_ERRORS = frozenset(
    value
    for name, value in vars(importlib.import_module(f"{PACKAGE}.account")).items()
    if name.startswith("ERROR_")
)
# The account's form has no error constant: its errors are the engine's, for its options.
ACCOUNT_ERRORS = frozenset(
    error
    for key in ACCOUNT_OPTION_KEYS
    for value in (-1, 10_001, 1.5, "many", None, True)
    for error in validate_options({key: value}, is_valid_timezone=bool).values()
)
FLOWS = {
    # _abort_if_unique_id_configured, and a second flow for the same unique id.
    "config": Flow(
        EN["config"],
        config_flow.SwitchBotAutomationConfigFlow,
        CONFIG_STEPS,
        frozenset({"reauth"}),
        frozenset({"already_configured", "already_in_progress"}),
        CLOUD_ERRORS | set(OptionError),
    ),
    # The engine's validation of the account's options.
    "options": Flow(
        EN["options"],
        options_flow.AccountOptionsFlow,
        OPTIONS_STEPS,
        frozenset(),
        frozenset(),
        ACCOUNT_ERRORS,
    ),
    # A subentry's unique id taken by a concurrent flow; async_update_and_abort.
    "room": Flow(
        EN["config_subentries"]["room"],
        room_flow.RoomSubentryFlow,
        ROOM_STEPS,
        frozenset({"user"}),
        frozenset({"already_configured", "reconfigure_successful"}),
        CLOUD_ERRORS | set(OptionError),
    ),
}


def _own_methods(flow: type) -> dict[str, Callable[..., Any]]:
    """The methods the flow and its mixins of this package define (not Home Assistant's)."""
    methods: dict[str, Callable[..., Any]] = {}
    for cls in reversed(flow.__mro__):
        if cls.__module__.startswith(PACKAGE):
            methods.update(
                {name: value for name, value in vars(cls).items() if inspect.isfunction(value)}
            )
    return methods


def _step_methods(flow: Flow) -> set[str]:
    return {
        name.removeprefix("async_step_")
        for name in _own_methods(flow.flow)
        if name.startswith("async_step_")
    } - flow.forwarding


def _method_trees(flow: type) -> Iterator[tuple[ast.AST, Callable[..., Any]]]:
    for method in _own_methods(flow).values():
        yield ast.parse(textwrap.dedent(inspect.getsource(method))), method


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


@pytest.mark.parametrize("name", FLOWS)
def test_every_flow_step_is_translated(name: str) -> None:
    flow = FLOWS[name]
    translated = flow.texts["step"]
    assert _step_methods(flow) == set(flow.steps) == set(translated)
    shown = {
        kw.value.value
        for tree, _ in _method_trees(flow.flow)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "step_id" and isinstance(kw.value, ast.Constant)
    }
    assert shown <= set(flow.steps)
    for step_id, schema in flow.steps.items():
        texts = translated[step_id]
        assert texts["title"], step_id
        if schema == MENU:
            assert not {"data", "data_description"} & set(texts), step_id
            continue
        assert "menu_options" not in texts, step_id
        _check_fields(f"{name}.{step_id}", texts, schema)


@pytest.mark.parametrize("name", FLOWS)
def test_every_menu_option_is_translated(name: str) -> None:
    flow = FLOWS[name]
    menus = 0
    for tree, _ in _method_trees(flow.flow):
        calls = [
            call
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and call_name(call) == "async_show_menu"
        ]
        if not calls:
            continue
        menus += 1
        step = keyword(calls[0], "step_id")
        assert isinstance(step, ast.Constant)
        options = {
            element.value
            for lst in ast.walk(tree)
            if isinstance(lst, ast.List)
            for element in lst.elts
            if isinstance(element, ast.Constant)
        }
        assert options <= _step_methods(flow), step.value
        assert set(flow.texts["step"][step.value]["menu_options"]) == options, step.value
    assert menus == sum(schema == MENU for schema in flow.steps.values())


def _selectors(schema: vol.Schema) -> Iterator[SelectSelector]:
    for value in schema.schema.values():
        if isinstance(value, section):
            yield from _selectors(value.schema)
        elif isinstance(value, SelectSelector):
            yield value


def test_every_selector_option_is_translated() -> None:
    used: set[str] = set()
    for flow in FLOWS.values():
        for schema in flow.steps.values():
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


def _errors_and_aborts(flow: type) -> tuple[set[str], set[str], set[str]]:
    """The form errors, the abort reasons and the error constants of a flow (AST scan).

    Errors: ``errors[field] = X`` and ``{"base": X}``; aborts: ``async_abort(reason=X)`` and
    the reason handed to ``_async_update_account``. ``X`` is a string or a module constant;
    the error keys carried by exceptions (``err.error_key``) and values computed at run time
    are covered by the ``ERROR_`` constants of the modules (the third set).
    """
    errors: set[str] = set()
    aborts: set[str] = set()
    constants: set[str] = set()

    for tree, method in _method_trees(flow):
        namespace = method.__globals__
        constants |= {
            value
            for name, value in namespace.items()
            if name.startswith("ERROR_") and isinstance(value, str)
        }

        def resolve(node: ast.expr, into: set[str], namespace: dict[str, Any] = namespace) -> None:
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                into.add(node.value)
            elif isinstance(node, ast.Name) and isinstance(namespace.get(node.id), str):
                into.add(namespace[node.id])
            elif isinstance(node, ast.IfExp):
                resolve(node.body, into)
                resolve(node.orelse, into)

        for node in ast.walk(tree):
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
                    resolve(node.args[1], aborts)
    return errors, aborts, constants


@pytest.mark.parametrize("name", FLOWS)
def test_every_flow_error_and_abort_is_translated(name: str) -> None:
    flow = FLOWS[name]
    errors, aborts, constants = _errors_and_aborts(flow.flow)
    known_errors = constants | flow.implicit_errors
    assert errors <= known_errors
    assert set(flow.texts.get("error", {})) == known_errors
    assert set(flow.texts.get("abort", {})) == aborts | flow.implicit_aborts
