#!/usr/bin/env python3
"""Check that every Home Assistant name the integration imports exists in the newest release.

Why: users run Home Assistant 2026.x on Python 3.14, which cannot be installed on the
development machines, so the test suites run on an older Home Assistant. This script closes
the gap statically: it downloads the newest ``homeassistant`` wheel the package index offers
for Python 3.14 (cached under ``.cache/forward-compat/``), reads the modules the integration
imports from it with ``ast`` (nothing from the wheel is imported or executed) and reports:

* a ``homeassistant.*`` module that no longer exists,
* a name imported from it (or reached as ``module_alias.name``) that is no longer defined,
* a name the release marks as deprecated (``_DEPRECATED_<NAME> = DeprecatedConstant(...)``
  and friends, or ``@deprecated_function`` / ``@deprecated_class``),
* a name imported at run time that the release defines only under ``if TYPE_CHECKING:``.

Usage::

    scripts/check_forward_compat                  # download (or reuse) the newest wheel
    scripts/check_forward_compat --wheel X.whl    # check against a given wheel, no network
    scripts/check_forward_compat --offline-ok     # local use without a network, see below
    scripts/check_forward_compat --quiet          # summary and problems only

``--offline-ok``: when the package index cannot be reached, check the wheel cached by an
earlier run (with a warning), or, if there is none, print a warning and exit 0. CI runs the
script without it, so there a failed download fails the build. Exit status: 0 all names
present, 1 something is missing or deprecated, 2 the check could not run.

Only the standard library is used, so any Python >= 3.11 runs it. The wheel's source is written
for Python 3.14; syntax an older interpreter cannot parse (``except A, B:`` everywhere before
3.14, PEP 695 type parameters and ``type`` statements on 3.11) is rewritten before parsing,
which keeps module-level names intact. On Python 3.11 a few files (PEP 701 f-strings) need
lines skipped or a line-by-line scan instead; the report then names them as approximate.
"""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass, field
import keyword
import os
from pathlib import Path
import re
import subprocess
import sys
import time
from typing import TYPE_CHECKING
import warnings
import zipfile

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INTEGRATION = REPO_ROOT / "custom_components" / "switchbot_automation"
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "forward-compat"
ROOT_PACKAGE = "homeassistant"
# The newest 3.14 patch level: pip reads a bare "3.14" as 3.14.0, which skips every release
# declaring ``Requires-Python: >=3.14.2`` (all of 2026.3 and later) and silently returns
# 2026.2.x. A high patch number keeps every 3.14 release eligible and none for 3.15.
DEFAULT_TARGET_PYTHON = "3.14.99"

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2

# Decorators from ``homeassistant.helpers.deprecation`` (and PEP 702's ``deprecated``) that mark
# a module-level function or class as deprecated.
DEPRECATING_DECORATORS = frozenset({"deprecated_function", "deprecated_class", "deprecated"})
DEPRECATED_PREFIX = "_DEPRECATED_"
# ``_DEPRECATED_X = DeprecatedConstant(...)``, ``DeprecatedConstantEnum``, ``DeprecatedAlias``,
# ``DeferredDeprecatedAlias``: Home Assistant's module ``__getattr__`` serves ``X`` with a warning.
DEPRECATION_HELPER = re.compile(r"^(Deferred)?Deprecated[A-Za-z]*$")

# Markers in pip's output that mean the index could not be reached at all (as opposed to, say,
# no matching release): only these let ``--offline-ok`` pass.
NETWORK_FAILURE_MARKERS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "Network is unreachable",
    "No route to host",
    "Connection refused",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Connection timed out",
    "ProxyError",
    "Max retries exceeded",
)

