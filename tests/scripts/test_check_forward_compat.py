"""Tests for ``scripts/check_forward_compat.py`` against a fake wheel and a fake integration.

Nothing here touches the network: the wheel is a zip built in ``tmp_path`` and the download
function is replaced where the command line would call it.
"""

from __future__ import annotations

from pathlib import Path
import textwrap
from typing import TYPE_CHECKING
import zipfile

import pytest

from scripts import check_forward_compat as cfc

if TYPE_CHECKING:
    from collections.abc import Callable

FAKE_HOMEASSISTANT = {
    "homeassistant/__init__.py": "",
    "homeassistant/const.py": """
        from enum import StrEnum
        from typing import Final

        from .helpers.deprecation import DeprecatedConstant, check_if_deprecated_constant

        DOMAIN_X: Final = "x"
        ANSWER: int = 42
        FIRST, SECOND = 1, 2


        class Platform(StrEnum):
            CLIMATE = "climate"


        type Temperature = float

        try:
            import orjson

            HAS_ORJSON = True
        except ImportError:
            HAS_ORJSON = False

        _DEPRECATED_OLD_NAME = DeprecatedConstant("old", "NEW_NAME", "2027.1")
        _DEPRECATED_TABLE: dict[str, str] = {}  # a plain constant, not a deprecation marker
        __getattr__ = check_if_deprecated_constant
    """,
    "homeassistant/core.py": """
        def callback(func):
            return func


        class HomeAssistant[T]:
            pass


        def _load():
            try:
                pass
            except ValueError, TypeError:  # Python 3.14 syntax (PEP 758)
                pass
    """,
    "homeassistant/helpers/__init__.py": "",
    "homeassistant/helpers/deprecation.py": """
        class DeprecatedConstant:
            pass


        def check_if_deprecated_constant(name, module_globals):
            raise AttributeError(name)


        def deprecated_function(replacement, *, breaks_in_ha_version=None):
            return lambda func: func
    """,
    "homeassistant/helpers/sun.py": """
        from .deprecation import deprecated_function


        @deprecated_function("homeassistant.helpers.sun.new_way", breaks_in_ha_version="2027.7")
        def old_way():
            pass


        def new_way():
            pass
    """,
    "homeassistant/helpers/typing.py": """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from .impl import OnlyForTypes

        ConfigType = dict
    """,
    "homeassistant/helpers/impl.py": """
        __all__ = ["Starred", "Thing"]
        Thing = 1
        Starred = 2
        NotExported = 3
    """,
    "homeassistant/helpers/reexport.py": """
        from .impl import *
        from .impl import Thing as Renamed
        from homeassistant.helpers.sun import old_way
    """,
    "homeassistant-2099.1.0.dist-info/METADATA": """
        Metadata-Version: 2.4
        Name: homeassistant
        Version: 2099.1.0
        Requires-Python: >=3.14.2
    """,
}


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    """A tiny ``homeassistant`` wheel."""
    path = tmp_path / "homeassistant-2099.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FAKE_HOMEASSISTANT.items():
            archive.writestr(name, textwrap.dedent(text).lstrip())
    return path


@pytest.fixture
def make_integration(tmp_path: Path) -> Callable[..., Path]:
    """Write a fake integration folder from ``{file name: source}``."""

    def make(**files: str) -> Path:
        folder = tmp_path / "custom_components" / "fake"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / f"{name}.py").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return folder

    return make


def run(integration: Path, wheel: Path, *extra: str) -> int:
    """Run the command line against the fake wheel."""
    return int(cfc.main(["--integration", str(integration), "--wheel", str(wheel), *extra]))


type Check = Callable[..., str]


@pytest.fixture
def check(
    wheel: Path, make_integration: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> Check:
    """Return ``check(exit_code, *options, **files)``: run the command line on a fake
    integration made of ``files``, check its exit code, and return what it printed."""

    def check(exit_code: int, *options: str, **files: str) -> str:
        assert run(make_integration(**files), wheel, *options) == exit_code
        return capsys.readouterr().out

    return check


def test_present_names_pass(check: Check) -> None:
    init = """
        import homeassistant.helpers.typing
        import homeassistant.const as ha_const
        from homeassistant.const import (
            ANSWER,
            DOMAIN_X,
            FIRST,
            HAS_ORJSON,
            SECOND,
            Platform,
            Temperature,
        )
        from homeassistant.core import HomeAssistant, callback
        from homeassistant.helpers import typing as ha_typing
        from .const import LOCAL  # relative imports are the integration's own business

        VALUE = ha_const.DOMAIN_X
    """
    out = check(0, __init__=init, const="LOCAL = 1\n")
    assert "Home Assistant 2099.1.0, requires Python >=3.14.2" in out
    assert "ok   homeassistant.const.Platform" in out
    assert "ok   homeassistant.core.HomeAssistant" in out
    assert "ok   homeassistant.helpers.typing (module)" in out
    assert "(13 uses in 2 Python files)" in out
    assert "problem" not in out


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "__init__": "from homeassistant.helpers.gone import Something\n"
                "import homeassistant.components.vanished\n"
            },
            [
                "homeassistant.helpers.gone.Something: module not found",
                "homeassistant.components.vanished (module): module not found",
                "__init__.py:1",
            ],
            id="missing-module",
        ),
        pytest.param(
            {
                "__init__": "from homeassistant.const import DOMAIN_X, REMOVED_NAME\n",
                "sensor": "from homeassistant.const import REMOVED_NAME\n",
            },
            [
                "1 problem(s) with Home Assistant 2099.1.0",
                "homeassistant.const.REMOVED_NAME: name not defined",
                "fake/__init__.py:1",
                "fake/sensor.py:1",  # every place that uses it is listed
            ],
            id="missing-name",
        ),
        pytest.param(
            {"__init__": "from homeassistant.helpers.typing import OnlyForTypes\n"},
            ["defined only under TYPE_CHECKING"],
            id="runtime-import-of-a-type-checking-only-name",
        ),
    ],
)
def test_missing_names_fail(check: Check, files: dict[str, str], expected: list[str]) -> None:
    out = check(1, **files)
    for line in expected:
        assert line in out


