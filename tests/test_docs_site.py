"""The documentation site builds offline with every warning an error, and its API page,
generated from the docstrings, documents each name ``accord`` exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import accord

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.parametrize("name", sorted(accord.__all__))
def test_docs_site_api_page_documents_each_public_name(site: Path, name: str) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert f'id="accord.{name}"' in page, f"docs/api.md has no entry for accord.{name}"


@pytest.mark.parametrize("page", ["index.html", "cli/index.html", "performance/index.html"])
def test_docs_site_has_the_docs_pages(site: Path, page: str) -> None:
    assert (site / page).is_file()
