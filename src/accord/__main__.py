"""``python -m accord``: the same command line as ``accord``."""

from __future__ import annotations

from accord.cli import cli

if __name__ == "__main__":
    cli(prog_name="accord")
