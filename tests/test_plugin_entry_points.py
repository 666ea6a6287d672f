"""A verifier and an aligner installed as a package with entry points (a real ``*.dist-info``
on the path, no stand-in for ``importlib.metadata``), each with a setting of its own, run by
name from the command line and from ``accord.check``."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import accord
from accord.align import aligners
from accord.model import Component
from accord.verify import verifiers

ROOT = Path(__file__).resolve().parents[1]
MODULE = "accord_settings_plugin"
VERIFIER = "plugin.threshold.v1"
ALIGNER = "plugin.first.v1"
TEXTS = (
    "The Treaty of Vell was signed in Lisbon on 4 May 1820. It ended the war.",
    "The Treaty of Vell was signed in Porto on 4 May 1821. It ended the long war.",
)
PLUGIN = '''
from accord.model import Label, Pair, Verdict


class ThresholdVerifier:
    """Calls every pair a contradiction, with its own setting as the confidence."""

    name = "plugin.threshold.v1"

    def __init__(self, threshold=0.5):
        self.threshold = threshold

    def describe(self):
        return f"confidence {self.threshold}"

    def verify(self, pairs):
        return [
            Verdict(pair=p, label=Label.CONTRADICTS, confidence=self.threshold,
                    method="plugin:threshold", reason=f"threshold {self.threshold}")
            for p in pairs
        ]


class FirstPairsAligner:
    """Pairs claims of different documents, the first ``limit`` of them."""

    name = "plugin.first.v1"

    def __init__(self, limit=100):
        self.limit = limit

    def describe(self):
        return f"first {self.limit} pairs"

    def align(self, claims):
        pairs = [
            Pair(left=a, right=b, score=1.0, retriever="first")
            for i, a in enumerate(claims) for b in claims[i + 1:] if a.doc_id != b.doc_id
        ]
        return pairs[: self.limit]
'''


def _install(site: Path) -> Path:
    """Write the plugin package and its ``dist-info`` (metadata and entry points) to ``site``."""
    site.mkdir()
    (site / f"{MODULE}.py").write_text(PLUGIN, encoding="utf-8")
    info = site / f"{MODULE}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {MODULE}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[accord.verifiers]\n{VERIFIER} = {MODULE}:ThresholdVerifier\n\n"
        f"[accord.aligners]\n{ALIGNER} = {MODULE}:FirstPairsAligner\n",
        encoding="utf-8",
    )
    return site


@pytest.mark.parametrize(("threshold", "limit"), [(0.9, 1)])
def test_plugins_from_entry_points_run_by_name_from_the_cli(
    tmp_path: Path, threshold: float, limit: int
) -> None:
    site = _install(tmp_path / "site")
    paths = []
    for index, text in enumerate(TEXTS):
        path = tmp_path / f"{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT / "src")])
    argv = [sys.executable, "-m", "accord", "check", *paths, "--format", "json", "-q"]
    argv += ["--verifier", VERIFIER, "--aligner", ALIGNER]
    argv += ["--set", f"{VERIFIER}.threshold={threshold}", "--set", f"{ALIGNER}.limit={limit}"]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    verdicts = [report["findings"][v["finding"]] | v for v in report["verdicts"]]
    # the aligner kept ``limit`` pairs, the verifier gave its own confidence
    assert len(verdicts) == limit
    assert [(v["method"], v["confidence"]) for v in verdicts] == [("plugin:threshold", threshold)]
    backends = report["run"]["backends"]
    assert backends["verify"]["name"] == VERIFIER
    assert backends["verify"]["options"] == {"threshold": threshold}
    assert backends["align"]["name"] == ALIGNER
    assert backends["align"]["options"] == {"limit": limit}
    assert report["run"]["settings"]["components"] == {
        VERIFIER: {"threshold": threshold},
        ALIGNER: {"limit": limit},
    }


@pytest.mark.parametrize(("threshold", "limit"), [(0.95, 2)])
def test_plugins_from_entry_points_run_by_name_from_accord_check(
    tmp_path: Path, threshold: float, limit: int
) -> None:
    site = _install(tmp_path / "site")
    # the registries load entry points once per process: make the new package visible, then
    # have them look again (and forget it afterwards, for the tests that follow)
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    verifiers.reload_entry_points()
    aligners.reload_entry_points()
    try:
        report = accord.check(
            list(TEXTS),
            verifier=VERIFIER,
            aligner=ALIGNER,
            components={VERIFIER: {"threshold": threshold}, ALIGNER: {"limit": limit}},
        )
    finally:
        sys.path.remove(str(site))
        importlib.invalidate_caches()
        sys.modules.pop(MODULE, None)
        verifiers.reload_entry_points()
        aligners.reload_entry_points()
    assert len(report.verdicts) == limit
    assert {(v.method, v.confidence) for v in report.verdicts} == {("plugin:threshold", threshold)}
    assert report.run.components["verify"] == Component(
        name=VERIFIER, options={"threshold": threshold}
    )
    assert report.run.components["align"] == Component(name=ALIGNER, options={"limit": limit})
    assert VERIFIER not in verifiers.names()  # gone with its package
