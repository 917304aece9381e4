"""A local SwitchBot Cloud simulator for tests and development (never shipped).

``SwitchBotSimulator`` serves the v1.1 API for one virtual account; in a test::

    async with SwitchBotSimulator() as sim:            # 127.0.0.1, free port, sim.url
        client = SwitchBotCloudClient(session, sim.token, sim.secret, api_url=sim.url)
        sim.room.outdoor = daily_sine(8.0, 5.0)        # or a constant, e.g. 10.0
        bedroom = sim.account.add_room(Room(sim.clock, ac_rate=0.2))  # its meter and AC ids
        sim.clock.advance(3600)                        # the room integrates over this hour
        sim.inject(Fault.http(503), times=2, path="/v1.1/devices")
        sim.set_online(HUB_ID, online=False)           # 171 for what sits behind the hub
        sim.account.daily_limit = 5                    # then HTTP 429 (or QuotaResponse)
        sim.ac_state, sim.commands_sent(), sim.requests, sim.calls_today

``clock=dt_util.utcnow`` makes it follow Home Assistant's (frozen) time. Device and scene ids
are the constants below. ``python -m switchbot_sim --port 8765 --speed 60`` runs it alone.
"""

from .account import (
    AC_REMOTE_ID,
    DAILY_LIMIT,
    DAILY_LIMIT_MESSAGE,
    HUB_ID,
    METER_ID,
    SCENE_FAN_ID,
    SCENE_OFF_ID,
    SCENE_SUMMER_ID,
    SCENE_WINTER_ID,
    TV_REMOTE_ID,
    QuotaResponse,
    RoomDevices,
    SceneAction,
    SceneRun,
    SentCommand,
    VirtualAccount,
    VirtualDevice,
    VirtualRemote,
    VirtualScene,
)
from .clock import DEFAULT_START, SimClock
from .faults import Fault
from .room import (
    MODE_AUTO,
    MODE_COOL,
    MODE_DRY,
    MODE_FAN,
    MODE_HEAT,
    AirConditionerState,
    Room,
    daily_sine,
)
from .server import DEV_SECRET, DEV_TOKEN, RecordedRequest, SwitchBotSimulator

__all__ = [
    "AC_REMOTE_ID",
    "DAILY_LIMIT",
    "DAILY_LIMIT_MESSAGE",
    "DEFAULT_START",
    "DEV_SECRET",
    "DEV_TOKEN",
    "HUB_ID",
    "METER_ID",
    "MODE_AUTO",
    "MODE_COOL",
    "MODE_DRY",
    "MODE_FAN",
    "MODE_HEAT",
    "SCENE_FAN_ID",
    "SCENE_OFF_ID",
    "SCENE_SUMMER_ID",
    "SCENE_WINTER_ID",
    "TV_REMOTE_ID",
    "AirConditionerState",
    "Fault",
    "QuotaResponse",
    "RecordedRequest",
    "Room",
    "RoomDevices",
    "SceneAction",
    "SceneRun",
    "SentCommand",
    "SimClock",
    "SwitchBotSimulator",
    "VirtualAccount",
    "VirtualDevice",
    "VirtualRemote",
    "VirtualScene",
    "daily_sine",
]