def test_deprecated_names_fail(check: Check) -> None:
    init = """
        from homeassistant.const import OLD_NAME
        from homeassistant.helpers.sun import new_way, old_way
        from homeassistant.helpers.reexport import old_way as old_again
    """
    out = check(1, __init__=init)
    assert (
        "homeassistant.const.OLD_NAME: deprecated in homeassistant.const "
        "(marked with DeprecatedConstant, use NEW_NAME, breaks in 2027.1)"
    ) in out
    assert "homeassistant.helpers.sun.old_way: deprecated" in out
    assert "use homeassistant.helpers.sun.new_way, breaks in 2027.7" in out
    # A deprecated function re-exported by another module is followed to its definition.
    assert "homeassistant.helpers.reexport.old_way: deprecated in homeassistant.helpers.sun" in out
    assert "ok   homeassistant.helpers.sun.new_way" in out
    assert "3 problem(s)" in out


def test_prefixed_constant_that_is_not_a_marker_is_ignored(
    wheel: Path, make_integration: Callable[..., Path]
) -> None:
    integration = make_integration(__init__="from homeassistant.const import TABLE\n")

    assert run(integration, wheel) == 1  # missing, but not reported as deprecated
    report = cfc.check(cfc.Wheel(wheel), cfc.collect_imports(integration))
    assert [problem.reason for problem in report.problems] == ["name not defined"]


def test_reexported_names_pass(check: Check) -> None:
    out = check(
        1,
        __init__="from homeassistant.helpers.reexport import Renamed, Starred, Thing\n",
        other="from homeassistant.helpers.reexport import NotExported\n",
    )
    for name in ("Renamed", "Starred", "Thing"):
        assert f"ok   homeassistant.helpers.reexport.{name}" in out
    # ``from .impl import *`` honours ``__all__``.
    assert "homeassistant.helpers.reexport.NotExported: name not defined" in out


def test_type_checking_imports_are_checked(check: Check) -> None:
    init = """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from homeassistant.helpers.typing import ConfigType, GoneType, OnlyForTypes
    """
    out = check(1, __init__=init)
    assert "homeassistant.helpers.typing.GoneType: name not defined" in out
    assert "ok   homeassistant.helpers.typing.OnlyForTypes" in out
    assert "ok   homeassistant.helpers.typing.ConfigType" in out


def test_imports_in_functions_and_module_attributes_are_checked(check: Check) -> None:
    init = """
        import homeassistant.core


        def setup():
            from homeassistant.helpers import typing as ha_typing
            from homeassistant.core import Missing

            homeassistant.core.callback(setup)
            homeassistant.core.vanished()
            return ha_typing.ConfigType, ha_typing.Gone.attribute
    """
    out = check(1, __init__=init)
    assert "homeassistant.core.Missing: name not defined (used at" in out
    assert "ok   homeassistant.core.callback" in out
    assert "homeassistant.core.vanished: name not defined" in out
    assert "ok   homeassistant.helpers.typing.ConfigType" in out
    assert "homeassistant.helpers.typing.Gone: name not defined" in out


def test_quiet_prints_only_the_summary(check: Check) -> None:
    out = check(0, "--quiet", __init__="from homeassistant.const import Platform\n")
    assert "Platform" not in out
    assert "Checked 1 distinct modules and names" in out


def test_bad_inputs_exit_2(
    tmp_path: Path,
    wheel: Path,
    make_integration: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    integration = make_integration(__init__="")
    not_a_zip = tmp_path / "broken.whl"
    not_a_zip.write_text("no zip", encoding="utf-8")

    assert run(tmp_path / "nowhere", wheel) == 2
    assert run(integration, tmp_path / "missing.whl") == 2
    assert run(integration, not_a_zip) == 2
    err = capsys.readouterr().err
    assert "integration folder not found" in err
    assert "wheel not found" in err
    assert "cannot read wheel" in err


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
        "try:\n    pass\nexcept* ValueError, TypeError:\n    pass\n",
        "type Alias[T] = list[T]\n",
        "def generic[T](value: T) -> T:\n    return value\n",
        "class Box[T: (int, str) = int](object):\n    pass\n",
        "class Multi[\n    T: int = int,\n](object):\n    pass\n",
    ],
)
def test_newer_syntax_is_parsed(source: str) -> None:
    tree = cfc.parse_source(source, "new.py")
    names = set(cfc.collect_module_symbols(tree).names)
    assert names <= {"Alias", "generic", "Box", "Multi"}
    assert cfc.scan_module_symbols(source).names.keys() == names


