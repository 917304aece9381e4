"""Seed and watch a development Home Assistant wired to the SwitchBot Cloud simulator.

Why this exists: a fresh Home Assistant opens on its onboarding wizard, has no user, and the
integration would have to be configured by hand against the simulator before anything happens.
This helper writes into a config folder's ``.storage`` exactly what Home Assistant 2025.4.4
reads at start, so that none of that is needed:

* ``auth``: one owner (administrator) and a long-lived access token for the REST and websocket
  APIs. The token is a JWT signed here with its refresh token's key, as Home Assistant signs
  them, so scripts and tests need no login flow;
* ``auth_provider.homeassistant``: a password login for the owner (``dev`` / ``dev``);
* ``onboarding``: every step done, so the frontend does not start the wizard;
* ``core.config``: this machine's time zone and metric units;
* ``core.config_entries``: one SwitchBot Automation entry built from ``scripts/dev_entry.json``,
  aimed at the simulator, with a time window that starts a few minutes from now (and the entry
  the ``backup`` integration would otherwise create with a "new devices" notification).

The browser logs in without a password through the ``trusted_networks`` provider of
``config/configuration.yaml``, which picks the only user by itself.

``scripts/develop`` runs it (``seed``, then ``wait``); ``tests/e2e`` imports it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
import hashlib
import json
import os
from pathlib import Path
import re
import secrets
import shutil
import sys
from typing import Any, Final
from uuid import NAMESPACE_URL, uuid4, uuid5
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import bcrypt
import jwt

ROOT: Final = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the simulator's package importable
    sys.path.insert(0, str(ROOT))

from switchbot_sim import AC_REMOTE_ID, DEV_SECRET, DEV_TOKEN, METER_ID  # noqa: E402

DOMAIN: Final = "switchbot_automation"
ENTRY_TEMPLATE: Final = ROOT / "scripts" / "dev_entry.json"
SUMMARY_FILE: Final = "dev_instance.json"
"""Written next to configuration.yaml: what ``wait`` (and a developer) needs to reach the API."""

OWNER_NAME: Final = "Developer"
OWNER_USERNAME: Final = "dev"
OWNER_PASSWORD: Final = "dev"  # a loopback-only development instance
TOKEN_CLIENT_NAME: Final = "scripts/dev_instance.py"
TOKEN_LIFETIME: Final = timedelta(days=3650)
"""What Home Assistant gives a long-lived access token."""

# Fixed ids: a restarted instance (``scripts/develop --keep``) keeps its registry entries.
OWNER_ID: Final = uuid5(NAMESPACE_URL, "switchbot-automation/dev/owner").hex
CREDENTIAL_ID: Final = uuid5(NAMESPACE_URL, "switchbot-automation/dev/credential").hex
ENTRY_ID: Final = "01JDEVSWITCHBOTSIMULATOR00"
BACKUP_ENTRY_ID: Final = "01JDEVBACKUPSYSTEMENTRY000"

_ALL_DAYS: Final = [0, 1, 2, 3, 4, 5, 6]
_REQUEST_SECONDS: Final = 10
"""Longest wait for one answer; Home Assistant answers locally within milliseconds."""
_NOT_A_STATE: Final = (None, "unknown", "unavailable")


@dataclass(frozen=True, slots=True)
class Seed:
    """What was written, and how to reach the instance once it runs."""

    config_dir: str
    entry_id: str
    owner_id: str
    access_token: str
    time_zone: str
    time_windows: list[dict[str, Any]]
    api_url: str


class NotReadyError(Exception):
    """Home Assistant, or the integration in it, did not come up in time."""


class SetupFailedError(NotReadyError):
    """The integration's set-up failed for good: waiting longer will not help."""


# Seeding.


