"""docs/architecture.md against the code: every ``accord.x.y`` name and every repository path
it writes exists, and it names every top-level package and module of ``src/accord``.

Names are resolved from the source with ``ast``, nothing is imported (so modules of optional
extras resolve too): the longest prefix that is a module of ``src/accord``, then what that
module defines or imports at its top level (``if TYPE_CHECKING:`` blocks included, imports
followed), then a member of a class. A registry name (``accord.slots.v1``: the first argument
of a ``.register(...)`` call) and an entry-point group (``accord.verifiers``: ``accord.`` and
the kind given to ``Registry(...)``) are names too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DOC = ROOT / "docs" / "architecture.md"

# src/accord entries that need no line of their own
UNLISTED = ("__init__", "__main__", "py.typed", "version")

_PATH = re.compile(
    r"(?<![\w./-])(?:src|tests|docs|benchmarks|scripts|examples|training|fuzz)/[\w./-]*[\w/]"
)


def dotted_names(text: str, package: str = "accord") -> list[str]:
    """Each distinct ``accord.x.y`` (``package.x.y``) the text writes, in order."""
    pattern = rf"(?<![\w./-]){re.escape(package)}(?:\.[A-Za-z_][\w-]*)+"
    return list(dict.fromkeys(re.findall(pattern, text)))


def repository_paths(text: str) -> list[str]:
    """Each distinct repository path (``src/accord/model.py``, ``tests/...``) the text writes."""
    return list(dict.fromkeys(_PATH.findall(text)))


class Source:
    """The modules of one package under ``src``, read with ``ast``."""

    def __init__(self, src: Path, package: str) -> None:
        self.src = src
        self.package = package
        self.modules: dict[str, Path] = {}
        for path in sorted((src / package).rglob("*.py")):
            parts = list(path.relative_to(src).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            self.modules[".".join(parts)] = path
        self._trees: dict[str, ast.Module] = {}
        self._registry_names: set[str] | None = None

    def tree(self, module: str) -> ast.Module:
        if module not in self._trees:
            path = self.modules[module]
            self._trees[module] = ast.parse(path.read_text(encoding="utf-8"), str(path))
        return self._trees[module]

    def registry_names(self) -> set[str]:
        """Registered component names and entry-point groups, from the calls that make them."""
        if self._registry_names is not None:
            return self._registry_names
        found: set[str] = set()
        for module in self.modules:
            for node in ast.walk(self.tree(module)):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                if isinstance(node.func, ast.Attribute) and node.func.attr == "register":
                    found.add(first.value)
                elif isinstance(node.func, ast.Name) and node.func.id == "Registry":
                    found.add(f"{self.package}.{first.value}")
        self._registry_names = found
        return found

    def _top_level(self, module: str) -> dict[str, ast.AST]:
        """What a module binds at its top level, in ``if``/``try`` blocks too."""
        names: dict[str, ast.AST] = {}

        def visit(body: list[ast.stmt]) -> None:
            for node in body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names[node.name] = node
                elif isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            names[target.id] = node
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names[node.target.id] = node
                elif isinstance(node, ast.Import | ast.ImportFrom):
                    for alias in node.names:
                        names[alias.asname or alias.name.split(".")[0]] = node
                elif isinstance(node, ast.If | ast.Try):
                    visit(node.body)
                    visit(node.orelse)
                    for handler in getattr(node, "handlers", []):
                        visit(handler.body)

        visit(self.tree(module).body)
        return names

    def _imported_from(self, module: str, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        is_package = self.modules[module].name == "__init__.py"
        parts = module.split(".") if is_package else module.split(".")[:-1]
        base = parts[: len(parts) - node.level + 1]
        return ".".join([*base, node.module] if node.module else base)

    def has(self, module: str, rest: list[str]) -> bool:
        """Whether ``module`` has the attribute path ``rest``."""
        if not rest:
            return True
        if f"{module}.{rest[0]}" in self.modules:
            return self.has(f"{module}.{rest[0]}", rest[1:])
        node = self._top_level(module).get(rest[0])
        if node is None:
            return False
        if isinstance(node, ast.ImportFrom):
            origin = self._imported_from(module, node)
            (alias,) = [a for a in node.names if (a.asname or a.name) == rest[0]]
            if f"{origin}.{alias.name}" in self.modules:
                return self.has(f"{origin}.{alias.name}", rest[1:])
            if origin in self.modules:
                return self.has(origin, [alias.name, *rest[1:]])
            return True  # from outside the package: not ours to check
        if isinstance(node, ast.ClassDef):
            return len(rest) == 1 or rest[1] in _members(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return len(rest) == 1
        return True  # a variable or an outside import: its attributes are not read

    def resolves(self, name: str) -> bool:
        """Whether a dotted name is a module, something in one, or a registry name."""
        if name in self.registry_names():
            return True
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                return self.has(module, parts[cut:])
        return False


def _members(node: ast.ClassDef) -> set[str]:
    found: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(item.name)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            found.add(item.target.id)
        elif isinstance(item, ast.Assign):
            found |= {t.id for t in item.targets if isinstance(t, ast.Name)}
    return found


def missing_names(text: str, source: Source) -> list[str]:
    """The ``accord.x.y`` names the text writes that the code does not have."""
    return [name for name in dotted_names(text, source.package) if not source.resolves(name)]


def missing_paths(text: str, root: Path) -> list[str]:
    """The repository paths the text writes that do not exist under ``root``."""
    return [path for path in repository_paths(text) if not (root / path).exists()]


def top_level_entries(src: Path, package: str) -> Iterator[tuple[str, str]]:
    """Each top-level module and package of ``package``, as (name, what it is)."""
    for path in sorted((src / package).iterdir()):
        if path.is_dir() and path.name != "__pycache__" and not path.name.startswith("."):
            yield path.name, "package" if (path / "__init__.py").exists() else "directory"
        elif path.suffix == ".py":
            yield path.stem, "module"


def unnamed_entries(text: str, src: Path, package: str) -> list[str]:
    """What the text should name and does not: one line per top-level package or module of
    ``package`` (``UNLISTED`` aside) that neither ``accord.<name>`` nor a path in it names."""
    named = {name.split(".")[1] for name in dotted_names(text, package)}
    prefix = f"src/{package}/"
    for path in repository_paths(text):
        if path.startswith(prefix) and len(path) > len(prefix):
            named.add(Path(path[len(prefix) :].split("/")[0]).stem)
    return [
        f"docs/architecture.md does not name the {kind} src/{package}/{name}"
        f"{'/' if kind != 'module' else '.py'}: add a line for {package}.{name} saying what "
        "it holds, in the section of its layer"
        for name, kind in top_level_entries(src, package)
        if name not in UNLISTED and name not in named
    ]


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_architecture_doc_names_resolve(doc: str) -> None:
    names = dotted_names(doc)
    assert len(names) > 50  # the reader sees the page's names
    missing = missing_names(doc, Source(SRC, "accord"))
    assert missing == [], f"docs/architecture.md names what the code does not have: {missing}"


def test_architecture_doc_paths_exist(doc: str) -> None:
    assert "src/accord/data/report.schema.json" in repository_paths(doc)
    missing = missing_paths(doc, ROOT)
    assert missing == [], f"docs/architecture.md gives paths that do not exist: {missing}"


def test_architecture_doc_names_every_top_level_package_and_module(doc: str) -> None:
    unnamed = unnamed_entries(doc, SRC, "accord")
    assert unnamed == [], "\n".join(unnamed)


_PLANTED = {
    "pkg/__init__.py": "from pkg.model import Claim\n\ndef check():\n    pass\n",
    "pkg/model.py": "class Claim:\n    text: str\n\n    def key(self):\n        pass\n",
    "pkg/version.py": "V = 1\n",
    "pkg/claims/__init__.py": "from .base import extractors\n",
    "pkg/claims/base.py": (
        "from typing import TYPE_CHECKING\nfrom pkg.registry import Registry\n"
        "if TYPE_CHECKING:\n    from pkg.model import Claim\n"
        'extractors = Registry("extractors")\n'
        '@extractors.register("pkg.spacy.v1")\nclass Spacy:\n    pass\n'
    ),
    "pkg/registry.py": "class Registry:\n    def build(self):\n        pass\n",
}
_PLANTED_DOC = """`pkg.model.Claim.text`, `pkg.claims.extractors`, `pkg.claims.base.Claim.key`,
`pkg.check`, `pkg.Claim`, `pkg.registry.Registry.build`, the registry name `pkg.spacy.v1` in
the entry-point group `pkg.extractors`, and `src/pkg/claims/base.py`.
"""


def _plant(root: Path) -> Path:
    for rel, text in _PLANTED.items():
        path = root / "src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("planted", "missing"),
    [
        ("`pkg.claims.nothing`", ["pkg.claims.nothing"]),
        ("`pkg.model.Document`", ["pkg.model.Document"]),
        ("`pkg.model.Claim.span`", ["pkg.model.Claim.span"]),
        ("`pkg.check.twice`", ["pkg.check.twice"]),
        ("`pkg.regex.v1`", ["pkg.regex.v1"]),
    ],
    ids=["module", "class", "member", "function-attribute", "registry-name"],
)
def test_architecture_doc_checker_finds_a_planted_missing_name(
    tmp_path: Path, planted: str, missing: list[str]
) -> None:
    source = Source(_plant(tmp_path) / "src", "pkg")
    assert missing_names(_PLANTED_DOC, source) == []
    assert missing_names(f"{_PLANTED_DOC}and {planted}.\n", source) == missing


def test_architecture_doc_checker_finds_a_planted_missing_path(tmp_path: Path) -> None:
    root = _plant(tmp_path)
    assert missing_paths(_PLANTED_DOC, root) == []
    text = f"{_PLANTED_DOC}and `src/pkg/gone.py`, `tests/test_gone.py`."
    assert missing_paths(text, root) == ["src/pkg/gone.py", "tests/test_gone.py"]


def test_architecture_doc_checker_finds_a_planted_unnamed_package(tmp_path: Path) -> None:
    src = _plant(tmp_path) / "src"
    assert unnamed_entries(_PLANTED_DOC, src, "pkg") == []
    (src / "pkg" / "rerank").mkdir()
    (src / "pkg" / "rerank" / "__init__.py").write_text("", encoding="utf-8")
    (src / "pkg" / "cache.py").write_text("", encoding="utf-8")
    found = unnamed_entries(_PLANTED_DOC, src, "pkg")
    assert [line.split(": ")[0] for line in found] == [
        "docs/architecture.md does not name the module src/pkg/cache.py",
        "docs/architecture.md does not name the package src/pkg/rerank/",
    ]
    assert "add a line for pkg.rerank saying what it holds" in found[1]
    # a path names a module as well as a dotted name does
    assert unnamed_entries(f"{_PLANTED_DOC}`src/pkg/cache.py`, `pkg.rerank`", src, "pkg") == []