def test_line_scan_fallback_finds_module_level_names() -> None:
    source = textwrap.dedent(
        """
        from .deprecation import (
            DeprecatedConstant,
            deprecated_function as _deprecated,
        )
        import os.path
        from .impl import *

        A = B = 1
        C: int = 2
        try:
            import orjson as fast_json
        except ImportError:
            fast_json = None
        _DEPRECATED_OLD = DeprecatedConstant(1, "NEW", "2027.1")


        @deprecated_function(
            "new_way",
        )
        def old_way():
            inner = 1
        """
    )

    symbols = cfc.scan_module_symbols(source)
    assert set(symbols.names) >= {
        "DeprecatedConstant",
        "_deprecated",
        "os",
        "A",
        "B",
        "C",
        "fast_json",
        "old_way",
    }
    assert "inner" not in symbols.names
    assert symbols.star_imports == [(1, "impl")]
    assert set(symbols.deprecated) == {"OLD", "old_way"}


def test_network_failures_are_recognised() -> None:
    assert cfc.looks_offline(
        "WARNING: Retrying ... 'NewConnectionError(... Failed to establish a new connection"
    )
    assert cfc.looks_offline("Temporary failure in name resolution")
    assert not cfc.looks_offline("ERROR: No matching distribution found for homeassistant")


def test_pip_environment_drops_the_machine_constraints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_CONSTRAINT", "/etc/constraints.txt")
    monkeypatch.setenv("PIP_PYTHON_VERSION", "3.11")
    env = cfc.pip_environment()
    assert env["PIP_CONSTRAINT"] == ""
    assert "PIP_PYTHON_VERSION" not in env


def test_downloaded_wheel_is_found_in_pips_output(tmp_path: Path) -> None:
    saved = tmp_path / "homeassistant-2026.11.0-py3-none-any.whl"
    assert cfc._downloaded_path(f"Collecting homeassistant\nSaved {saved}\n", tmp_path) == saved
    assert cfc._downloaded_path(f"File was already downloaded {saved}\n", tmp_path) == saved
    assert cfc._downloaded_path("Successfully downloaded homeassistant\n", tmp_path) is None


def test_newest_cached_wheel_compares_versions_numerically(tmp_path: Path) -> None:
    for version in ("2026.9.4", "2026.11.0", "2026.10.4"):
        (tmp_path / f"homeassistant-{version}-py3-none-any.whl").touch()
    newest = cfc.newest_cached_wheel(tmp_path)
    assert newest is not None
    assert newest.name == "homeassistant-2026.11.0-py3-none-any.whl"
    assert cfc.newest_cached_wheel(tmp_path / "empty") is None


type RunOffline = Callable[..., tuple[int, pytest.CaptureResult[str]]]


@pytest.fixture
def run_offline(
    tmp_path: Path,
    make_integration: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> RunOffline:
    """Return ``run_offline(source, *options)``: the command line on a fake integration whose
    ``__init__.py`` is ``source``, the download failing as it does without a network, and the
    wheel cache in ``tmp_path / "cache"``. It returns the exit code and what was printed."""

    def fail(cache_dir: Path, target_python: str) -> Path:
        raise cfc.OfflineError("the package index could not be reached: NewConnectionError")

    monkeypatch.setattr(cfc, "download_newest_wheel", fail)

    def run_offline(source: str, *options: str) -> tuple[int, pytest.CaptureResult[str]]:
        integration = make_integration(__init__=source)
        cache = tmp_path / "cache"
        code = cfc.main(["--integration", str(integration), "--cache-dir", str(cache), *options])
        return code, capsys.readouterr()

    return run_offline


def test_offline_fails_without_offline_ok(run_offline: RunOffline) -> None:
    code, printed = run_offline("")
    assert code == 2
    assert "could not be reached" in printed.err


def test_offline_ok_skips_without_a_cached_wheel(run_offline: RunOffline) -> None:
    code, printed = run_offline("from homeassistant.const import Platform\n", "--offline-ok")
    assert code == 0
    assert "check skipped" in printed.err
    assert "Checked" not in printed.out


def test_offline_ok_uses_the_cached_wheel(
    tmp_path: Path, wheel: Path, run_offline: RunOffline
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    wheel.rename(cache / wheel.name)
    code, printed = run_offline("from homeassistant.const import Gone\n", "--offline-ok")
    assert code == 1  # the cached release is still checked
    assert "checking the cached homeassistant-2099.1.0" in printed.err
    assert "homeassistant.const.Gone: name not defined" in printed.out
