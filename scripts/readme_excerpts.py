"""Rewrite the output excerpts marked in README.md from what accord prints now.

An excerpt sits between ``<!-- excerpt: NAME -->`` and ``<!-- /excerpt -->``; ``EXCERPTS``
says which command gives it and which parts of its output it keeps. The commands run on the
bundled examples with this checkout's ``src`` first on the path, 80 columns wide.

    python scripts/readme_excerpts.py           # rewrite README.md
    python scripts/readme_excerpts.py --check   # exit 1, with a diff, if it is out of date
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
WIDTH = 80  # the README's code blocks read well at this width
_BLOCK = re.compile(
    r"(<!-- excerpt: (?P<name>[\w-]+) -->\n```text\n)(?P<body>.*?)(```\n<!-- /excerpt -->)",
    re.DOTALL,
)
_SECTION = re.compile(r"^(?P<title>[A-Z][^─]*?) ─{3,}$")
_ITEM = re.compile(r"^\d+\. ")


def run_accord(*args: str) -> str:
    """What ``accord ARGS`` prints on stdout, run from the repository root.

    Raises:
        RuntimeError: the command did not exit 0.
    """
    env = dict(os.environ, COLUMNS=str(WIDTH), NO_COLOR="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    done = subprocess.run(
        [sys.executable, "-m", "accord", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"accord {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return "\n".join(line.rstrip() for line in done.stdout.splitlines())


def sections(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first section, and each section's lines by its title's first
    word ("Contradictions (1) ───" is ``Contradictions``), its title line included."""
    head: list[str] = []
    found: dict[str, list[str]] = {}
    current = head
    for line in text.splitlines():
        match = _SECTION.match(line)
        if match:
            current = found.setdefault(match.group("title").split()[0], [])
        current.append(line)
    return head, found


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _first_items(lines: list[str], count: int) -> list[str]:
    """A section's title and its first ``count`` numbered items, then ``...``."""
    starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if len(starts) <= count:
        return _trim(lines)
    return [*_trim(lines[: starts[count]]), "   ..."]


def check_examples() -> str:
    """``accord check examples/``: the summary, the contradictions, the first agreement
    and the record (the run's timings differ from run to run, so they are left out)."""
    head, found = sections(run_accord("check", "examples/"))
    summary = [line for line in head if re.match(r"^(No|\d+) contradiction", line)]
    parts = [
        summary,
        _trim(found.get("Contradictions", [])),
        _first_items(found.get("Agreements", []), 1),
        _trim(found.get("Record", [])),
    ]
    return "\n\n".join("\n".join(part) for part in parts if part) + "\n"


def stages() -> str:
    """``accord stages``, whole."""
    return run_accord("stages") + "\n"


EXCERPTS: dict[str, Callable[[], str]] = {"check-examples": check_examples, "stages": stages}
"""Each marked excerpt's name and what makes its text."""


def rewrite(text: str, make: dict[str, Callable[[], str]] = EXCERPTS) -> str:
    """``text`` with every marked excerpt's body made anew.

    Raises:
        KeyError: a marker names no excerpt in ``make``.
    """

    def body(match: re.Match[str]) -> str:
        return match.group(1) + make[match.group("name")]() + match.group(4)

    return _BLOCK.sub(body, text)


def main(argv: list[str] | None = None) -> int:
    """Rewrite README.md, or with ``--check`` say whether it is up to date (exit 1 if not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a diff")
    args = parser.parse_args(argv)
    old = README.read_text(encoding="utf-8")
    new = rewrite(old)
    if args.check:
        if new != old:
            diff = difflib.unified_diff(
                old.splitlines(), new.splitlines(), "README.md", "regenerated", lineterm=""
            )
            print("\n".join(diff))
            print("README.md is out of date: run python scripts/readme_excerpts.py")
            return 1
        return 0
    if new != old:
        README.write_text(new, encoding="utf-8")
        print("README.md rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
