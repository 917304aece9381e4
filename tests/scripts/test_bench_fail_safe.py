"""Smoke test of ``scripts/bench_fail_safe.py`` on a shortened scenario.

One day of store writes, one hour of hub outage, one hour after the daily-limit answer: the
figures are computed and printed; their values are the benchmark's to report, and no timing
is checked. As for ``test_bench_quota.py``, the script runs its own instance in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from scripts import bench_fail_safe as bench


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    # In a thread of its own: ``asyncio.run`` would leave this thread without its loop.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


@pytest.mark.no_cover
def test_shortened_scenario(socket_enabled: None) -> None:
    writes = run(bench.store_writes(days=1))
    assert [f"{row.day:%a %d}" for row in writes] == ["Mon 12"]
    assert writes[0].writes > 0
    assert writes[0].commands > 0
    lines = bench.writes_lines(writes)
    assert lines[0].startswith("| Day | Store writes | Commands |")
    assert len(lines) == 3

    hours = run(bench.hub_offline_calls(hours=1))
    assert len(hours) == 1
    assert hours[0].reads > 0
    assert hours[0].commands > 0  # refused ones: the hub is offline
    assert len(bench.hours_lines(hours)) == 3

    end = bench.REFUSAL_AT + timedelta(hours=1)
    gap = run(bench.quota_gap(end))
    assert gap.refused
    assert gap.paused_until is not None
    assert gap.paused_until > gap.refused_at
    assert gap.longest_gap > timedelta(0)
    assert all(gap.refused_at <= at < end for at in gap.requests)
    text = "\n".join(bench.gap_lines(gap))
    assert "refused" in text
    assert "longest gap between consecutive requests" in text


def test_command_line_help() -> None:
    with pytest.raises(SystemExit):
        bench.main(["--help"])
