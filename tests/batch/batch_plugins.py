"""Slow and hostile stand-ins for the batch tests' subprocesses (a signal lands mid-run; a
document that never ends or eats memory).

Imported by name (``import batch_plugins``) in a subprocess whose PYTHONPATH holds this
directory; worker processes import it again when they unpickle the stages. The delays come
from the environment so a test can set them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import ClassVar

from accord.claims.base import extractors
from accord.model import Claim, Document, Pair, Verdict
from accord.testing.fakes import FakeClaimExtractor
from accord.verify.base import verifiers
from accord.verify.slots import SlotVerifier

DOCUMENT_DELAY_S = float(os.environ.get("ACCORD_TEST_DOCUMENT_DELAY_S", "0"))
PAIR_DELAY_S = float(os.environ.get("ACCORD_TEST_VERIFY_DELAY_S", "0"))


@extractors.register("test.slow-fake.v1")
class SlowFakeExtractor(FakeClaimExtractor):
    """``accord.fake.v1`` that takes ``DOCUMENT_DELAY_S`` per document."""

    name: ClassVar[str] = "test.slow-fake.v1"

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        time.sleep(DOCUMENT_DELAY_S * len(documents))
        return super().extract(documents)


@verifiers.register("test.slow-slots.v1")
class SlowSlotVerifier(SlotVerifier):
    """``accord.slots.v1`` that takes ``PAIR_DELAY_S`` per call."""

    name: ClassVar[str] = "test.slow-slots.v1"

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        time.sleep(PAIR_DELAY_S)
        return super().verify(pairs)


@verifiers.register("test.failing-slots.v1")
class FailingSlotVerifier(SlotVerifier):
    """``accord.slots.v1`` that fails on any pair whose claims mention ``FAIL-VERIFY``."""

    name: ClassVar[str] = "test.failing-slots.v1"

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        if any("FAIL-VERIFY" in p.left.text + p.right.text for p in pairs):
            raise RuntimeError("the verifier broke on purpose")
        return super().verify(pairs)


@extractors.register("test.hostile-fake.v1")
class HostileFakeExtractor(FakeClaimExtractor):
    """``accord.fake.v1`` that never returns on a document saying ``STALL`` (as a parser
    stuck in C code, it reaches no deadline check) and allocates without end on one saying
    ``HOG`` (8 GiB at most, should no limit hold)."""

    name: ClassVar[str] = "test.hostile-fake.v1"

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        for document in documents:
            if "STALL" in document.text:
                time.sleep(600)
            if "HOG" in document.text:
                held = []
                while len(held) < 512:
                    held.append(bytearray(16 * 1024**2))
        return super().extract(documents)
