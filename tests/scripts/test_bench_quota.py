"""Smoke test of ``scripts/bench_quota.py``: one simulated day of the reference week, a few
minutes of a sensor storm, and a day of four rooms on one account under the default budget
and under a too-small one.

The script runs its own Home Assistant instance (the test harness's) in an event loop of its
own, in a thread of its own, under its own frozen clock: this test is synchronous and starts no
``hass`` fixture (``conftest.py``). What is checked is the report's structure and the issue's
targets, never timings.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from scripts import bench_quota as bench


# A minute of ticks over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
def test_one_day(socket_enabled: None, capsys: pytest.CaptureFixture[str]) -> None:
    """One day (Monday) of the four configurations: the report, the targets, the print."""
    configs = (*bench.CONFIGS, bench.SENSOR_CONFIG)
    # In a thread of its own: ``asyncio.run`` would leave this thread without its loop.
    with ThreadPoolExecutor(max_workers=1) as executor:
        report = executor.submit(asyncio.run, bench.run_benchmark(1, configs=configs)).result()
    check_structure(report)
    check_targets(report)
    check_sensor_entity(report)
    bench.print_report(report)
    out = capsys.readouterr().out
    assert "target calls_per_day_at_most_25_percent: met" in out
    assert "target sensor_calls_at_most_2_percent: met" in out
    assert "(c) sent the same commands as (b) at the same instants: yes" in out
    assert "runtime: " in out


def check_structure(report: Any) -> None:
    assert list(report.stats) == ["a", "b", "c", "d"]
    for key, rows in report.stats.items():
        assert [row.label for row in rows] == ["Mon 12", "Week"], key
        day, week = rows
        assert day.calls == week.calls > 0
        assert day.reads > 0
        assert day.commands > 0
        assert day.window_seconds == 7.5 * 3600  # 06:30-08:30 and 17:30-23:00
        assert 0 < day.in_band_seconds <= day.window_seconds
        assert len(day.window_starts) == 2
        assert day.reactions
    table = bench.markdown_table(report).splitlines()
    assert table[0].startswith("| Day | Config | Calls | Reads | Commands |")
    assert len(table) == 2 + 2 * 4
    assert "| **Week** | (c) new defaults |" in table[-2]
    assert "| **Week** | (d) sensor entity |" in table[-1]
    lines = bench.ratio_lines(report)
    assert lines[0].startswith("calls (c)/(b): ")
    assert report.runs["c"].ticks


def check_targets(report: Any) -> None:
    assert report.targets_met() == {
        "calls_per_day_at_most_25_percent": True,
        "worst_reaction_no_worse": True,
        "no_crossing_missed": True,
        "window_starts_within_base": True,
    }
    ratios = report.ratios()
    assert ratios["calls_c_over_b"] <= 0.25
    assert ratios["worst_reaction_c"] <= ratios["worst_reaction_b"]
    assert ratios["worst_window_start_c"] <= 15
    # Stretching never skips a tick the base interval acts on: the same commands, at once.
    assert report.same_commands("c", "b")
    # The fixed interval calls the most, the seed's adaptive polling less, the defaults least.
    week = report.week
    assert week["a"].calls > week["b"].calls > week["c"].calls


def check_sensor_entity(report: Any) -> None:
    """(d) against (b): only commands reach the cloud, reactions within seconds."""
    assert report.sensor_targets_met() == {
        "sensor_calls_at_most_2_percent": True,
        "sensor_worst_reaction_at_most_20_s": True,
        "sensor_commands_no_more": True,
        "sensor_no_crossing_missed": True,
    }
    sensor = report.week["d"]
    # The device list at set-up is the only read: the meter is never read.
    assert sensor.reads == 1
    assert sensor.commands > 0
    assert sensor.reactions
    assert report.runs["d"].sensor_writes > 0
    assert "calls (d)/(b): " in bench.sensor_line(report)


def test_command_line_refuses_no_days() -> None:
    with pytest.raises(SystemExit):
        bench.main(["--days", "0"])


# Ten seconds of ticks over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
def test_a_storm_of_changes(socket_enabled: None) -> None:
    """Two minutes of ten changes a second: a tick every 5 s at most, commands by cooldown."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        storm = executor.submit(asyncio.run, bench.run_storm(2)).result()
    assert storm.changes == 1200
    # One tick per debouncer cooldown at most, and a few the timers run (the cooldowns' ends).
    assert 2 * 60 / 5 <= storm.ticks <= 1 + 2 * 60 / 5 + 4
    first, second = storm.commands
    assert second.at - first.at >= timedelta(seconds=60)
    assert "1200 sensor changes in 2 min" in storm.line()


