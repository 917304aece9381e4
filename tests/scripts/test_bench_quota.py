"""Smoke test of ``scripts/bench_quota.py``: one simulated day of the reference week, and a
few minutes of a sensor storm.

The script runs its own Home Assistant instance (the test harness's) in an event loop of its
own, in a thread of its own, under its own frozen clock: this test is synchronous and starts no
``hass`` fixture (``conftest.py``). What is checked is the report's structure and the issue's
targets, never timings.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
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
