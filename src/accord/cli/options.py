"""Option groups shared by the commands that read documents, align and verify them."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from accord.cli.base import F
from accord.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_SECONDS_PER_DOCUMENT,
    format_size,
)

entities_option = click.option(
    "--entities",
    "entity_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Extra entity-alias file extending the bundled one; repeatable.",
)
"""``--entities FILE``, for every command that extracts claims."""

extractor_option = click.option(
    "--extractor",
    default="accord.spacy.v1",
    show_default=True,
    metavar="NAME",
    help="Registered claim extractor to use (see accord stages).",
)
"""``--extractor NAME``, for the commands that store claims (``add``, ``batch``)."""


kind_option = click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="FILE=KIND",
    help="Declare the kind of source FILE is (encyclopedia, wiki, news, unknown): it sets "
    "the reliability prior and reports show it as declared; repeatable. A sidecar "
    "FILE.meta.json next to a file declares its kind, title, url, published date and "
    "metadata too. A kind is never taken from a file name.",
)
"""``--kind FILE=KIND``, for the commands that read files (``check``, ``add``)."""


def declared_sources(paths: tuple[str, ...], kinds: tuple[str, ...]) -> list[Any]:
    """The paths to read, with the files ``--kind`` names as ``Source``\\ s of that kind.

    Raises:
        click.BadParameter: a ``--kind`` without ``=``.
        ConfigError: an unknown kind, or a file that is none of the documents.
    """
    if not kinds:
        return list(paths)
    from accord.sources import declared_paths

    return declared_paths(paths, dict(parse_kinds(kinds, "FILE")))


def parse_kinds(items: tuple[str, ...], what: str) -> list[tuple[str, str]]:
    """``--kind NAME=KIND`` values as ``(NAME, KIND)`` pairs.

    Raises:
        click.BadParameter: a value without ``=``, a name or a kind.
    """
    pairs = []
    for item in items:
        name, sep, kind = item.rpartition("=")
        if not sep or not name.strip() or not kind.strip():
            raise click.BadParameter(
                f"{item!r}: give {what}=KIND, e.g. notes.txt=news", param_hint="'--kind'"
            )
        pairs.append((name.strip(), kind.strip()))
    return pairs


class Confidence(click.FloatRange):
    """A confidence: a number from 0 to 1. NaN, which every range check lets through, is
    refused too."""

    def __init__(self) -> None:
        super().__init__(min=0, max=1)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        """The number, or a usage error saying what is wanted."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number; give a confidence from 0 to 1", param, ctx)
        if not (math.isfinite(number) and 0 <= number <= 1):
            self.fail(f"{value!r} is not a confidence from 0 to 1", param, ctx)
        return number


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes given as a number with a unit: ``1.5GiB``, ``800MB``; ``0``: none."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The number of bytes (``0`` for none), or a usage error saying what is wanted."""
        if isinstance(value, int):
            return value
        if str(value).strip() == "0":
            return 0
        from accord.errors import ConfigError
        from accord.limits import parse_size

        try:
            return parse_size(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


memory_option = click.option(
    "--max-memory",
    type=ByteSize(),
    default=format_size(DEFAULT_MAX_MEMORY),
    show_default=True,
    metavar="SIZE",
    help="Memory limit of the process that reads one document and extracts its claims "
    "(1.5GiB, 800MB; 0: none); a document over it fails and the rest are checked.",
)
"""``--max-memory SIZE``, for ``check`` and ``batch`` (``Settings.max_memory_per_document``)."""


min_confidence_option = click.option(
    "--min-confidence",
    type=Confidence(),
    default=None,
    metavar="FLOAT",
    help="Confidence from which a clash counts as a contradiction; a clash under it is "
    "listed apart as a possible conflict, never counted as one [default: 0.7].",
)
"""``--min-confidence FLOAT``, for every command that verifies (``Settings.min_confidence``;
its default is that field's, so it is not imported here: the CLI starts without it)."""


def settings_file_options(func: F) -> F:
    """``--config FILE`` and ``--set NAME.OPTION=VALUE``: a run's settings from a file, and a
    component's own options (``accord.cli.settings_flags``)."""
    func = click.option(
        "--set",
        "component_options",
        multiple=True,
        metavar="NAME.OPTION=VALUE",
        help="An option of a component's own, by its registry name (accord stages lists "
        "them): --set x.judge.v1.threshold=0.3; VALUE is read as JSON where it is JSON, else "
        "as text. Repeatable; over the same option in --config.",
    )(func)
    return click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Take every setting FILE holds: a settings JSON (accord info --format json "
        "shows one) or a JSON report, whose run's settings rerun the same configuration. "
        "Flags given here override it.",
    )(func)


def store_options(func: F) -> F:
    """``--store``, ``--subject`` and ``--prior`` for commands over a corpus."""
    func = click.option(
        "--prior",
        "priors",
        multiple=True,
        metavar="KIND=VALUE",
        help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown), "
        "in [0, 1]; repeatable.",
    )(func)
    func = click.option(
        "--subject",
        metavar="NAME",
        help="The subject's name: the files are about NAME (it names the report; default: "
        "the name the files share); with --store, check only this subject.",
    )(func)
    return click.option(
        "--store", metavar="DB", help="Check the corpus in DB (see accord add) instead of files."
    )(func)


