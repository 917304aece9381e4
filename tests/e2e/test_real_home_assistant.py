"""End to end: a real Home Assistant runs the integration against the simulator.

What only this can show: that Home Assistant really loads the integration from a config folder
(manifest, translations, platforms, services), that its ticks go out over real HTTP to the
simulator, and that a user sees the entities in the frontend. The fixtures (``conftest.py``)
start ``hass`` and ``python -m switchbot_sim`` as processes; ``scripts/test_e2e`` runs this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import json
from typing import Any, Final
from urllib.parse import urlparse

import pytest

from switchbot_sim import METER_ID

from .conftest import ROOT, Stack, browser_check, dev_instance

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

DOMAIN: Final = "switchbot_automation"
CONTRACT_KEYS: Final = frozenset(
    {
        "polling_mode",
        "last_tick",
        "next_tick",
        "poll_interval",
        "last_outcome",
        "api_calls_today",
        "temperature",
        "humidity",
        "in_window",
        "off_repeat_pending",
        "aircon_power",
        "automation",
        "season",
        "run_tick",
        "thermostat",
    }
)
TRANSLATIONS: Final = ROOT / "custom_components" / DOMAIN / "translations" / "en.json"
SCREENSHOT: Final = ROOT / "test-artifacts" / "e2e-device-page.png"
METER_READS: Final = f"/v1.1/devices/{METER_ID}/status"


async def ready_entities(stack: Stack, api: Any, seconds: float = 60) -> dict[str, Any]:
    """Wait until the integration's entities exist and ``last_tick`` has a value."""
    probe = dev_instance.ReadinessProbe(api, stack.entry_id, stack.alive)
    try:
        async with asyncio.timeout(seconds):
            entities: dict[str, Any] = await probe.wait()
    except TimeoutError:
        pytest.fail(f"not ready after {seconds:g} s: {probe.stage}\n{stack.diagnose()}")
    except dev_instance.NotReadyError as err:
        pytest.fail(f"{err}\n{stack.diagnose()}")
    return entities


