"""Loads the JSON Schema (draft 2020-12) that ``accord.report.json`` output follows."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def schema_text() -> str:
    """Return the report schema as JSON text, exactly as shipped."""
    return resources.files("accord.data").joinpath("report.schema.json").read_text("utf-8")


def load_schema() -> dict[str, Any]:
    """Return the report schema as a dict."""
    data: dict[str, Any] = json.loads(schema_text())
    return data
