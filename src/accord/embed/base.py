"""The embedding interface: texts in, unit-length float32 vectors out, one row per text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol

from accord.registry import Registry

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class Encoder(Protocol):
    """Turns texts into sentence vectors.

    Rows are L2-normalised, so a dot product is a cosine; a text with nothing to encode
    (empty or blank) gets a zero row, whose cosine with anything is 0.
    """

    name: ClassVar[str]

    @property
    def model_id(self) -> str:
        """Names the model and its weights; two encoders with one ``model_id`` give the same
        vectors (up to float rounding), so caches are keyed by it."""
        ...

    @property
    def dim(self) -> int:
        """Width of the vectors."""
        ...

    def warm_up(self) -> None:
        """Load the model; ``encode`` calls it when needed."""
        ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return a ``len(texts) x dim`` float32 array of unit (or zero) rows."""
        ...

    def describe(self) -> str:
        """Say in a few words which model runs on which runtime."""
        ...


encoders: Registry[Encoder] = Registry("encoders")
