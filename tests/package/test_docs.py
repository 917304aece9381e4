"""The documentation: kept in the repository, and cited correctly from it.

The integration was specified with documents that are not part of this repository. The code
and the other files point at ``docs/behaviour.md`` and ``docs/architecture.md`` instead, by
section name: ``docs/behaviour.md``, "One tick". These tests fail when a file cites a document
outside the repository, when a cited section does not exist, and when the behaviour document
leaves out an option, an outcome or a polling mode.
"""

from collections.abc import Iterator
import enum
from pathlib import Path
import re
import subprocess
from types import ModuleType

import pytest

from custom_components.switchbot_automation.engine import DEFAULT_OPTIONS, outcomes, polling

ROOT = Path(__file__).resolve().parents[2]
DOCS = {name: ROOT / "docs" / f"{name}.md" for name in ("behaviour", "architecture")}

# Documents outside the repository: the reference texts the project was specified with, and
# any path into the shared folder beside the repository. Written as patterns (``[-]``) so that
# this file does not match itself.
OUTSIDE_DOCUMENT = re.compile(
    r"automation[-]behaviour|contract[.]md|home[-]assistant-notes|switchbot[-]cloud-api[.]md"
    r"|[.][.]/shared\b|/work[/]shared\b|\bshared[/](?:reference|seed|hooks)\b",
    re.IGNORECASE,
)
# A citation of a section: ``docs/behaviour.md``, "One tick" (backticks optional, and the
# ``docs/`` prefix too, inside docs/).
CITATION = re.compile(r'(?<![\w-])(?:docs/)?(behaviour|architecture)\.md`{0,2},\s+"([^"]+)"')
# Cross-references inside a document: see "Quota savings", as in "Cloud failures".
CROSS_REFERENCE = re.compile(r'\b(?:see|as in|step \d+ of)\s+"([^"]+)"')
HEADING = re.compile(r"^(#{2,3}) (\d+)\.(?:(\d+))? (.+)$", re.MULTILINE)


def _repository_files() -> Iterator[tuple[str, str]]:
    """Yield ``(path, text)`` of every text file that git tracks or would track."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    for name in sorted(set(listing.decode().split("\0")) - {""}):
        path = ROOT / name
        if not path.is_file():  # deleted or moved in the working tree
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            yield name, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def _sections(name: str) -> list[tuple[str, str]]:
    """Return ``(number, name)`` of each numbered heading of a document, in order."""
    text = DOCS[name].read_text(encoding="utf-8")
    return [
        (f"{major}.{minor}" if minor else major, title.strip())
        for _level, major, minor, title in HEADING.findall(text)
    ]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _all_strings(items: tuple[object, ...]) -> bool:
    return bool(items) and all(isinstance(item, str) for item in items)


def _public_values(module: ModuleType) -> set[str]:
    """The string values a module defines: its string enums' members and its tuples of names."""
    values: set[str] = set()
    for name, value in vars(module).items():
        if isinstance(value, enum.EnumType) and issubclass(value, str):
            if value.__module__ == module.__name__:
                values |= {str(member.value) for member in value}
        elif name.isupper() and isinstance(value, tuple) and _all_strings(value):
            values |= {str(item) for item in value}
    return values


@pytest.mark.parametrize("name", sorted(DOCS))
def test_document_has_numbered_sections(name: str) -> None:
    """Sections are numbered 1, 2, 3... and subsections N.1, N.2... under section N."""
    sections = _sections(name)
    assert sections, f"docs/{name}.md has no numbered sections"
    major, minor = 0, 0
    for number, title in sections:
        if "." in number:
            parent, child = map(int, number.split("."))
            assert (parent, child) == (major, minor + 1), f"{name}: {number} {title}"
            minor = child
        else:
            assert int(number) == major + 1, f"{name}: {number} {title}"
            major, minor = int(number), 0
    titles = [title for _number, title in sections]
    assert len(titles) == len(set(titles)), f"{name}: two sections with the same name"


def test_no_file_cites_a_document_outside_the_repository() -> None:
    found = [
        f"{path}:{_line(text, match.start())}: {match.group()}"
        for path, text in _repository_files()
        for match in OUTSIDE_DOCUMENT.finditer(text)
    ]
    assert not found, "cite docs/behaviour.md or docs/architecture.md instead:\n" + "\n".join(found)


def test_cited_sections_exist() -> None:
    titles = {name: {title for _number, title in _sections(name)} for name in DOCS}
    cited: dict[str, set[str]] = {}
    missing = []
    for path, text in _repository_files():
        for match in CITATION.finditer(text):
            document, section = match.group(1), " ".join(match.group(2).split())
            cited.setdefault(path, set()).add(section)
            if section not in titles[document]:
                missing.append(f"{path}:{_line(text, match.start())}: {match.group()}")
    assert not missing, "no such section:\n" + "\n".join(missing)
    engine = {path for path in cited if "/engine/" in path}
    assert len(engine) >= 5, f"the engine's modules cite the behaviour: {sorted(cited)}"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_cross_references_exist(name: str) -> None:
    text = DOCS[name].read_text(encoding="utf-8")
    titles = {title for _number, title in _sections(name)}
    missing = [
        f"docs/{name}.md:{_line(text, match.start())}: {match.group()}"
        for match in CROSS_REFERENCE.finditer(text)
        if " ".join(match.group(1).split()) not in titles
    ]
    assert not missing, "no such section:\n" + "\n".join(missing)


def test_behaviour_covers_every_option_outcome_and_polling_mode() -> None:
    text = DOCS["behaviour"].read_text(encoding="utf-8")
    names = {
        "options": set(DEFAULT_OPTIONS),
        "outcomes": _public_values(outcomes),
        "polling modes": _public_values(polling),
    }
    assert len(names["outcomes"]) >= 22
    assert len(names["polling modes"]) >= 10
    for kind, values in names.items():
        missing = sorted(value for value in values if f"`{value}`" not in text)
        assert not missing, f"docs/behaviour.md does not name the {kind} {missing}"