def input_options(*, bytes_help: str, documents_help: str) -> Callable[[F], F]:
    """``--encoding``, ``--entities`` and the limits on hostile input, for the commands that
    read documents (``check``, ``batch``); the help of two limits says what they bound."""

    def decorate(func: F) -> F:
        options = [
            click.option(
                "--encoding", metavar="CODEC", help="Decode every input with CODEC (no detection)."
            ),
            entities_option,
            click.option(
                "--max-bytes",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_BYTES,
                show_default=True,
                help=bytes_help,
            ),
            click.option(
                "--max-seconds",
                type=click.FloatRange(min=0),
                default=DEFAULT_MAX_SECONDS_PER_DOCUMENT,
                show_default=True,
                help="Time limit per document for reading and claim extraction (0: none); "
                "a document over it fails and the rest are checked.",
            ),
            click.option(
                "--max-documents",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_DOCUMENTS,
                show_default=True,
                help=documents_help,
            ),
            click.option(
                "--max-html-depth",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_HTML_DEPTH,
                show_default=True,
                help="Deepest HTML element nesting kept; deeper tags are flattened, their "
                "text kept.",
            ),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def align_options(func: F) -> F:
    """``--aligner`` and ``--top-k``."""
    func = click.option(
        "--top-k",
        type=click.IntRange(min=1),
        default=None,
        help="Candidate claims the aligner keeps per claim from each other document [default: 5].",
    )(func)
    return click.option(
        "--aligner",
        metavar="NAME",
        help="Registered aligner (see accord stages): accord.hybrid.v1 adds sentence "
        'embeddings to BM25 (pip install "accord[embed]") [default: accord.bm25.v1].',
    )(func)


def verify_options(func: F) -> F:
    """``--verifier`` and the NLI/LLM judge flags (the LLM key comes from the environment)."""
    func = click.option(
        "--skip-unreachable-judge",
        is_flag=True,
        help="When the LLM endpoint cannot be reached, check without the LLM judge (the "
        "report lists it as skipped) instead of failing with status 2.",
    )(func)
    func = click.option(
        "--llm-cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Keep LLM answers in this directory (JSON files by prompt hash) across runs.",
    )(func)
    func = click.option(
        "--llm-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds one LLM request may take.",
    )(func)
    func = click.option("--llm-model", metavar="NAME", help="Model name the LLM endpoint serves.")(
        func
    )
    func = click.option(
        "--llm-url",
        metavar="URL",
        help="OpenAI-compatible endpoint (http://host:port/v1) of an LLM judge; the key is "
        "read from ACCORD_LLM_API_KEY.",
    )(func)
    func = click.option(
        "--minilm",
        is_flag=True,
        help="Let accord's own verifier model (accord.minilm.v1; needs pip install "
        '"accord[neural]") judge what slot comparison leaves open; off by default, as its '
        "contradictions are less precise (docs/evaluation.md).",
    )(func)
    func = click.option(
        "--nli-model",
        type=click.Path(path_type=Path),
        metavar="DIR",
        help="Local NLI checkpoint directory (Hugging Face, with an entailment/contradiction "
        'label map); needs pip install "accord[nli]".',
    )(func)
    return click.option(
        "--verifier",
        metavar="NAME",
        help="Registered verifier (see accord stages) [default: accord.ensemble.v1 with "
        "--llm-url or --nli-model, else accord.slots.v1].",
    )(func)
