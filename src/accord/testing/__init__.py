"""Helpers for testing accord and its plugins: fast fakes and shared contract suites."""

from __future__ import annotations
