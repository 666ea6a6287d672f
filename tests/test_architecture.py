"""The import graph of ``src/accord``, read with ``ast``: no import cycle, ``click`` only in
``accord/cli/``, the stages never import the orchestrator or the command line, and of the rest
of accord they import only the shared layer below them (a listed few exceptions aside).

Which imports count: every ``import``/``from ... import`` statement anywhere in a module, at
the top, inside a function (a lazy import) and under ``if TYPE_CHECKING:`` alike. A lazy
import still ties the two modules together (it only moves the cost), and a type-only one is
the same dependency as far as a reader or a refactoring goes, so a cycle through either is a
cycle. An import names the module it imports (``from accord.claims import base`` names
``accord.claims.base``; ``from accord.model import Claim`` names ``accord.model``): the
packages above it, whose ``__init__`` Python also runs, are not counted, or every module would
depend on ``accord/__init__.py``. Imports by string (``importlib``, entry points) are not read.
grimp reads the same graph but finds no cycles itself (docs/dependencies.md), hence ``ast``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# The stage packages: they meet the rest through the data model, never through the
# orchestrator that runs them or the command line that starts it.
STAGES = ("ingest", "claims", "align", "embed", "verify", "reconcile", "report", "normalize")
ORCHESTRATION = ("accord.pipeline", "accord.cli")
CLI_ONLY = ("click",)  # third-party packages only accord/cli/ may import

# What a stage package may import of accord besides its own package: the data model, the
# errors, the registries, the settings and the shared value layer (docs/architecture.md).
STAGE_BASE = (
    "accord.model",
    "accord.errors",
    "accord.registry",
    "accord.settings",
    "accord.normalize",
)

# The imports of a stage beyond STAGE_BASE that the code makes today, each (stage package,
# imported module) with why. A new one fails the test; so does an entry no longer used, so
# the list only shrinks. docs/architecture.md lists the same (checked below).
STAGE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("accord.align", "accord.relations"): "the aligner pairs claims by their relation key",
    ("accord.align", "accord.embed"): "the hybrid aligner encodes claims",
    ("accord.align", "accord.embed.cache"): "the hybrid aligner caches its vectors",
    ("accord.claims", "accord.lexicon"): "event, subject and infobox word lists",
    ("accord.claims", "accord.limits"): "the per-document deadline, checked while parsing",
    ("accord.ingest", "accord.limits"): "size limits and the per-document deadline",
    ("accord.ingest", "accord.published"): "checks a declared publication date",
    ("accord.ingest", "accord.sources"): "a JSONL passage declares a source as a user does",
    ("accord.normalize", "accord.ingest.files"): "a user's entity file opened as a document",
    ("accord.reconcile", "accord.lexicon"): "record field names",
    ("accord.report", "accord.questions"): "the contradictions on the question come first",
    ("accord.report", "accord.version"): "the JSON report names the accord version",
    ("accord.verify", "accord.lexicon"): "event and role word lists",
    ("accord.verify", "accord.relations"): "whether two slots state one relation",
}


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, as a module name, and where it is."""

    source: str
    target: str
    line: int


