"""A real Home Assistant process and the simulator, for the end-to-end tests.

Why processes: the unit tests run the integration inside the test plugin's Home Assistant. These
run it as users do: ``hass`` from ``.venv-dev`` (Home Assistant 2025.4.4, the newest release
that starts on this machine's Python 3.13.0) loads it from a config folder seeded like
``scripts/develop`` seeds ``config/``, polls ``python -m switchbot_sim`` over HTTP, and is
checked from outside through its REST and websocket APIs and a browser.

Both processes run once per module, on free ports, in a throw-away config folder. The simulator
runs as ``scripts/develop`` runs it; its access log (one line per request) is the record of what
reached it. Home Assistant's and the simulator's logs are copied to ``test-artifacts/``, named
after the module's ``ARTIFACT_PREFIX`` (``e2e`` by default). A module changes the entry's
options with a ``STACK_OPTIONS`` dict, added to ``E2E_OPTIONS``, and the simulator's command
line with a ``SIMULATOR_ARGUMENTS`` list (``["--room", "Bedroom"]``).

The entry is seeded as a version 1 entry (one room); Home Assistant migrates it at start to
the account with one room, a config subentry whose id is the entry's: the room's entities
keep the unique ids ``f"{entry_id}_{key}"``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
import http.client
import json
import os
from pathlib import Path
import re
import shutil
import socket
import subprocess
import time
from typing import Any, Final

import aiohttp
import pytest
import pytest_socket

from scripts import dev_instance

ROOT: Final = Path(__file__).resolve().parents[2]
DEV_VENV: Final = Path(os.environ.get("SWITCHBOT_DEV_VENV", ROOT / ".venv-dev"))
ARTIFACTS: Final = ROOT / "test-artifacts"
CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMEDRIVER: Final = Path("/usr/bin/chromedriver")
START_TIMEOUT: Final = 90.0
"""Seconds for Home Assistant to answer on its API (it takes about 2 here)."""
_API_REQUEST: Final = re.compile(r'"(GET|POST) /v1\.1/')
"""An access-log line of the simulator for a request to the SwitchBot API."""
E2E_OPTIONS: Final = {
    # Only the set-up tick and the test's own ticks: "fixed" polling, one tick an hour.
    "adaptive_polling_enabled": False,
    "poll_interval_seconds": 3600,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite's autouse fixture: no in-process Home Assistant here."""


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Let these tests connect to 127.0.0.1 (Home Assistant, the simulator, chromedriver).

    The test plugin blocks sockets before every test; ``stack`` lifts that itself, as a
    module-scoped fixture is set up before any function-scoped one.
    """


async def browser_check(*arguments: str | Path, seconds: float) -> dict[str, Any]:
    """Run ``scripts/browser_check.py`` (headless Chromium) with ``arguments``, at most
    ``seconds``; return what it printed (the page's URL, the texts missing, the clicks not
    made, the elements pictured)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is missing: run scripts/install_browser (scripts/test_e2e does)")
    process = await asyncio.create_subprocess_exec(
        DEV_VENV / "bin" / "python",
        ROOT / "scripts" / "browser_check.py",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(seconds):
            stdout, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert stdout, f"the browser check printed nothing:\n{stderr.decode()}"
    result: dict[str, Any] = json.loads(stdout)
    return result


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now (the OS hands out a fresh one each time)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Stop a process as Ctrl-C would (SIGTERM), killing it if it has not exited in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@dataclass(frozen=True, slots=True)
class Stack:
    """The running pair, and how to reach and inspect them."""

    url: str
    seed: Any  # dev_instance.Seed
    config_dir: Path
    sim_url: str
    sim_log: Path
    hass: subprocess.Popen[bytes]

    @property
    def entry_id(self) -> str:
        """The SwitchBot Automation config entry's id."""
        return str(self.seed.entry_id)

    def alive(self) -> bool:
        """Whether Home Assistant is still running."""
        return self.hass.poll() is None

    def simulator_requests(self, path_part: str = "") -> list[str]:
        """Return the simulator's access-log lines of requests whose path has ``path_part``."""
        lines = self.sim_log.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if _API_REQUEST.search(line) and path_part in line]

    def diagnose(self) -> str:
        """Explain a failure: what Home Assistant logged about it."""
        problems = dev_instance.log_problems(self.config_dir)
        return "Home Assistant log:\n" + "\n".join(problems or ["(nothing relevant)"])