async def eventually(probe: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll ``probe`` (sync or async) until it returns a truthy value; fail after ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                result = probe()
                if asyncio.iscoroutine(result):
                    result = await result
                if result:
                    return result
                await asyncio.sleep(0.2)
    except TimeoutError:
        pytest.fail(f"timed out after {seconds:g} s waiting for {what}")


def parse_timestamp(state: dict[str, Any] | None) -> datetime:
    """Return a timestamp sensor's value, which must be timezone-aware."""
    assert state is not None
    value = datetime.fromisoformat(state["state"])
    assert value.tzinfo is not None, state
    return value


async def test_ticks_reach_the_simulator_and_run_tick_adds_one(stack: Stack, api: Any) -> None:
    entities = await ready_entities(stack, api)

    missing = CONTRACT_KEYS - entities.keys()
    assert not missing, f"entities missing from the registry: {sorted(missing)}"
    meter_reads = stack.simulator_requests(METER_READS)
    assert meter_reads, "the set-up tick never read the meter on the simulator"

    polling_mode = entities["polling_mode"]["state"]
    assert polling_mode is not None, "sensor polling_mode has no state (disabled?)"
    assert polling_mode["state"] == "fixed", polling_mode  # adaptive polling is off here
    last_tick = parse_timestamp(entities["last_tick"]["state"])
    assert abs(datetime.now(UTC) - last_tick) < timedelta(minutes=2)
    temperature = entities["temperature"]["state"]
    assert temperature is not None, "sensor temperature has no state (disabled?)"
    assert temperature["attributes"].get("unit_of_measurement") == "°C", temperature
    assert 15 <= float(temperature["state"]) <= 25, temperature  # the room starts at 20 °C

    # last_tick has whole seconds: start the manual tick in a later second than the first.
    wait = last_tick + timedelta(seconds=1.1) - datetime.now(UTC)
    await asyncio.sleep(max(0.0, wait.total_seconds()))
    status, body = await api.request(
        "POST", f"/api/services/{DOMAIN}/run_tick", {"config_entry_id": stack.entry_id}
    )
    assert status == 200, body

    await eventually(
        lambda: len(stack.simulator_requests(METER_READS)) > len(meter_reads),
        20,
        "the manual tick to read the meter on the simulator",
    )

    async def newer_tick() -> datetime | None:
        state = await api.state(entities["last_tick"]["entity_id"])
        tick = parse_timestamp(state)
        return tick if tick > last_tick else None

    await eventually(newer_tick, 20, "last_tick to move on")


def expected_names(entities: dict[str, Any], device_id: str) -> list[str]:
    """Return the English names of the enabled, visible entities on ``device_id``.

    The names come from the integration's ``translations/en.json``, as the contract says.
    """
    translations = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    names = []
    for key, entity in sorted(entities.items()):
        if entity["device_id"] != device_id or entity["disabled_by"] or entity["hidden_by"]:
            continue
        platform = entity["entity_id"].split(".")[0]
        translation_key = entity.get("translation_key") or key
        name = translations.get("entity", {}).get(platform, {}).get(translation_key, {})
        assert "name" in name, f"{TRANSLATIONS.name} has no entity.{platform}.{translation_key}"
        names.append(name["name"])
    return names


async def test_device_page_shows_the_entities(stack: Stack, api: Any) -> None:
    entities = await ready_entities(stack, api)
    device_id = entities["polling_mode"]["device_id"]
    assert device_id, "the polling_mode sensor belongs to no device"
    devices = await api.ws_command({"type": "config/device_registry/list"})
    device = next(device for device in devices if device["id"] == device_id)
    names = expected_names(entities, device_id)
    assert entities["last_tick"]["device_id"] == device_id, "last_tick is on another device"
    page = f"{stack.url}/config/devices/device/{device_id}"

    expect = [device["name_by_user"] or device["name"], *names]
    result = await browser_check(
        page,
        "--screenshot",
        SCREENSHOT,
        "--timeout",
        "60",
        *(argument for name in expect for argument in ("--expect", name)),
        seconds=90,
    )

    # Logged in by itself (trusted network, single user): the device page, not the login page.
    assert urlparse(result["url"]).path == f"/config/devices/device/{device_id}", result
    assert not result["missing"], f"not on the device page ({SCREENSHOT}): {result}"
    assert SCREENSHOT.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("flows", "handler", "step"),
    [
        ("flow", "domain", "user"),
        ("options/flow", "entry", "init"),
        ("subentries/flow", "room", "reconfigure"),
    ],
    ids=["config_flow", "account_options_flow", "room_reconfigure_flow"],
)
async def test_the_flows_open_in_the_frontend(
    stack: Stack, api: Any, flows: str, handler: str, step: str
) -> None:
    """The first step of each flow reaches the browser: its schema serializes on a real server.

    The frontend starts a flow with this very request; a selector this Home Assistant does not
    know, or cannot serialize, fails here and nowhere in the unit tests. The flows: set-up,
    the account's options (Configure on the account) and a room's settings (Configure on the
    room, the seeded room whose subentry id is the entry's); "Add room" has its own test
    (``test_rooms.py``: this simulator's one air conditioner has its room already).
    """
    await ready_entities(stack, api)
    start: dict[str, Any] = {
        "domain": {"handler": DOMAIN},
        "entry": {"handler": stack.entry_id},
        "room": {"handler": [stack.entry_id, "room"], "subentry_id": stack.entry_id},
    }[handler]
    status, body = await api.request("POST", f"/api/config/config_entries/{flows}", start)
    assert status == 200, body
    assert (body["type"], body["step_id"]) in (("form", step), ("menu", step)), body
    status, _ = await api.request("DELETE", f"/api/config/config_entries/{flows}/{body['flow_id']}")
    assert status == 200


async def test_home_assistant_logged_no_problems(stack: Stack, api: Any) -> None:
    """Runs last: nothing went wrong meanwhile, in the integration or around it.

    This also shows that ``--skip-pip`` is safe with ``.venv-dev``: a requirement missing there
    would be an import error at set-up, logged as an error.
    """
    await ready_entities(stack, api)
    problems = dev_instance.log_problems(stack.config_dir)
    assert not problems, "\n".join(problems)