def module_names(src: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``src``, by dotted name (a package by its own)."""
    names: dict[str, Path] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> Iterator[Import]:
    """The imports in one module, wherever they stand, with relative ones made absolute."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield Import(name, sub if sub in modules else target, node.lineno)


def import_graph(src: Path, package: str) -> dict[str, list[Import]]:
    """Each module of ``package`` with every import it makes (of anything, in or out)."""
    modules = module_names(src, package)
    return {name: list(imports_of(name, path, modules)) for name, path in modules.items()}


def cycles(graph: Mapping[str, list[Import]]) -> list[list[str]]:
    """The import cycles inside the package: each strongly connected set of modules (Tarjan),
    sorted, a module importing itself included."""
    edges = {
        name: sorted({i.target for i in found if i.target in graph})
        for name, found in graph.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges[node]:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def cli_only_imports(graph: Mapping[str, list[Import]], package: str) -> list[Import]:
    """Imports of a command-line-only library (``click``) outside ``<package>.cli``."""
    return [
        i
        for name, found in graph.items()
        if not _is_under(name, f"{package}.cli")
        for i in found
        if any(_is_under(i.target, lib) for lib in CLI_ONLY)
    ]


def stage_inversions(graph: Mapping[str, list[Import]], package: str) -> list[Import]:
    """Imports of the orchestrator or the command line by a stage package."""
    stages = [f"{package}.{stage}" for stage in STAGES]
    above = [name.replace("accord", package, 1) for name in ORCHESTRATION]
    return [
        i
        for name, found in graph.items()
        if any(_is_under(name, stage) for stage in stages)
        for i in found
        if any(_is_under(i.target, top) for top in above)
    ]


def stage_imports_beyond_base(graph: Mapping[str, list[Import]], package: str) -> list[Import]:
    """Imports of ``package``'s own modules by a stage package beyond what every stage may
    import (``STAGE_BASE``, its own package)."""
    base = [name.replace("accord", package, 1) for name in STAGE_BASE]
    found = []
    for name, imports in graph.items():
        stage = next((s for s in STAGES if _is_under(name, f"{package}.{s}")), None)
        if stage is None:
            continue
        allowed = [*base, f"{package}.{stage}"]
        found += [
            i
            for i in imports
            if _is_under(i.target, package) and not any(_is_under(i.target, ok) for ok in allowed)
        ]
    return found


def _stage_of(name: str, package: str) -> str:
    """The stage package a module is in (``pkg.claims.base`` -> ``pkg.claims``)."""
    return ".".join(name.split(".")[:2]) if name.startswith(f"{package}.") else name


def _where(found: list[Import]) -> str:
    return "; ".join(f"{i.source}:{i.line} imports {i.target}" for i in found)


@pytest.fixture(scope="module")
def accord_graph() -> dict[str, list[Import]]:
    return import_graph(SRC, "accord")


def test_architecture_graph_reads_every_module(accord_graph: dict[str, list[Import]]) -> None:
    # a sanity check that the reader sees the package: a few modules and known imports
    assert {"accord", "accord.pipeline", "accord.cli", "accord.claims.frames"} <= set(accord_graph)
    assert any(i.target == "accord.settings" for i in accord_graph["accord.pipeline"])
    assert any(i.target == "click" for i in accord_graph["accord.cli"])


def test_architecture_has_no_import_cycle(accord_graph: dict[str, list[Import]]) -> None:
    assert cycles(accord_graph) == [], "import cycles (counting lazy and type-only imports)"


def test_architecture_click_only_in_cli(accord_graph: dict[str, list[Import]]) -> None:
    found = cli_only_imports(accord_graph, "accord")
    assert found == [], _where(found)


def test_architecture_stages_never_import_orchestration(
    accord_graph: dict[str, list[Import]],
) -> None:
    found = stage_inversions(accord_graph, "accord")
    assert found == [], _where(found)


def test_architecture_stages_import_only_the_shared_layer(
    accord_graph: dict[str, list[Import]],
) -> None:
    found = stage_imports_beyond_base(accord_graph, "accord")
    new = [i for i in found if (_stage_of(i.source, "accord"), i.target) not in STAGE_EXCEPTIONS]
    assert new == [], (
        f"a stage imports beyond accord.model/errors/registry/settings/normalize: {_where(new)}; "
        "import through the data model instead, or add the import to STAGE_EXCEPTIONS with "
        "its reason and to the table in docs/architecture.md"
    )
    used = {(_stage_of(i.source, "accord"), i.target) for i in found}
    stale = sorted(set(STAGE_EXCEPTIONS) - used)
    assert stale == [], f"STAGE_EXCEPTIONS entries no longer used, remove them: {stale}"


@pytest.mark.parametrize(("stage", "target"), sorted(STAGE_EXCEPTIONS))
def test_architecture_doc_lists_each_stage_exception(stage: str, target: str) -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith(f"| `{stage}` |")]
    assert any(f"`{target}`" in row.split("|")[2] for row in rows), (
        f"docs/architecture.md: the import-rule table has no row for {stage} importing {target}"
    )


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_LAYERED = {
    "pkg/__init__.py": "",
    "pkg/model.py": "X = 1\n",
    "pkg/pipeline.py": "from pkg.claims import extract\nfrom pkg import model\n",
    "pkg/cli/__init__.py": "import click\nfrom pkg import pipeline\n",
    "pkg/claims/__init__.py": "from .base import extract\n",
    "pkg/claims/base.py": "from ..model import X\n\ndef extract():\n    return X\n",
}


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        # a lazy import closing a loop through a relative import
        (
            {"pkg/model.py": "X = 1\n\ndef f():\n    from pkg.claims import base\n"},
            [["pkg.claims.base", "pkg.model"]],
        ),
        # a type-only import back to the package's own __init__
        (
            {
                "pkg/claims/base.py": "from typing import TYPE_CHECKING\n"
                "from pkg.model import X\nif TYPE_CHECKING:\n    import pkg.claims\n"
            },
            [["pkg.claims", "pkg.claims.base"]],
        ),
        # a module importing itself
        ({"pkg/model.py": "import pkg.model\n"}, [["pkg.model"]]),
    ],
    ids=["lazy-relative", "type-only", "self"],
)
def test_architecture_checker_finds_a_planted_cycle(
    tmp_path: Path, planted: dict[str, str], expected: list[list[str]]
) -> None:
    assert cycles(import_graph(_plant(tmp_path / "clean", _LAYERED), "pkg")) == []
    src = _plant(tmp_path / "planted", {**_LAYERED, **planted})
    assert cycles(import_graph(src, "pkg")) == expected


@pytest.mark.parametrize(
    ("planted", "rule", "expected"),
    [
        ({"pkg/claims/base.py": "import click\n"}, "click", "pkg.claims.base:1 imports click"),
        (
            {"pkg/report.py": "def f():\n    from click import echo\n"},
            "click",
            "pkg.report:2 imports click",
        ),
        (
            {"pkg/claims/base.py": "def f():\n    from pkg import pipeline\n"},
            "stage",
            "pkg.claims.base:2 imports pkg.pipeline",
        ),
        (
            {"pkg/claims/base.py": "from ..cli import main\n"},
            "stage",
            "pkg.claims.base:1 imports pkg.cli",
        ),
        (
            {"pkg/claims/base.py": "from pkg.lexicon import WORDS\n", "pkg/lexicon.py": ""},
            "base",
            "pkg.claims.base:1 imports pkg.lexicon",
        ),
        (
            {"pkg/claims/base.py": "def f():\n    from ..align import pairs\n"},
            "base",
            "pkg.claims.base:2 imports pkg.align",
        ),
    ],
    ids=[
        "click-top",
        "click-lazy",
        "stage-pipeline",
        "stage-cli-relative",
        "stage-beyond-base",
        "stage-imports-stage-lazy",
    ],
)
def test_architecture_checker_finds_a_planted_layer_break(
    tmp_path: Path, planted: dict[str, str], rule: str, expected: str
) -> None:
    checks = {
        "click": cli_only_imports,
        "stage": stage_inversions,
        "base": stage_imports_beyond_base,
    }
    check = checks[rule]
    assert check(import_graph(_plant(tmp_path / "clean", _LAYERED), "pkg"), "pkg") == []
    graph = import_graph(_plant(tmp_path / "planted", {**_LAYERED, **planted}), "pkg")
    assert _where(check(graph, "pkg")) == expected
