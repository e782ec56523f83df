"""Which deploys leave a stamp: only one whose next run would have nothing to send, set or say."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy import stamp as stamp_module
from tui.domain.deploy.events import DeployResult, PlanReady
from tui.domain.deploy.plan import RemoteFile
from tui.domain.deploy.stamp import load_stamp, remember_stamp, save_stamp
from tui.domain.deploy.stamp_earn import earned_stamp

HOUR_NS = 3600 * 10**9


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(stamp_module, "RACY_MARGIN_NS", 0)  # ctimes are moments old
    folder = tmp_path / "site"
    (folder / "assets").mkdir(parents=True)
    (folder / "README.md").write_text("---\ntitle: Site\nsdk: static\n---\n")
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    (folder / "assets" / "style.css").write_text("h1 { color: red }\n")
    (folder / ".hfignore").write_text("*.log\n")
    past = time.time_ns() - HOUR_NS
    for path in folder.rglob("*"):
        os.utime(path, ns=(past, past))
    return folder


async def test_a_clean_deploy_is_stamped_at_the_head_it_left(deploy, site: Path) -> None:  # noqa: ANN001
    result = await deploy(site, "alice/site", create=True, probe=False, stamp=True)
    assert result.ok, result.message
    stamp = load_stamp(site.resolve(), deploy.target.endpoint, "alice/site")
    assert stamp is not None
    assert (stamp.space_id, stamp.head_sha, stamp.files) == ("alice/site", result.sha, 4)
    assert set(stamp.walked) == {"", "assets"} and stamp.endpoint == deploy.target.endpoint


async def test_a_file_changed_during_the_deploy_leaves_no_stamp(deploy, site: Path) -> None:  # noqa: ANN001
    def edit_while_deploying(event: object) -> None:
        if isinstance(event, PlanReady):  # after the walk and the checks: they did not see it
            (site / "debug.log").write_text("written during the deploy\n")

    result = await deploy(
        site, "alice/site", create=True, probe=False, stamp=True, on_event=edit_while_deploying
    )
    assert result.ok
    assert load_stamp(site.resolve(), deploy.target.endpoint, "alice/site") is None


async def test_a_failed_deploy_removes_the_stamp(deploy, site: Path, emulator) -> None:  # noqa: ANN001
    assert (await deploy(site, "alice/site", create=True, probe=False, stamp=True)).ok
    assert load_stamp(site.resolve(), deploy.target.endpoint, "alice/site") is not None
    emulator.app_faults.set("alice/site", status=404)
    result = await deploy(site, "alice/site", stamp=True)  # unchanged; the app fails the probe
    assert result.outcome == "probe_failed"
    assert load_stamp(site.resolve(), deploy.target.endpoint, "alice/site") is None


def _finding(severity: Severity, check_id: str = "FILES001") -> Finding:
    return Finding(check_id, severity, "a finding", "index.html")


@pytest.mark.parametrize(
    "spoil",
    [
        ("result", {"ok": False, "outcome": "build_failed"}),
        ("result", {"outcome": "restarted"}),
        ("result", {"sha": None}),
        ("options", {"variables": {"MODE": "fast"}}),
        ("options", {"secrets": {"KEY": "value"}}),
        ("options", {"hardware": "t4-small"}),
        ("options", {"restart": True}),
        ("options", {"secrets_file": Path(".env")}),
        ("findings", (_finding(Severity.WARNING),)),
        ("findings", (_finding(Severity.INFO, "SECRET001"),)),
        ("remote_only", None),
        ("forced", True),
        ("no_walk", None),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
async def test_what_the_next_run_would_do_or_say_leaves_no_stamp(
    deploy,  # noqa: ANN001
    site: Path,
    spoil: tuple[str, object],
) -> None:
    assert (await deploy(site, "alice/site", create=True, probe=False, stamp=True)).ok
    deployer = deploy.deployer
    fields = {
        "endpoint": deploy.target.endpoint,
        "options": deployer.options,
        "result": next(e for e in deploy.events if isinstance(e, DeployResult)),
        "upload_set": deployer._upload_set,
        "report": deployer._report,
        "plan": deployer._plan,
        "forced": False,
        "started_ns": time.time_ns(),
    }
    assert earned_stamp(site.resolve(), **fields) is not None  # as they are: stamped
    what, how = spoil
    if what in ("result", "options"):
        fields[what] = dataclasses.replace(fields[what], **how)  # type: ignore[arg-type]
    elif what == "findings":
        fields["report"] = dataclasses.replace(fields["report"], findings=how)  # type: ignore[arg-type]
    elif what == "remote_only":
        plan = fields["plan"]
        fields["plan"] = dataclasses.replace(plan, remote_only=(RemoteFile("old.txt", 1),))  # type: ignore[arg-type]
    elif what == "forced":
        fields["forced"] = True
    elif what == "no_walk":
        fields["upload_set"] = dataclasses.replace(fields["upload_set"], walked=())  # type: ignore[arg-type]
    assert earned_stamp(site.resolve(), **fields) is None  # type: ignore[arg-type]
    where = (site.resolve(), deploy.target.endpoint, "alice/site")
    assert load_stamp(*where) is not None
    remember_stamp(*where, None)  # as the engine does with what a deploy earned
    assert load_stamp(*where) is None  # the old one is gone


async def test_only_a_deploy_asked_to_leaves_a_stamp(deploy, site: Path) -> None:  # noqa: ANN001
    # The app's deploys run on its event loop: the stamp's walk would stall it, for no reader.
    assert (await deploy(site, "alice/site", create=True, probe=False)).ok
    assert load_stamp(site.resolve(), deploy.target.endpoint, "alice/site") is None


async def test_a_stamp_that_cannot_be_written_fails_nothing(
    deploy,  # noqa: ANN001
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stamp_module, "stamp_path", lambda *where: Path("/proc/no/such/dir/x"))
    result = await deploy(site, "alice/site", create=True, probe=False, stamp=True)
    assert result.ok
    assert save_stamp(site, _any_stamp()) is False


def _any_stamp() -> stamp_module.Stamp:
    return stamp_module.Stamp("e", "a/b", "a" * 40, "b" * 64, ("",), (), 0, ())
