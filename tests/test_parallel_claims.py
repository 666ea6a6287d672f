"""Claims extracted in worker processes are the claims extracted in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord import pipeline
from accord.per_document import PARALLEL_MIN_DOCUMENTS, extraction_workers


@pytest.mark.parametrize(
    ("documents", "workers", "cpus", "expected"),
    [
        (2, None, 2, 1),  # too few documents to pay for starting workers
        (PARALLEL_MIN_DOCUMENTS, None, 2, 2),
        (PARALLEL_MIN_DOCUMENTS, None, 1, 1),
        (1000, None, 4, 4),
        (3, 8, 4, 3),  # never more workers than documents
        (100, 1, 4, 1),
    ],
)
def test_extraction_workers_policy(
    monkeypatch: pytest.MonkeyPatch, documents: int, workers: int | None, cpus: int, expected: int
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cpus)
    assert extraction_workers(documents, workers) == expected


@pytest.mark.integration
@pytest.mark.parametrize("workers", [2])
def test_parallel_claims_equal_serial_with_fake_extractor(workers: int) -> None:
    import accord.testing.fakes  # noqa: F401  (registers accord.fake.v1)

    texts = [
        f"Treaty {i}\n\nThe treaty was signed on 19{i:02d}-0{1 + i % 9}-1{i % 10}. It was kept."
        for i in range(7)
    ]
    common = {"extractor": "accord.fake.v1", "sources_are_text": True}
    serial = pipeline.run(texts, pipeline.Settings(**common, workers=1))
    parallel = pipeline.run(texts, pipeline.Settings(**common, workers=workers))
    assert parallel.documents == serial.documents
    assert parallel.claims == serial.claims
    assert parallel.verdicts == serial.verdicts


@pytest.mark.integration
@pytest.mark.parametrize("workers", [2])
def test_parallel_claims_equal_serial_on_the_examples(seeds_dir: Path, workers: int) -> None:
    serial = pipeline.run([seeds_dir], pipeline.Settings(workers=1))
    parallel = pipeline.run([seeds_dir], pipeline.Settings(workers=workers))
    assert parallel.claims == serial.claims
    assert parallel.record == serial.record
    assert parallel.run.backends["claims"] == serial.run.backends["claims"]
