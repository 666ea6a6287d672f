"""The reconcile stage: one record for the subject, with each source's reliability."""

from __future__ import annotations

from accord.reconcile.majority import reconcile, render_value

__all__ = ["reconcile", "render_value"]