# Environment variables that would change which release pip picks: the machine-wide constraint
# file (it could pin homeassistant), pre-releases, or an offline switch.
PIP_ENV_OVERRIDES = {
    "PIP_CONSTRAINT": "",
    "PIP_PRE": "false",
    "PIP_NO_INDEX": "false",
    "PIP_REQUIRE_VIRTUALENV": "false",
    "PIP_NO_INPUT": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
PIP_ENV_REMOVED = (
    "PIP_ONLY_BINARY",
    "PIP_NO_BINARY",
    "PIP_PLATFORM",
    "PIP_PYTHON_VERSION",
    "PIP_IMPLEMENTATION",
    "PIP_ABI",
)

# ``except A, B:`` without parentheses (PEP 758, Python 3.14).
_BARE_EXCEPT_TUPLE = re.compile(
    r"^(?P<head>\s*except\s*\*?)\s+(?P<types>[^\s(#:][^#:]*?,[^#:]*?)\s*:(?P<tail>.*)$",
    re.DOTALL,
)
# ``type Name[...] = value`` (PEP 695, Python 3.12).
_TYPE_STATEMENT = re.compile(r"^(?P<indent>\s*)type\s+(?P<name>[A-Za-z_]\w*)\s*(?P<rest>[\[=].*)$")
# ``def name[...](`` / ``class Name[...]`` (PEP 695, Python 3.12).
_GENERIC_DEF = re.compile(r"^(?P<head>\s*(?:async\s+)?(?:def|class)\s+[A-Za-z_]\w*)\s*\[")
_MAX_REPAIRS = 500
_GENERIC_LOOKBACK = 20
_DEPRECATION_ARGUMENTS: dict[str, tuple[int | None, int | None]] = {
    "DeprecatedConstantEnum": (0, 1),  # (enum, breaks_in_ha_version): the enum member is the fix
    "deprecated_function": (0, None),
    "deprecated_class": (0, None),
    "deprecated": (0, None),
}


class CheckError(Exception):
    """The check could not run (bad wheel, unreadable integration, failed download)."""


class OfflineError(CheckError):
    """The package index could not be reached."""


# --------------------------------------------------------------------------------------------
# Parsing source written for a newer Python
# --------------------------------------------------------------------------------------------


def _strip_bracket_group(text: str, start: int) -> str | None:
    """Remove the ``[...]`` group opening at ``text[start]``; None when it is unbalanced."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return text[:start] + text[index + 1 :]
    return None


def _repair_line(lines: list[str], index: int, lossy: list[int]) -> bool:
    """Rewrite ``lines[index]`` into older syntax with the same module-level names.

    Returns False when no rule applies. Rules, tried in order:
    ``except A, B:`` -> ``except (A, B):``; ``type X[T] = v`` -> ``X = v``;
    ``def f[T](`` / ``class C[T]`` -> ``def f(`` / ``class C``. As a last resort (syntax such
    as PEP 701 f-strings on Python 3.11) a line that is not a ``def``/``class`` header is
    replaced by ``...,``, which is valid both as a statement and inside brackets; only code
    inside function bodies is lost that way in practice, and the line number is appended to
    ``lossy`` so that the caller can say the result is approximate.
    """
    line = lines[index]
    newline = line[len(line.rstrip("\r\n")) :]
    body = line[: len(line) - len(newline)]
    match = _BARE_EXCEPT_TUPLE.match(body)
    if match:
        lines[index] = f"{match['head']} ({match['types']}):{match['tail']}{newline}"
        return True
    match = _TYPE_STATEMENT.match(body)
    if match:
        rest = match["rest"]
        if rest.startswith("["):
            stripped = _strip_bracket_group(rest, 0)
            if stripped is None:
                return False
            rest = stripped.lstrip()
        lines[index] = f"{match['indent']}{match['name']} {rest}{newline}"
        return True
    # The parser may point inside a multi-line ``[...]`` (PEP 696 defaults on Python 3.12),
    # so look a few lines up for the header the error belongs to.
    for start in range(index, max(index - _GENERIC_LOOKBACK, -1), -1):
        match = _GENERIC_DEF.match(lines[start])
        if match:
            joined = "".join(lines[start:])
            stripped = _strip_bracket_group(joined, match.end() - 1)
            if stripped is None:
                return False
            lines[start:] = stripped.splitlines(keepends=True)
            return True
    if body.strip() in {"", "...,"} or re.match(r"\s*(async\s+def|def|class)\b", body):
        return False
    indent = body[: len(body) - len(body.lstrip())]
    lines[index] = f"{indent}...,{newline}"
    lossy.append(index + 1)
    return True


def parse_source(source: str, filename: str, lossy: list[int] | None = None) -> ast.Module:
    """Parse Python source, rewriting syntax that the running interpreter does not know.

    Why: the newest Home Assistant targets Python 3.14 while this script may run on 3.11+.
    The rewrite is driven by the parser's own error line, so code the interpreter understands
    is never touched. Lines blanked by the last-resort rule are appended to ``lossy``.
    Raises ``SyntaxError`` when the source cannot be repaired.
    """
    lines = source.splitlines(keepends=True)
    lossy = [] if lossy is None else lossy
    for _ in range(_MAX_REPAIRS):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse("".join(lines), filename)
        except SyntaxError as err:
            index = (err.lineno or 0) - 1
            if not 0 <= index < len(lines) or not _repair_line(lines, index, lossy):
                raise
    raise SyntaxError(f"{filename}: too many syntax repairs")


# --------------------------------------------------------------------------------------------
# What a module of the wheel defines
# --------------------------------------------------------------------------------------------


@dataclass
class Symbol:
    """A module-level name of a wheel module."""

    runtime: bool
    """False when the name is bound only inside ``if TYPE_CHECKING:``."""
    origin: tuple[int, str | None, str] | None = None
    """``(level, module, name)`` when the name is bound by ``from module import name``."""


@dataclass
class ModuleSymbols:
    """The module-level names of one module, as far as static analysis can tell."""

    names: dict[str, Symbol] = field(default_factory=dict)
    deprecated: dict[str, str] = field(default_factory=dict)
    """Deprecated name -> human readable reason."""
    star_imports: list[tuple[int, str | None]] = field(default_factory=list)
    all_names: list[str] | None = None

    def bind(
        self,
        name: str,
        *,
        type_checking: bool,
        origin: tuple[int, str | None, str] | None = None,
    ) -> None:
        """Record ``name``; a binding outside ``TYPE_CHECKING`` wins over one inside."""
        known = self.names.get(name)
        runtime = (known is not None and known.runtime) or not type_checking
        if origin is None and known is not None:
            origin = known.origin
        self.names[name] = Symbol(runtime=runtime, origin=origin)


def _is_type_checking(test: ast.expr) -> bool:
    """Tell whether an ``if`` test is ``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _target_names(target: ast.expr) -> Iterator[str]:
    """Yield the plain names an assignment target binds (``a``, ``a, b``, ``*rest``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _call_name(node: ast.expr) -> str | None:
    """Return the called name of ``f(...)``, ``mod.f(...)`` or a bare decorator ``@f``."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_text(node: ast.expr) -> str | None:
    """Return a string constant's text, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """Return a call's argument given by keyword or else by position."""
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def _deprecation_reason(call: ast.expr) -> str:
    """Describe a deprecation marker with its replacement and ``breaks_in_ha_version``."""
    helper = _call_name(call) or "?"
    parts = [f"marked with {helper}"]
    if isinstance(call, ast.Call):
        # Positions of (replacement, breaks_in_ha_version) in homeassistant.helpers.deprecation.
        positions = _DEPRECATION_ARGUMENTS.get(helper, (1, 2))
        replacement = _argument(call, positions[0], "replacement")
        breaks = _argument(call, positions[1], "breaks_in_ha_version")
        if replacement is not None and _literal_text(replacement) != "":
            text = _literal_text(replacement) or ast.unparse(replacement)
            if text != "None":
                parts.append(f"use {text}")
        if breaks is not None and _literal_text(breaks):
            parts.append(f"breaks in {_literal_text(breaks)}")
    return ", ".join(parts)


class _SymbolCollector:
    """Walks module-level statements (into ``if``/``try``/``with``/loops, not into defs)."""

    def __init__(self) -> None:
        self.symbols = ModuleSymbols()

    def visit_block(self, statements: Iterable[ast.stmt], *, type_checking: bool) -> None:
        """Record every name the statements bind at module level."""
        for statement in statements:
            self._visit(statement, type_checking=type_checking)

    def _visit(self, node: ast.stmt, *, type_checking: bool) -> None:
        symbols = self.symbols
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            symbols.bind(node.name, type_checking=type_checking)
            for decorator in node.decorator_list:
                if _call_name(decorator) in DEPRECATING_DECORATORS:
                    symbols.deprecated[node.name] = _deprecation_reason(decorator)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            self._visit_assignment(node, type_checking=type_checking)
        elif type(node).__name__ == "TypeAlias":  # ast.TypeAlias exists from Python 3.12 on
            name = getattr(node, "name", None)
            if isinstance(name, ast.Name):
                symbols.bind(name.id, type_checking=type_checking)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                symbols.bind(alias.asname or alias.name.split(".")[0], type_checking=type_checking)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    symbols.star_imports.append((node.level, node.module))
                    continue
                symbols.bind(
                    alias.asname or alias.name,
                    type_checking=type_checking,
                    origin=(node.level, node.module, alias.name),
                )
        elif isinstance(node, ast.If):
            self.visit_block(node.body, type_checking=type_checking or _is_type_checking(node.test))
            self.visit_block(node.orelse, type_checking=type_checking)
        else:
            self._visit_compound(node, type_checking=type_checking)

    def _visit_assignment(
        self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, *, type_checking: bool
    ) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for name in _target_names(target):
                self.symbols.bind(name, type_checking=type_checking)
                if name.startswith(DEPRECATED_PREFIX) and isinstance(node.value, ast.Call):
                    helper = _call_name(node.value)
                    if helper and DEPRECATION_HELPER.match(helper):
                        deprecated_name = name.removeprefix(DEPRECATED_PREFIX)
                        self.symbols.deprecated[deprecated_name] = _deprecation_reason(node.value)
                if name == "__all__" and isinstance(node.value, ast.List | ast.Tuple):
                    listed = [_literal_text(element) for element in node.value.elts]
                    strings = [item for item in listed if item is not None]
                    if isinstance(node, ast.AugAssign) and self.symbols.all_names is not None:
                        self.symbols.all_names.extend(strings)
                    else:
                        self.symbols.all_names = strings

    def _visit_compound(self, node: ast.stmt, *, type_checking: bool) -> None:
        if isinstance(node, ast.For | ast.AsyncFor):
            for name in _target_names(node.target):
                self.symbols.bind(name, type_checking=type_checking)
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        self.symbols.bind(name, type_checking=type_checking)
        for block in ("body", "orelse", "finalbody"):
            self.visit_block(getattr(node, block, None) or [], type_checking=type_checking)
        for handler in getattr(node, "handlers", None) or []:
            self.visit_block(handler.body, type_checking=type_checking)
        for case in getattr(node, "cases", None) or []:
            self.visit_block(case.body, type_checking=type_checking)


def collect_module_symbols(tree: ast.Module) -> ModuleSymbols:
    """Return the names a parsed module defines at module level."""
    collector = _SymbolCollector()
    collector.visit_block(tree.body, type_checking=False)
    return collector.symbols


_SCAN_BLOCK_HEADER = re.compile(r"^(if|elif|else|try|except|finally|with)\b.*:\s*(#.*)?$")
_SCAN_DEF = re.compile(r"^(?:async\s+def|def|class|type)\s+([A-Za-z_]\w*)")
_SCAN_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*(?::(?!=)|=(?!=))")
_SCAN_FROM = re.compile(r"^from\s+(\.*)([\w.]*)\s+import\s+(.*)$")
_SCAN_IMPORT = re.compile(r"^import\s+(.*)$")
_SCAN_DECORATOR = re.compile(r"^@([\w.]+)")
_SCAN_DEPRECATED = re.compile(r"^_DEPRECATED_(\w+)\s*(?::[^=]*)?=\s*((?:Deferred)?Deprecated\w*)\(")


def _scan_import_names(spec: str) -> Iterator[tuple[str, str]]:
    """Yield (imported name, bound name) from ``a, b as c`` (comments and brackets removed)."""
    for item in spec.split(","):
        words = item.split()
        if len(words) == 1:
            yield words[0], words[0]
        elif len(words) == 3 and words[1] == "as":
            yield words[0], words[2]


def scan_module_symbols(source: str) -> ModuleSymbols:
    """Approximate a module's names with a line scan, for source no repair can parse.

    Why: a last resort on old interpreters, so that one odd file of the wheel does not stop
    the whole check. It sees statements at column 0 and one level inside module-level
    ``if``/``try``/``with`` blocks, which is where module-level names live.
    """
    symbols = ModuleSymbols()
    lines = source.splitlines()
    in_block = False
    decorators: list[str] = []
    index = 0
    while index < len(lines):
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not stripped or stripped[0] in "#)]}":
            continue  # comments and the closing lines of multi-line brackets
        if indent == 0:
            in_block = bool(_SCAN_BLOCK_HEADER.match(stripped))
        elif not (in_block and indent == 4):
            continue
        if _SCAN_BLOCK_HEADER.match(stripped):
            continue
        if match := _SCAN_DECORATOR.match(stripped):
            decorators.append(match.group(1).rsplit(".", 1)[-1])
            continue
        if match := _SCAN_FROM.match(stripped):
            spec = match.group(3).split("#")[0]
            if "(" in spec:
                while ")" not in spec and index < len(lines):
                    spec += "," + lines[index].split("#")[0]
                    index += 1
                spec = spec.replace("(", "").replace(")", "")
            level, module = len(match.group(1)), match.group(2) or None
            for original, bound in _scan_import_names(spec):
                if original == "*":
                    symbols.star_imports.append((level, module))
                else:
                    symbols.bind(bound, type_checking=False, origin=(level, module, original))
        elif match := _SCAN_IMPORT.match(stripped):
            for original, bound in _scan_import_names(match.group(1).split("#")[0]):
                name = bound if bound != original else original.split(".")[0]
                symbols.bind(name, type_checking=False)
        elif match := _SCAN_DEF.match(stripped):
            symbols.bind(match.group(1), type_checking=False)
            if any(name in DEPRECATING_DECORATORS for name in decorators):
                symbols.deprecated[match.group(1)] = "marked with a deprecating decorator"
        elif (match := _SCAN_ASSIGN.match(stripped)) and not keyword.iskeyword(match.group(1)):
            for chained in re.findall(r"([A-Za-z_]\w*)\s*=(?!=)", stripped.split("(")[0]):
                symbols.bind(chained, type_checking=False)  # also ``A = B = value``
            symbols.bind(match.group(1), type_checking=False)
            if deprecated := _SCAN_DEPRECATED.match(stripped):
                symbols.deprecated[deprecated.group(1)] = f"marked with {deprecated.group(2)}"
        decorators = []
    return symbols


# --------------------------------------------------------------------------------------------
# The wheel
# --------------------------------------------------------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    """Order release versions such as ``2026.11.0`` numerically (stdlib only, no packaging)."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


class Wheel:
    """Read-only view of a ``homeassistant`` wheel: module files and their parsed symbols."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as err:
            raise CheckError(f"cannot read wheel {path}: {err}") from err
        self.path = path
        self._files = set(self._zip.namelist())
        self._symbols: dict[str, ModuleSymbols] = {}
        self.approximate: dict[str, str] = {}
        """Wheel files read only approximately on this Python (see ``parse_source``) -> how."""

    def close(self) -> None:
        """Close the underlying zip file."""
        self._zip.close()

    def metadata(self, field_name: str) -> str | None:
        """Return a field of the wheel's ``METADATA`` (e.g. ``Version``)."""
        for name in sorted(self._files):
            if name.endswith(".dist-info/METADATA") and "/" not in name.removesuffix(
                ".dist-info/METADATA"
            ):
                text = self._zip.read(name).decode("utf-8", errors="replace")
                for line in text.splitlines():
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key.strip().lower() == field_name.lower():
                        return value.strip()
        return None

    @property
    def version(self) -> str:
        """The Home Assistant version, from METADATA or else from the file name."""
        version = self.metadata("Version")
        if version:
            return version
        match = re.match(r"homeassistant-([^-]+)-", self.path.name)
        return match.group(1) if match else "unknown"

    def module_file(self, module: str) -> str | None:
        """Return the archive path of ``module`` (``a/b.py`` or ``a/b/__init__.py``)."""
        base = module.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in self._files:
                return candidate
        return None

    def has_module(self, module: str) -> bool:
        """Tell whether the wheel contains ``module``."""
        return self.module_file(module) is not None

    def is_package(self, module: str) -> bool:
        """Tell whether ``module`` is a package (has an ``__init__.py``)."""
        return (self.module_file(module) or "").endswith("/__init__.py")

    def symbols(self, module: str) -> ModuleSymbols:
        """Return (and cache) the module-level names of ``module``; it must exist."""
        if module not in self._symbols:
            file_name = self.module_file(module)
            if file_name is None:
                raise CheckError(f"{module} is not in the wheel")
            source = self._zip.read(file_name).decode("utf-8", errors="replace")
            lossy: list[int] = []
            try:
                tree = parse_source(source, file_name, lossy)
            except SyntaxError:
                self.approximate[file_name] = "scanned line by line, as it could not be parsed"
                self._symbols[module] = scan_module_symbols(source)
            else:
                if lossy:
                    lines = ", ".join(map(str, sorted(lossy)))
                    self.approximate[file_name] = f"lines {lines} were skipped"
                self._symbols[module] = collect_module_symbols(tree)
        return self._symbols[module]

    def resolve_relative(self, module: str, level: int, target: str | None) -> str:
        """Turn ``from .x import`` inside ``module`` into an absolute module name."""
        if level == 0:
            return target or ""
        parts = module.split(".")
        package = parts if self.is_package(module) else parts[:-1]
        base = package[: len(package) - (level - 1)] if level > 1 else package
        return ".".join([*base, target] if target else base)


# --------------------------------------------------------------------------------------------
# What the integration imports
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRef:
    """One use of a Home Assistant module or name by the integration."""

    module: str
    """The module imported from (``homeassistant.const``) or the dotted path used."""
    name: str | None
    """The imported name; None for ``import homeassistant.x``; for an attribute use, None
    too: ``module`` then holds the whole dotted path and the split is found in the wheel."""
    file: str
    line: int
    type_checking: bool
    """True when the import sits under ``if TYPE_CHECKING:`` (only type checkers need it)."""
    attribute: bool = False
    """True for ``alias.name`` uses of an imported module (``cv.positive_int``)."""

    @property
    def where(self) -> str:
        """``file:line`` of the use."""
        return f"{self.file}:{self.line}"


def _dotted(node: ast.expr) -> list[str] | None:
    """Return ``["a", "b", "c"]`` for the expression ``a.b.c``; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _in_root_package(module: str | None) -> bool:
    """Tell whether a module name is ``homeassistant`` or below it."""
    return module is not None and (module == ROOT_PACKAGE or module.startswith(ROOT_PACKAGE + "."))


class _ImportCollector(ast.NodeVisitor):
    """Finds ``homeassistant`` imports anywhere in a file and attribute uses of them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.refs: list[ImportRef] = []
        self.bindings: dict[str, str] = {}
        """Local name -> dotted Home Assistant path it is bound to."""
        self._type_checking = False
        self._attributes: list[tuple[list[str], int]] = []

    def visit_If(self, node: ast.If) -> None:
        """Visit an ``if``, remembering when its body is for type checkers only."""
        self.visit(node.test)
        outer = self._type_checking
        self._type_checking = outer or _is_type_checking(node.test)
        for statement in node.body:
            self.visit(statement)
        self._type_checking = outer
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        """Record ``import homeassistant.x [as y]``."""
        for alias in node.names:
            if not _in_root_package(alias.name):
                continue
            self.refs.append(
                ImportRef(alias.name, None, self.file, node.lineno, self._type_checking)
            )
            if alias.asname:
                self.bindings[alias.asname] = alias.name
            else:
                self.bindings[ROOT_PACKAGE] = ROOT_PACKAGE

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Record ``from homeassistant.x import a [as b], ...``."""
        if node.level or not _in_root_package(node.module):
            return
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                self.refs.append(
                    ImportRef(module, None, self.file, node.lineno, self._type_checking)
                )
                continue
            self.refs.append(
                ImportRef(module, alias.name, self.file, node.lineno, self._type_checking)
            )
            self.bindings[alias.asname or alias.name] = f"{module}.{alias.name}"

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Remember ``x.y.z`` chains; they are matched against the bindings at the end."""
        parts = _dotted(node)
        if parts is not None:
            self._attributes.append((parts, node.lineno))
            return  # the inner Attribute nodes are part of this chain
        self.generic_visit(node)

    def attribute_refs(self) -> list[ImportRef]:
        """Turn attribute chains rooted at a Home Assistant binding into references."""
        refs = []
        for parts, line in self._attributes:
            bound = self.bindings.get(parts[0])
            if bound is None:
                continue
            dotted = ".".join([bound, *parts[1:]])
            refs.append(
                ImportRef(dotted, None, self.file, line, type_checking=True, attribute=True)
            )
        return refs


def collect_imports(integration: Path) -> list[ImportRef]:
    """Return every ``homeassistant`` import and module-attribute use in the integration."""
    if not integration.is_dir():
        raise CheckError(f"integration folder not found: {integration}")
    refs: list[ImportRef] = []
    for path in sorted(integration.rglob("*.py")):
        try:
            relative = str(path.relative_to(REPO_ROOT))
        except ValueError:
            relative = str(path)
        try:
            tree = parse_source(path.read_text(encoding="utf-8"), relative)
        except (OSError, SyntaxError) as err:
            raise CheckError(f"cannot read {relative}: {err}") from err
        collector = _ImportCollector(relative)
        collector.visit(tree)
        refs.extend(collector.refs)
        refs.extend(collector.attribute_refs())
    return refs


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A reference that does not hold in the wheel."""

    subject: str
    reason: str
    refs: tuple[ImportRef, ...]

    def describe(self) -> str:
        """One line per problem, with where the integration uses it."""
        where = ", ".join(sorted({ref.where for ref in self.refs}))
        return f"{self.subject}: {self.reason} (used at {where})"


def _lookup(
    wheel: Wheel, module: str, name: str, seen: set[str] | None = None
) -> tuple[Symbol | None, str | None]:
    """Find ``name`` in ``module`` (following star imports); return its symbol and module."""
    seen = set() if seen is None else seen
    if module in seen or not wheel.has_module(module):
        return None, None
    seen.add(module)
    symbols = wheel.symbols(module)
    if name in symbols.names:
        return symbols.names[name], module
    for level, target in symbols.star_imports:
        source = wheel.resolve_relative(module, level, target)
        if not _in_root_package(source):
            continue
        found, where = _lookup(wheel, source, name, seen)
        if found is None:
            continue
        exported = wheel.symbols(source).all_names
        if name in exported if exported is not None else not name.startswith("_"):
            return found, where
    return None, None


def _unverifiable_star(wheel: Wheel, module: str) -> str | None:
    """Return a third-party module that ``module`` star-imports, whose names we cannot see."""
    for level, target in wheel.symbols(module).star_imports:
        source = wheel.resolve_relative(module, level, target)
        if not _in_root_package(source):
            return source
    return None


def _deprecation(wheel: Wheel, module: str, name: str, depth: int = 0) -> str | None:
    """Return why ``module.name`` is deprecated, following ``from x import name`` re-exports."""
    if depth > 10 or not wheel.has_module(module):
        return None
    symbols = wheel.symbols(module)
    if name in symbols.deprecated:
        return f"deprecated in {module} ({symbols.deprecated[name]})"
    symbol, where = _lookup(wheel, module, name)
    if symbol is None or symbol.origin is None or where is None:
        return None
    level, target, original = symbol.origin
    source = wheel.resolve_relative(where, level, target)
    if not _in_root_package(source):
        return None
    return _deprecation(wheel, source, original, depth + 1)


def _split_attribute(wheel: Wheel, dotted: str) -> tuple[str, str | None] | None:
    """Split ``a.b.c.d`` into (longest module in the wheel, next name); None if no module."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        if wheel.has_module(module):
            return module, (parts[cut] if cut < len(parts) else None)
    return None


def check_ref(wheel: Wheel, module: str, name: str | None, *, runtime: bool) -> str | None:
    """Return why ``module`` / ``module.name`` fails in the wheel, or None when it holds."""
    if not wheel.has_module(module):
        return "module not found"
    if name is None:
        return None
    symbol, _ = _lookup(wheel, module, name)
    deprecated = _deprecation(wheel, module, name)
    if deprecated:
        return deprecated
    if symbol is not None:
        if runtime and not symbol.runtime:
            return "defined only under TYPE_CHECKING, so the import fails at run time"
        return None
    if wheel.has_module(f"{module}.{name}") and wheel.is_package(module):
        return None
    star = _unverifiable_star(wheel, module)
    if star is not None:
        return None  # may come from ``from {star} import *``; cannot tell statically
    return "name not defined"


@dataclass
class Report:
    """Outcome of a check: what was checked and what failed."""

    version: str
    requires_python: str | None
    checked: list[tuple[str, str]] = field(default_factory=list)
    """(subject, status) for each distinct module or name, in order."""
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    uses: int = 0
    approximate: dict[str, str] = field(default_factory=dict)
    """Wheel files parsed with lines blanked out (only on a Python older than the wheel's)."""


def check(wheel: Wheel, refs: Sequence[ImportRef]) -> Report:
    """Check every reference against the wheel; one entry per distinct module or name."""
    report = Report(version=wheel.version, requires_python=wheel.metadata("Requires-Python"))
    report.uses = len(refs)
    grouped: dict[tuple[str, str | None], list[ImportRef]] = {}
    for ref in refs:
        module, name = ref.module, ref.name
        if ref.attribute:
            split = _split_attribute(wheel, ref.module)
            if split is None:
                continue  # the import itself is reported as a missing module
            module, name = split
        grouped.setdefault((module, name), []).append(ref)
    for (module, name), uses in grouped.items():
        subject = f"{module} (module)" if name is None else f"{module}.{name}"
        runtime = any(not ref.type_checking for ref in uses)
        reason = check_ref(wheel, module, name, runtime=runtime)
        report.checked.append((subject, "ok" if reason is None else "FAIL"))
        if reason is not None:
            report.problems.append(Problem(subject, reason, tuple(uses)))
    report.approximate = dict(wheel.approximate)
    return report


def print_report(report: Report, *, verbose: bool) -> None:
    """Print what was checked and, above all, what failed."""
    python = f", requires Python {report.requires_python}" if report.requires_python else ""
    print(f"Home Assistant {report.version}{python}")
    if verbose:
        for subject, status in report.checked:
            print(f"  {status:<4} {subject}")
    print(
        f"Checked {len(report.checked)} distinct modules and names "
        f"({report.uses} uses in {report.files} Python files)."
    )
    for file_name, how in report.approximate.items():
        print(
            f"Note: {file_name} uses syntax Python {sys.version.split()[0]} cannot parse "
            f"({how}), so the result for it is approximate; Python >= 3.12 reads it exactly."
        )
    if report.problems:
        print(f"{len(report.problems)} problem(s) with Home Assistant {report.version}:")
        for problem in report.problems:
            print(f"  - {problem.describe()}")
    else:
        print(f"All of them exist in Home Assistant {report.version}; none is deprecated.")


# --------------------------------------------------------------------------------------------
# Downloading the newest wheel
# --------------------------------------------------------------------------------------------


def looks_offline(pip_output: str) -> bool:
    """Tell whether pip failed because the package index could not be reached."""
    return any(marker in pip_output for marker in NETWORK_FAILURE_MARKERS)


def pip_commands() -> list[list[str]]:
    """Interpreters to run pip with: the project's ``.venv`` first, then this Python."""
    venv_pythons = (
        REPO_ROOT / ".venv" / "bin" / "python",
        REPO_ROOT / ".venv" / "Scripts" / "python.exe",
    )
    commands = [[str(python), "-m", "pip"] for python in venv_pythons if python.is_file()]
    return [*commands, [sys.executable, "-m", "pip"]]


def pip_environment() -> dict[str, str]:
    """This process's environment with the settings that would change pip's choice undone."""
    env = {key: value for key, value in os.environ.items() if key not in PIP_ENV_REMOVED}
    env.update(PIP_ENV_OVERRIDES)
    return env


def _downloaded_path(output: str, cache_dir: Path) -> Path | None:
    """Find the wheel pip saved or reused, from its ``Saved``/``already downloaded`` line."""
    for line in output.splitlines():
        for prefix in ("Saved ", "File was already downloaded "):
            if line.startswith(prefix):
                path = Path(line.removeprefix(prefix).strip())
                if path.name.startswith("homeassistant-") and path.suffix == ".whl":
                    return path if path.is_absolute() else cache_dir / path.name
    return None


def newest_cached_wheel(cache_dir: Path) -> Path | None:
    """Return the highest-versioned ``homeassistant`` wheel in the cache, if any."""
    wheels = sorted(
        cache_dir.glob("homeassistant-*.whl"),
        key=lambda path: version_key(path.name.split("-")[1]),
    )
    return wheels[-1] if wheels else None


def download_newest_wheel(cache_dir: Path, target_python: str) -> Path:
    """Ask the package index for the newest ``homeassistant`` wheel for ``target_python``.

    pip skips the download when the same file is already in ``cache_dir``, so a re-run only
    costs one index query and still notices a new release. Older wheels are then removed.
    Raises ``OfflineError`` when the index cannot be reached, ``CheckError`` otherwise.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    arguments = [
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        target_python,
        "--implementation",
        "cp",
        "--timeout",
        "30",
        "--retries",
        "2",
        "--no-cache-dir",  # the wheel is kept in cache_dir; no second copy in pip's cache
        "--dest",
        str(cache_dir),
        "homeassistant",
    ]
    output = ""
    for command in pip_commands():
        result = subprocess.run(  # noqa: PLW1510 - the return code is checked below
            [*command, *arguments],
            capture_output=True,
            text=True,
            env=pip_environment(),
        )
        output = result.stdout + result.stderr
        if "No module named pip" in output:
            continue
        if result.returncode == 0:
            path = _downloaded_path(output, cache_dir) or newest_cached_wheel(cache_dir)
            if path is None:
                raise CheckError(f"pip reported success but no wheel is in {cache_dir}")
            for old in cache_dir.glob("homeassistant-*.whl"):
                if old.resolve() != path.resolve():
                    old.unlink()
            return path
        break
    tail = "\n".join(output.strip().splitlines()[-15:])
    if looks_offline(output):
        raise OfflineError(f"the package index could not be reached:\n{tail}")
    raise CheckError(f"pip download of homeassistant failed:\n{tail}")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description=(
            "Check statically that every homeassistant module and name the integration "
            "imports exists, and is not deprecated, in the newest Home Assistant release."
        )
    )
    parser.add_argument(
        "--integration",
        type=Path,
        default=DEFAULT_INTEGRATION,
        help="integration folder to scan (default: %(default)s)",
    )
    parser.add_argument(
        "--wheel",
        type=Path,
        help="check against this homeassistant wheel instead of downloading the newest",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE_DIR,
        help="where the downloaded wheel is kept (default: %(default)s)",
    )
    parser.add_argument(
        "--python",
        default=DEFAULT_TARGET_PYTHON,
        help="Python version the release must support (default: %(default)s, i.e. 3.14.x)",
    )
    parser.add_argument(
        "--offline-ok",
        action="store_true",
        help=(
            "if the package index cannot be reached, check the cached wheel if there is one, "
            "else print a warning and exit 0 (for local use; CI runs without it)"
        ),
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only the summary and the problems"
    )
    return parser.parse_args(argv)


def _obtain_wheel(args: argparse.Namespace) -> Path | None:
    """Return the wheel to check; None when offline and ``--offline-ok`` allows skipping."""
    if args.wheel is not None:
        if not args.wheel.is_file():
            raise CheckError(f"wheel not found: {args.wheel}")
        return Path(args.wheel)
    shown = re.sub(r"\.99$", ".x", args.python)
    print(f"Looking up the newest homeassistant wheel for Python {shown} ...")
    started = time.monotonic()
    try:
        path = download_newest_wheel(args.cache_dir, args.python)
    except OfflineError as err:
        if not args.offline_ok:
            raise
        cached = newest_cached_wheel(args.cache_dir)
        print(f"WARNING: {err}", file=sys.stderr)
        if cached is None:
            print("WARNING: --offline-ok: no cached wheel, check skipped.", file=sys.stderr)
            return None
        print(f"WARNING: --offline-ok: checking the cached {cached.name}.", file=sys.stderr)
        return cached
    print(f"Using {path} ({time.monotonic() - started:.1f} s)")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; return the process exit status."""
    args = parse_arguments(argv)
    try:
        refs = collect_imports(args.integration)
        wheel_path = _obtain_wheel(args)
        if wheel_path is None:
            return EXIT_OK
        wheel = Wheel(wheel_path)
        try:
            report = check(wheel, refs)
        finally:
            wheel.close()
        report.files = sum(1 for _ in args.integration.rglob("*.py"))
    except CheckError as err:
        print(f"check_forward_compat: {err}", file=sys.stderr)
        return EXIT_ERROR
    print_report(report, verbose=not args.quiet)
    return EXIT_PROBLEMS if report.problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
