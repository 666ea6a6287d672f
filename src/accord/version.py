"""accord's version, in a module of its own so that any module can read it without importing
the package's public API (which imports the pipeline lazily)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