def detect_time_zone() -> str:
    """Return this machine's IANA time zone, so windows are read in the developer's local time.

    ``TZ`` wins, then ``/etc/timezone``, then the target of ``/etc/localtime``; UTC otherwise.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
        return name
    return "UTC"


def window_starting_in(
    minutes: float, length_minutes: int, time_zone: str, now: datetime | None = None
) -> dict[str, Any]:
    """Return a window (every day) starting ``minutes`` from now, in ``time_zone``'s wall time.

    The start is rounded up to the next whole minute, as windows are ``HH:MM``.
    """
    if not 1 <= length_minutes < 24 * 60:
        raise ValueError("a window lasts 1 minute to 23:59")
    local_now = (now or datetime.now(UTC)).astimezone(ZoneInfo(time_zone))
    start = local_now + timedelta(minutes=minutes)
    if start.second or start.microsecond:
        start = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    end = start + timedelta(minutes=length_minutes)
    return {"days": list(_ALL_DAYS), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}


def _fill(template: Any, values: Mapping[str, Any]) -> Any:
    """Replace every ``"${name}"`` string of a JSON template by ``values[name]`` (any JSON)."""
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    if isinstance(template, str) and template.startswith("${") and template.endswith("}"):
        return values[template[2:-1]]
    return template


def _write_storage(
    config_dir: Path, key: str, data: Any, *, version: int = 1, minor_version: int = 1
) -> None:
    """Write one ``.storage`` file in Home Assistant's envelope, private like its own."""
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    path = storage / key
    payload = {"version": version, "minor_version": minor_version, "key": key, "data": data}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def _auth_data(now: datetime, refresh_token_id: str, jwt_key: str) -> dict[str, Any]:
    """Return the ``auth`` store: groups, the owner, its password credential, its token."""
    return {
        "users": [
            {
                "id": OWNER_ID,
                "group_ids": ["system-admin"],
                "is_owner": True,
                "is_active": True,
                "name": OWNER_NAME,
                "system_generated": False,
                "local_only": False,
            }
        ],
        "groups": [
            {"id": "system-admin", "name": "Administrators"},
            {"id": "system-users", "name": "Users"},
            {"id": "system-read-only", "name": "Read Only"},
        ],
        "credentials": [
            {
                "id": CREDENTIAL_ID,
                "user_id": OWNER_ID,
                "auth_provider_type": "homeassistant",
                "auth_provider_id": None,
                "data": {"username": OWNER_USERNAME},
            }
        ],
        "refresh_tokens": [
            {
                "id": refresh_token_id,
                "user_id": OWNER_ID,
                "client_id": None,
                "client_name": TOKEN_CLIENT_NAME,
                "client_icon": None,
                "token_type": "long_lived_access_token",
                "created_at": now.isoformat(),
                "access_token_expiration": TOKEN_LIFETIME.total_seconds(),
                "token": secrets.token_hex(64),
                "jwt_key": jwt_key,
                "last_used_at": None,
                "last_used_ip": None,
                "expire_at": None,
                "credential_id": None,
                "version": None,
            }
        ],
    }


def _password_data() -> dict[str, Any]:
    """Return the ``auth_provider.homeassistant`` store, hashed as Home Assistant hashes."""
    hashed = bcrypt.hashpw(OWNER_PASSWORD.encode(), bcrypt.gensalt(rounds=12))
    return {"users": [{"username": OWNER_USERNAME, "password": base64.b64encode(hashed).decode()}]}


def _core_config(time_zone: str) -> dict[str, Any]:
    """Return the ``core.config`` store: what onboarding's "core config" step would save."""
    return {
        "latitude": 52.3731,
        "longitude": 4.8922,
        "elevation": 0,
        "unit_system_v2": "metric",
        "location_name": "SwitchBot Automation (development)",
        "time_zone": time_zone,
        "external_url": None,
        "internal_url": None,
        "currency": "EUR",
        "country": "NL",
        "language": "en",
        "radius": 100,
    }


