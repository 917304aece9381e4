"""The manifest, ``hacs.json`` and the brand images, as hassfest and the HACS action check
them (neither can run here).
"""

import re

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import const as ha_const
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from PIL import Image

from custom_components.switchbot_automation.const import DOMAIN

from .support import HACS, INTEGRATION, MANIFEST, PYPROJECT, READMES, ROOT

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
