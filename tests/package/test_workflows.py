"""The GitHub workflows, which cannot run here: valid for GitHub, and naming the right actions.

Every file of ``.github/workflows`` is checked against the GitHub workflow schema that
``check-jsonschema`` ships (``--builtin-schema vendor.github-workflows``: no download, so this
runs offline). Then the jobs are read: the validation workflow runs hassfest and the HACS
action for an integration; the test workflow runs ``scripts/test`` in a Debian image with
Python 3.13.
"""

from collections.abc import Iterator
from pathlib import Path
import subprocess
import sys
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])

HASSFEST = "home-assistant/actions/hassfest@master"
HACS = "hacs/action@main"
CHECKOUT = "actions/checkout@"


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def _triggers(workflow: dict[str, Any]) -> Any:
    # YAML 1.1 reads the key ``on`` as the boolean True.
    return workflow.get("on", workflow.get(True))


def _steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def _job_using(workflow: dict[str, Any], action: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the job and the step that use ``action`` (exactly one of each)."""
    found = [
        (workflow["jobs"][job_id], step)
        for job_id, step in _steps(workflow)
        if step.get("uses") == action
    ]
    assert len(found) == 1, f"{action}: {len(found)} steps"
    return found[0]


def test_there_are_workflows() -> None:
    assert {path.name for path in WORKFLOW_FILES} >= {"validate.yml", "tests.yml"}


def test_workflows_match_the_github_schema() -> None:
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOW_FILES),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_every_workflow_is_well_formed(path: Path) -> None:
    workflow = _load(path.name)
    assert workflow.get("name"), path.name
    assert _triggers(workflow), path.name
    assert workflow["jobs"], path.name
    for job_id, job in workflow["jobs"].items():
        assert job.get("runs-on") == "ubuntu-latest", job_id
        assert job.get("steps"), job_id
    for job_id, step in _steps(workflow):
        assert ("uses" in step) != ("run" in step), f"{job_id}: uses or run, not both"
        if "uses" in step:
            # Every action is pinned to a version or a branch.
            assert "@" in step["uses"], f"{job_id}: {step['uses']}"


def test_validate_runs_hassfest_and_hacs() -> None:
    workflow = _load("validate.yml")
    triggers = _triggers(workflow)
    assert {"push", "pull_request"} <= set(triggers)
    job, _step = _job_using(workflow, HASSFEST)
    # hassfest reads the integration from the checked-out repository.
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(action.startswith(CHECKOUT) for action in uses[: uses.index(HASSFEST)])
    _job, step = _job_using(workflow, HACS)
    assert step["with"]["category"] == "integration"


def test_tests_run_the_project_test_command() -> None:
    workflow = _load("tests.yml")
    triggers = _triggers(workflow)
    assert {"push", "pull_request"} <= set(triggers)
    jobs = [
        job
        for job in workflow["jobs"].values()
        if any(step.get("run") == "scripts/test" for step in job["steps"])
    ]
    assert len(jobs) == 1
    steps = jobs[0]["steps"]
    uses = [step.get("uses", "") for step in steps]
    runs = [step.get("run") for step in steps]
    test_step = runs.index("scripts/test")
    checkout = next(i for i, action in enumerate(uses) if action.startswith(CHECKOUT))
    assert checkout < test_step
    # scripts/setup insists on Python 3.13, and scripts/install_browser on Debian's Chromium.
    assert jobs[0]["container"] == "python:3.13-bookworm"
    # CI's time for one run: scripts/test includes the end-to-end tests.
    assert jobs[0].get("timeout-minutes", 360) <= 90