def build_entry(
    *,
    api_url: str,
    token: str,
    secret: str,
    meter_device_id: str,
    aircon_device_id: str,
    time_windows: list[dict[str, Any]],
    now: datetime,
    option_overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the config entry, as ``core.config_entries`` stores it, from the template."""
    template = json.loads(ENTRY_TEMPLATE.read_text(encoding="utf-8"))
    filled = _fill(
        template,
        {
            "token": token,
            "secret": secret,
            "api_url": api_url,
            "meter_device_id": meter_device_id,
            "aircon_device_id": aircon_device_id,
            "time_windows": time_windows,
        },
    )
    return {
        "created_at": now.isoformat(),
        "data": filled["data"],
        "discovery_keys": {},
        "disabled_by": None,
        "domain": DOMAIN,
        "entry_id": ENTRY_ID,
        "minor_version": 1,
        "modified_at": now.isoformat(),
        "options": {**filled["options"], **(option_overrides or {})},
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": "user",
        "subentries": [],
        "title": filled["title"],
        # The contract: the entry identifies the account; the config flow hashes the token.
        "unique_id": hashlib.sha256(token.encode()).hexdigest(),
        "version": 1,
    }


def backup_entry(now: datetime) -> dict[str, Any]:
    """Return the entry Home Assistant's ``backup`` integration creates for itself.

    Seeded so that its first start does not raise a "New devices discovered" notification.
    """
    return {
        "created_at": now.isoformat(),
        "data": {},
        "discovery_keys": {},
        "disabled_by": None,
        "domain": "backup",
        "entry_id": BACKUP_ENTRY_ID,
        "minor_version": 1,
        "modified_at": now.isoformat(),
        "options": {},
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": "system",
        "subentries": [],
        "title": "Backup",
        "unique_id": None,
        "version": 1,
    }


def reset_config_dir(config_dir: Path) -> None:
    """Delete Home Assistant's runtime files, keeping only ``configuration.yaml``."""
    for path in config_dir.iterdir():
        if path.name == "configuration.yaml":
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def link_custom_components(config_dir: Path) -> None:
    """Make Home Assistant load the integration straight from the working tree."""
    link = config_dir / "custom_components"
    if link.is_symlink() or link.exists():
        return
    link.symlink_to(ROOT / "custom_components", target_is_directory=True)


def seed(
    config_dir: Path,
    *,
    api_url: str,
    token: str = DEV_TOKEN,
    secret: str = DEV_SECRET,
    meter_device_id: str = METER_ID,
    aircon_device_id: str = AC_REMOTE_ID,
    time_zone: str | None = None,
    time_windows: list[dict[str, Any]] | None = None,
    start_in_minutes: float = 3,
    window_minutes: int = 20,
    option_overrides: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Seed:
    """Write the pre-seeded ``.storage`` files and ``dev_instance.json`` into ``config_dir``.

    Files Home Assistant writes itself (registries, the integration's own store) are left
    alone; ``reset_config_dir`` first for a clean start.
    """
    now = now or datetime.now(UTC)
    time_zone = time_zone or detect_time_zone()
    if time_windows is None:
        time_windows = [window_starting_in(start_in_minutes, window_minutes, time_zone, now)]
    link_custom_components(config_dir)

    refresh_token_id = uuid4().hex
    jwt_key = secrets.token_hex(64)
    issued = int(now.timestamp())
    access_token = jwt.encode(
        {
            "iss": refresh_token_id,
            "iat": issued,
            "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
        },
        jwt_key,
        algorithm="HS256",
    )
    _write_storage(config_dir, "auth", _auth_data(now, refresh_token_id, jwt_key))
    _write_storage(config_dir, "auth_provider.homeassistant", _password_data())
    _write_storage(
        config_dir,
        "onboarding",
        {"done": ["user", "core_config", "analytics", "integration"]},
        version=4,
    )
    _write_storage(config_dir, "core.config", _core_config(time_zone), minor_version=4)
    entry = build_entry(
        api_url=api_url,
        token=token,
        secret=secret,
        meter_device_id=meter_device_id,
        aircon_device_id=aircon_device_id,
        time_windows=time_windows,
        now=now,
        option_overrides=option_overrides,
    )
    _write_storage(
        config_dir,
        "core.config_entries",
        {"entries": [entry, backup_entry(now)]},
        minor_version=5,
    )

    result = Seed(
        config_dir=str(config_dir),
        entry_id=ENTRY_ID,
        owner_id=OWNER_ID,
        access_token=access_token,
        time_zone=time_zone,
        time_windows=time_windows,
        api_url=api_url,
    )
    summary = config_dir / SUMMARY_FILE
    summary.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    summary.chmod(0o600)
    return result


def load_seed(config_dir: Path) -> Seed:
    """Read back what ``seed`` wrote."""
    return Seed(**json.loads((config_dir / SUMMARY_FILE).read_text(encoding="utf-8")))


# Talking to the running instance.


class HomeAssistantApi:
    """Just enough of Home Assistant's REST and websocket APIs for readiness checks and tests."""

    def __init__(self, session: aiohttp.ClientSession, url: str, access_token: str) -> None:
        """Use ``session`` to reach Home Assistant at ``url`` (``http://127.0.0.1:8123``)."""
        self._session = session
        self.url = url.rstrip("/")
        self._token = access_token
        self._headers = {"Authorization": f"Bearer {access_token}"}

    async def request(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        """Send one REST request; return the HTTP status and the JSON body (or the text)."""
        async with self._session.request(
            method,
            f"{self.url}{path}",
            json=payload,
            headers=self._headers,
            timeout=aiohttp.ClientTimeout(total=_REQUEST_SECONDS),
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return an entity's state object, or None when Home Assistant has none."""
        status, body = await self.request("GET", f"/api/states/{entity_id}")
        return body if status == 200 else None

    async def ws_command(self, command: Mapping[str, Any]) -> Any:
        """Run one websocket command on a fresh connection and return its result."""
        async with (
            asyncio.timeout(_REQUEST_SECONDS),
            self._session.ws_connect(f"{self.url}/api/websocket") as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self._token})
            auth = await ws.receive_json()
            if auth.get("type") != "auth_ok":
                raise NotReadyError(f"websocket authentication failed: {auth}")
            await ws.send_json({"id": 1, **command})
            reply = await ws.receive_json()
        if not reply.get("success"):
            raise NotReadyError(f"websocket command {command['type']} failed: {reply}")
        return reply["result"]

    async def entities(self, entry_id: str) -> dict[str, dict[str, Any]]:
        """Return the entry's entity registry entries by contract key (``polling_mode``...).

        The contract fixes unique ids as ``f"{entry_id}_{key}"``, so the key is what follows.
        """
        entries = await self.ws_command({"type": "config/entity_registry/list"})
        prefix = f"{entry_id}_"
        return {
            entry["unique_id"].removeprefix(prefix): entry
            for entry in entries
            if entry.get("config_entry_id") == entry_id
            and str(entry.get("unique_id", "")).startswith(prefix)
        }


class ReadinessProbe:
    """Waits until the API answers and the entry's ``last_tick`` has a value.

    ``stage`` says how far it got, for the message when the caller's timeout expires::

        probe = ReadinessProbe(api, entry_id)
        async with asyncio.timeout(120):
            entities = await probe.wait()
    """

    def __init__(
        self,
        api: HomeAssistantApi,
        entry_id: str,
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        """Probe ``entry_id``'s entities through ``api``; give up once ``alive()`` is false."""
        self._api = api
        self._entry_id = entry_id
        self._alive = alive
        self.stage = "the HTTP API never answered"

    async def wait(self) -> dict[str, dict[str, Any]]:
        """Return the entry's entities by key, each registry entry with its ``state`` added.

        Raises ``NotReadyError`` when ``alive()`` turns false, i.e. Home Assistant exited, and
        ``SetupFailedError`` when the config entry failed to load.
        """
        while True:
            if not self._alive():
                raise NotReadyError(f"Home Assistant exited ({self.stage})")
            try:
                if entities := await self._ready_entities():
                    return entities
            except SetupFailedError:
                raise
            except (aiohttp.ClientError, TimeoutError, NotReadyError):
                pass
            await asyncio.sleep(0.5)

    async def _ready_entities(self) -> dict[str, dict[str, Any]] | None:
        status, config = await self._api.request("GET", "/api/config")
        if status != 200:
            return None
        self.stage = "the API answers, but the config entry is not loaded"
        await self._check_entry(running=config.get("state") == "RUNNING")
        entities = await self._api.entities(self._entry_id)
        if "last_tick" not in entities:
            self.stage = "the config entry is loaded, but it has no last_tick entity"
            return None
        self.stage = "the integration's entities exist, but no tick has run"
        state = await self._api.state(entities["last_tick"]["entity_id"])
        if state is None or state["state"] in _NOT_A_STATE:
            return None
        for entity in entities.values():
            entity["state"] = await self._api.state(entity["entity_id"])
        return entities

    async def _check_entry(self, *, running: bool) -> None:
        """Raise ``SetupFailedError`` once the entry's state says it will not load.

        ``not_loaded`` is final once Home Assistant runs: its start-up has tried every entry,
        and the integration itself failed (e.g. an import error, no ``async_setup_entry``).
        """
        entries = await self._api.ws_command({"type": "config_entries/get", "domain": DOMAIN})
        entry = next((item for item in entries if item["entry_id"] == self._entry_id), None)
        if entry is None:
            raise SetupFailedError(f"Home Assistant has no config entry {self._entry_id}")
        state, reason = entry["state"], entry.get("reason")
        detail = f"the config entry is {state}" + (f": {reason}" if reason else "")
        if state in ("setup_error", "migration_error") or (state == "not_loaded" and running):
            raise SetupFailedError(detail)
        if state != "loaded":
            self.stage = detail
            raise NotReadyError(detail)


_LOG_RECORD: Final = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_LOG_NOISE: Final = (
    "has not been tested by Home Assistant",
    "Setting up stage",
    # The frontend's list of actions imports the camera integration once a climate entity
    # (the thermostat) is loaded; it looks for the system's libturbojpeg, absent here, and
    # logs that camera snapshots will be slower. Nothing of the integration's.
    "Error loading libturbojpeg",
)


def log_problems(config_dir: Path, limit: int = 20) -> list[str]:
    """Return what explains a failed start: the log's errors and the integration's warnings.

    Each record is its first line plus, for a traceback, its last line (the exception).
    """
    log = config_dir / "home-assistant.log"
    if not log.is_file():
        return []
    records: list[list[str]] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if _LOG_RECORD.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    problems = []
    for first, *rest in records:
        relevant = any(level in first for level in ("ERROR", "CRITICAL")) or (
            DOMAIN in first and "WARNING" in first
        )
        if relevant and not any(noise in first for noise in _LOG_NOISE):
            problems.append(first)
            if rest and rest[-1].strip():
                problems.append(f"    {rest[-1].strip()}")
    return problems[-limit:]


# Command line, for scripts/develop.


def _pid_alive(pid: int | None) -> Callable[[], bool]:
    def alive() -> bool:
        if pid is None:
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    return alive


def _print_seed(result: Seed) -> None:
    windows = ", ".join(f"{w['start']}-{w['end']}" for w in result.time_windows)
    print(f"    entry {result.entry_id} -> {result.api_url}")
    print(f"    time window {windows} every day ({result.time_zone})")


async def _wait(args: argparse.Namespace) -> int:
    config_dir = Path(args.config_dir)
    result = load_seed(config_dir)
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, args.url, result.access_token)
        probe = ReadinessProbe(api, result.entry_id, _pid_alive(args.pid))
        try:
            async with asyncio.timeout(args.timeout):
                entities = await probe.wait()
        except (NotReadyError, TimeoutError) as err:
            reason = str(err) or f"not ready after {args.timeout:g} s: {probe.stage}"
            print(f"!!  SwitchBot Automation is not running: {reason}")
            for line in log_problems(config_dir):
                print(f"    {line}")
            return 1
    for key in sorted(entities):
        state = entities[key].get("state") or {}
        unit = state.get("attributes", {}).get("unit_of_measurement", "")
        print(f"    {entities[key]['entity_id']:<55} {state.get('state')} {unit}".rstrip())
    if device_id := entities.get("polling_mode", {}).get("device_id"):
        print(f"    device page: {args.url}/config/devices/device/{device_id}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed", help="write the pre-seeded .storage files")
    seed_parser.add_argument("--config-dir", default=str(ROOT / "config"))
    seed_parser.add_argument("--api-url", required=True, help="the simulator's base URL")
    seed_parser.add_argument("--start-in", type=float, default=3, help="minutes to the window")
    seed_parser.add_argument("--window-minutes", type=int, default=20)
    seed_parser.add_argument("--fresh", action="store_true", help="delete runtime files first")
    wait_parser = commands.add_parser("wait", help="wait until the integration has ticked")
    wait_parser.add_argument("--config-dir", default=str(ROOT / "config"))
    wait_parser.add_argument("--url", default="http://127.0.0.1:8123")
    wait_parser.add_argument("--pid", type=int, help="give up when this process exits")
    wait_parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)

    if args.command == "seed":
        config_dir = Path(args.config_dir)
        if args.fresh:
            reset_config_dir(config_dir)
        _print_seed(
            seed(
                config_dir,
                api_url=args.api_url,
                start_in_minutes=args.start_in,
                window_minutes=args.window_minutes,
            )
        )
        return 0
    return asyncio.run(_wait(args))


if __name__ == "__main__":
    sys.exit(main())