def _wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``predicate`` (real processes: short sleeps are fine) until it returns a value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")


def _api_answers(port: int, token: str, hass: subprocess.Popen[bytes]) -> bool:
    """Whether Home Assistant's REST API answers yet (it listens once set-up is done)."""
    if hass.poll() is not None:
        raise RuntimeError(f"Home Assistant exited with status {hass.returncode}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/", headers={"Authorization": f"Bearer {token}"})
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _spawn(argv: list[str | Path], output: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Start one of our own programs (fixed arguments), its output going to ``output``."""
    with output.open("wb") as out:
        return subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def _copy_configuration(config_dir: Path, http_port: int) -> None:
    """Copy the repository's ``config/configuration.yaml`` onto another port."""
    text = (ROOT / "config/configuration.yaml").read_text(encoding="utf-8")
    moved = text.replace("server_port: 8123", f"server_port: {http_port}")
    assert moved != text, "config/configuration.yaml no longer sets server_port: 8123"
    config_dir.mkdir(parents=True)
    (config_dir / "configuration.yaml").write_text(moved, encoding="utf-8")


def _save_artifacts(config_dir: Path, sim_log: Path, prefix: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for source, name in (
        (config_dir / "home-assistant.log", f"{prefix}-home-assistant.log"),
        (config_dir / "hass.out", f"{prefix}-hass.out"),
        (sim_log, f"{prefix}-switchbot_sim.log"),
    ):
        if source.is_file():
            shutil.copyfile(source, ARTIFACTS / name)


@pytest.fixture(scope="module")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generator[Stack]:
    """Start the simulator and Home Assistant; stop both (always) after the module's tests."""
    pytest_socket.enable_socket()
    hass_bin = DEV_VENV / "bin" / "hass"
    python_bin = DEV_VENV / "bin" / "python"
    if not hass_bin.exists():
        pytest.fail(f"{hass_bin} is missing: run scripts/setup --develop (scripts/test_e2e does)")
    base = tmp_path_factory.mktemp("e2e")
    config_dir = base / "config"
    sim_log = base / "switchbot_sim.log"
    http_port = free_port()
    url = f"http://127.0.0.1:{http_port}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        sim_arguments = getattr(request.module, "SIMULATOR_ARGUMENTS", [])
        sim = _spawn(
            [python_bin, "-m", "switchbot_sim", "--port", "0", *sim_arguments], sim_log, ROOT
        )
        processes.append(sim)

        def sim_started() -> str | None:
            if sim.poll() is not None:
                raise RuntimeError(f"the simulator exited: {sim_log.read_text()}")
            found = re.search(r"listening on (http://\S+)", sim_log.read_text())
            return found.group(1) if found else None

        sim_url = _wait_for(sim_started, 20, "the simulator")

        _copy_configuration(config_dir, http_port)
        options = {**E2E_OPTIONS, **getattr(request.module, "STACK_OPTIONS", {})}
        seed = dev_instance.seed(config_dir, api_url=sim_url, option_overrides=options)
        hass = _spawn([hass_bin, "-c", config_dir, "--skip-pip"], config_dir / "hass.out", base)
        processes.append(hass)
        _wait_for(
            lambda: _api_answers(http_port, seed.access_token, hass),
            START_TIMEOUT,
            f"Home Assistant on {url}",
        )
        yield Stack(url, seed, config_dir, sim_url, sim_log, hass)
    finally:
        for process in reversed(processes):
            stop_process(process)
        _save_artifacts(config_dir, sim_log, getattr(request.module, "ARTIFACT_PREFIX", "e2e"))


@pytest.fixture
async def api(stack: Stack) -> AsyncGenerator[Any]:
    """A client for the running Home Assistant's REST and websocket APIs."""
    async with aiohttp.ClientSession() as session:
        yield dev_instance.HomeAssistantApi(session, stack.url, stack.seed.access_token)