# Three runs of four rooms over lines the other tests cover: coverage would double them.
@pytest.mark.no_cover
def test_four_rooms_on_one_account(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """One day of four rooms: nothing throttled by default (the same commands as without a
    budget); a too-small budget holds, and no window start, window-end OFF or repeat, or
    reading needed against the fail-safe is given up for it."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        report = executor.submit(asyncio.run, bench.run_rooms(1)).result()
    names = [room.name for room in bench.ACCOUNT_ROOMS]
    assert list(report.stats) == [*names, "account", "total"]
    assert report.targets_met() == dict.fromkeys(
        (
            "default_budget_nothing_throttled",
            "default_budget_nothing_skipped",
            "small_budget_held",
            "small_budget_throttled",
            "small_budget_nothing_skipped",
        ),
        True,
    )
    check_default_budget(report, names)
    check_small_budget(report)
    check_the_checks_can_fail(report.small)
    bench.print_rooms_report(report)
    out = capsys.readouterr().out
    assert "| Day | living room | bedroom | study | kitchen | account | total |" in out
    assert f"Too-small budget ({bench.SMALL_BUDGET} calls a day)" in out
    assert "NOT MET" not in out


def check_default_budget(report: Any, names: list[str]) -> None:
    """Every room regulated on its own windows, and no tick of any room stretched."""
    day = {name: rows[0] for name, rows in report.stats.items()}
    assert day["total"].calls == sum(day[name].calls for name in [*names, "account"])
    assert day["account"].calls == day["account"].reads >= 1  # the device list at set-up
    for name in names:
        assert day[name].reads > 0
        assert day[name].commands > 0
        assert day[name].reactions
        assert day[name].missed == 0
        assert 0 < day[name].in_band_seconds <= day[name].window_seconds
    # The windows are shifted: each room's day has its own window time.
    assert len({day[name].window_seconds for name in names}) > 1
    # Nothing the budget did changed a command: the same as without a budget.
    assert report.same_commands_as_unbudgeted() == dict.fromkeys(names, True)
    checks = report.checks(report.default)
    assert [check.name for check in checks] == names
    for check in checks:
        assert check.budget_limited_ticks == 0
        assert check.starts == check.starts_served == 2
        assert check.worst_start is not None
        assert check.worst_start <= bench.BASE_SECONDS
    assert sum(check.ends_expected for check in checks) > 0


def check_small_budget(report: Any) -> None:
    """The account's calls of each UTC day within the budget, the protected ticks all run."""
    small = report.small
    assert small.budget == bench.SMALL_BUDGET
    calls = small.calls_per_utc_day()
    assert max(calls.values()) <= small.budget
    # Monday UTC, whole within the run: the default budget spent more than the small one
    # allows, and the small one kept the rooms' protected calls in reserve.
    monday = min(day for day in calls if day.weekday() == 0)
    assert report.default.calls_per_utc_day()[monday] > small.budget
    assert 0 < small.reserves[monday] < small.budget
    checks = report.checks(small)
    assert any(check.budget_limited_ticks for check in checks)
    for check in checks:
        assert check.starts == check.starts_served >= 2, check
        assert check.ends_served == check.ends_expected, check
        assert check.stale_ticks == check.stale_offs == 0, check
    assert sum(check.ends_expected for check in checks) >= 4


def check_the_checks_can_fail(run: Any) -> None:
    """A tick missing at a window start, an OFF repeat lost, a blind tick: each is seen."""
    trace = run.rooms[0]
    opens = next(
        opens
        for opens, _ in bench.regulation_periods(run.start, run.end, trace.windows)
        if opens > run.start
    )
    late = [tick for tick in trace.ticks if not opens <= tick.at <= opens + bench.START_SLACK]
    blind = [replace(trace.ticks[-1], in_window=True, reading_stale=True)]
    # A window end's OFF goes without its repeats.

    def offs_at(closes: Any) -> list[Any]:
        return [
            command
            for command in run.commands
            if command.device_id == trace.ac_remote_id
            and bench.is_off(command)
            and closes <= command.at <= closes + bench.OFF_SLACK
        ]

    offs = next(
        offs
        for _, closes in bench.regulation_periods(run.start, run.end, trace.windows)
        if len(offs := offs_at(closes)) == bench.OFF_SENDS
    )
    changed = replace(
        run,
        rooms=[replace(trace, ticks=late + blind), *run.rooms[1:]],
        commands=[command for command in run.commands if command not in offs[1:]],
    )
    check = bench.check_room(changed, changed.rooms[0], bench.OFF_SENDS)
    assert check.starts_served == check.starts - 1
    assert check.ends_served == check.ends_expected - 1
    assert check.stale_ticks == 1
    assert not check.untouched
