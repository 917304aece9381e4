"""Run the simulator standalone: ``python -m switchbot_sim --port 8765 --speed 60``.

Point a development Home Assistant at the printed URL with the printed token and secret; the
room then heats and cools ``--speed`` times faster than real time.
"""

import argparse
import asyncio
from collections.abc import Sequence
import logging
import signal
import sys

from .clock import SimClock
from .room import daily_sine
from .server import DEV_SECRET, DEV_TOKEN, SwitchBotSimulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (``sys.argv[1:]`` when ``argv`` is None)."""
    parser = argparse.ArgumentParser(
        prog="python -m switchbot_sim", description="A local SwitchBot Cloud API v1.1."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument("--token", default=DEV_TOKEN, help="token the clients must send")
    parser.add_argument("--secret", default=DEV_SECRET, help="secret the clients sign with")
    parser.add_argument("--temperature", type=float, default=20.0, help="initial room °C")
    parser.add_argument("--outdoor", type=float, default=10.0, help="mean outdoor °C")
    parser.add_argument(
        "--outdoor-amplitude",
        type=float,
        default=0.0,
        help="daily outdoor swing around --outdoor, warmest at 15:00 UTC (°C)",
    )
    parser.add_argument("--daily-limit", type=int, default=10_000, help="calls per UTC day")
    parser.add_argument(
        "--room",
        action="append",
        default=[],
        metavar="NAME",
        help="add a room named NAME, with its own meter, hub and air conditioner (repeatable; "
        "ids in order: added_room_ids(1), added_room_ids(2), ...)",
    )
    return parser.parse_args(argv)


def build_simulator(options: argparse.Namespace) -> SwitchBotSimulator:
    """Return a simulator configured from parsed options, running on sped-up real time."""
    sim = SwitchBotSimulator(
        token=options.token,
        secret=options.secret,
        clock=SimClock.real_time(options.speed),
        host=options.host,
        port=options.port,
    )
    sim.room.temperature = options.temperature
    sim.room.outdoor = (
        daily_sine(options.outdoor, options.outdoor_amplitude)
        if options.outdoor_amplitude
        else options.outdoor
    )
    sim.account.daily_limit = options.daily_limit
    for name in options.room:
        sim.account.add_room(name=name)
    return sim


async def serve(options: argparse.Namespace, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set, after printing how to connect."""
    async with build_simulator(options) as sim:
        sys.stdout.write(
            f"SwitchBot Cloud simulator listening on {sim.url}\n"
            f"token:  {sim.token}\n"
            f"secret: {sim.secret}\n"
            f"clock:  {options.speed:g}x real time from {sim.clock.now().isoformat()}\n"
        )
        sys.stdout.flush()
        await stop.wait()


async def _serve_until_signalled(options: argparse.Namespace) -> None:
    """Serve until SIGINT (Ctrl-C) or SIGTERM, then shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(options, stop)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the simulator; exit with a one-line message if the port cannot be bound."""
    options = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        asyncio.run(_serve_until_signalled(options))
    except OSError as err:
        raise SystemExit(
            f"switchbot_sim: cannot listen on {options.host}:{options.port}: {err}"
        ) from None


if __name__ == "__main__":
    main()
