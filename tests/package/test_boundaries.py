"""The packages' boundaries: the engine is plain Python, the cloud client knows no Home Assistant.

Each check reads every module of the package as it is on disk, so a module added later is
checked without anyone listing it.
"""

import ast
from pathlib import Path
import sys

import pytest

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "switchbot_automation"


def imports_of(package: Path) -> dict[str, tuple[set[str], set[str]]]:
    """Return, per module of ``package``, the absolute top-level packages it imports and the
    relative imports that leave the package (``..something``)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for module in sorted(package.glob("*.py")):
        absolute: set[str] = set()
        outside: set[str] = set()
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                absolute.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    absolute.add((node.module or "").split(".")[0])
                elif node.level > 1:
                    outside.add(node.module or "")
        found[module.name] = (absolute, outside)
    return found


def test_engine_imports_only_the_standard_library() -> None:
    modules = imports_of(INTEGRATION / "engine")
    assert "tick.py" in modules
    for module, (absolute, outside) in modules.items():
        assert absolute <= sys.stdlib_module_names, (module, absolute - sys.stdlib_module_names)
        assert not outside, (module, outside)


def test_cloud_client_imports_only_aiohttp_and_the_standard_library() -> None:
    modules = imports_of(INTEGRATION / "cloud")
    assert "client.py" in modules
    for module, (absolute, outside) in modules.items():
        assert absolute <= {*sys.stdlib_module_names, "aiohttp"}, module
        assert not outside, (module, outside)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("engine", {"homeassistant", "aiohttp"}), ("cloud", {"homeassistant"})],
)
def test_package_runs_without_forbidden_modules(package: str, forbidden: set[str]) -> None:
    """Importing the package in a fresh interpreter loads none of the forbidden modules."""
    import subprocess

    code = (
        f"import sys; import custom_components.switchbot_automation.{package}; "
        f"print(sorted(set({sorted(forbidden)!r}) & {{m.split('.')[0] for m in sys.modules}}))"
    )
    stub = "import sys, types; sys.modules['custom_components.switchbot_automation'] = "
    # The integration's __init__ imports Home Assistant: load the subpackage on its own.
    loader = (
        f"{stub}types.ModuleType('custom_components.switchbot_automation'); "
        f"sys.modules['custom_components.switchbot_automation'].__path__ = [{str(INTEGRATION)!r}]; "
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", loader + code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
