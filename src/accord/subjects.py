"""Which subject a document is about, so a corpus groups documents by subject.

The rule, in order (the first that gives a name wins):

1. the subject the user names (``accord add --subject S``);
2. the document's own title — a title line, a markup title, or the subject of its lead
   sentence (ingest finds these, see ``accord.ingest.layout``);
3. when the title only came from the file name, the document's dominant entity: the
   capitalised name it repeats most, the earliest on a tie.

One call's documents are one subject. ``subject_name`` names it: the name the user gives;
else the name the documents share (``common_subject``: each document's own subject by the
rule above, and every name it mentions, counted over the documents); never a file name.
``accord add`` files each document under its own subject unless told otherwise (a directory
often holds many subjects); the web app files one upload under one subject.

Documents share a subject when their subject keys are equal. The key is the name
case-folded, without a leading article, with dashes and spaces normalised, a known alias
replaced by its canonical name (the bundled entity table of ``accord.normalize.entities``:
"USSR" and "Soviet Union" are one subject) and "X of Y" written "Y X" (so "Treaty of
Versailles" and "Versailles Treaty" meet) — and with its qualifiers kept: "Treaty of Paris
(1763)" and "Treaty of Paris (1783)" are two subjects, and so are "Treaty of Paris 1763"
and "Treaty of Paris 1783". A key is for matching, not for display; stores recompute
stored keys when this rule changes (``accord.store.migrations``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.model import Document

__all__ = [
    "UNNAMED_SUBJECT",
    "SubjectName",
    "common_subject",
    "dominant_entity",
    "subject_for",
    "subject_key",
    "subject_name",
]

UNNAMED_SUBJECT = "(unnamed subject)"
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
# A run of capitalised words, with the lower-case joiners names carry ("Treaty of Paris").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|the|de|du|von|van|and|for|on)?\s*[A-Z][\w'’-]*)*")
# Capitalised words that start sentences or stand alone without naming anything.
_NOT_NAMES = frozenset(
    {"the", "a", "an", "it", "he", "she", "they", "we", "i", "in", "on", "at", "this", "that"}
)
# A name must be this many times in the text to stand for the whole document.
MIN_DOMINANT_MENTIONS = 2


@dataclass(frozen=True, slots=True)
class SubjectName:
    """A subject: the ``key`` documents are grouped by, and the ``name`` shown to users."""

    key: str
    name: str


# A qualifier at the end of a name: "(1783)", "(ship)", or a bare year ("Treaty of Paris 1783").
_QUALIFIER = re.compile(r"\s*(?:\((?P<bracketed>[^()]*)\)|(?<=\s)(?P<year>\d{3,4}))\s*$")
# "Treaty of Versailles", "Battle of the Somme": a head of at most three words "of" a name
# of at most four; longer phrases are titles, not names to turn round.
_OF_NAME = re.compile(r"^(?P<head>\S+(?: \S+){0,2}) of (?:the )?(?P<tail>\S+(?: \S+){0,3})$")


@functools.lru_cache(maxsize=8192)
def subject_key(name: str) -> str:
    """Return the grouping key of a subject name: aliases of one name get one key, while
    qualifiers such as years are kept.

    >>> subject_key("The Treaty of Paris (1783)")
    'paris treaty (1783)'
    >>> subject_key("Paris Treaty (1783)")
    'paris treaty (1783)'
    """
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub(" ", _DASHES.sub("-", text)).strip(" .,;:")
    text = _ARTICLE.sub("", text)
    match = _QUALIFIER.search(text)
    qualifier = ""
    if match and match.start() > 0:
        kept = match.group("bracketed") if match.group("bracketed") is not None else match["year"]
        qualifier = f" ({_SPACES.sub(' ', kept).strip().casefold()})"
        text = text[: match.start()]
    text = _canonical(text.strip(" .,;:")).casefold()
    text = _ARTICLE.sub("", text)
    turned = _OF_NAME.match(text)
    if turned and " of " not in turned["tail"]:
        text = f"{turned['tail']} {turned['head']}"
    return _SPACES.sub(" ", text).strip(" .,;:") + qualifier


def _canonical(name: str) -> str:
    """The canonical name of a known alias ("USSR" -> "Soviet Union"), else ``name``."""
    from accord.normalize.entities import EntityIndex

    found = EntityIndex.load().lookup(name) if name else None
    return found.name if found is not None else name


def dominant_entity(text: str) -> str | None:
    """The capitalised name ``text`` repeats most (earliest first on a tie), or ``None``."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0].casefold() in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        counts[name] += 1
        first.setdefault(name, match.start())
    ranked = sorted(counts, key=lambda n: (-counts[n], first[n]))
    if not ranked or counts[ranked[0]] < MIN_DOMINANT_MENTIONS:
        return None
    return ranked[0]


def _own_name(document: Document) -> str | None:
    """What ``document`` names itself after: a title of its own (not its file name nor a
    placeholder, not a headline), else the name it repeats most; ``None`` when neither."""
    from accord.ingest.layout import humanise_stem

    title = document.title.strip()
    if title and title != humanise_stem(document.source) and _is_name(title):
        return title
    return dominant_entity(document.text)


def _is_name(text: str) -> bool:
    return bool(text) and not _PLACEHOLDER.match(text) and len(text.split()) <= MAX_NAME_WORDS


_PLACEHOLDER = re.compile(r"^<(?:text( \d+)?|stdin)>$")  # names given to texts, not titles
# Titles longer than this are headlines or sentences, not names of a subject.
MAX_NAME_WORDS = 8
_LOOK_BACK = 64  # characters before a name that say whether it starts a sentence
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“(]\s*)$")
# What a document naming a subject counts towards its being the documents' common one: the
# subject it is about counts twice what a mention does.
OWN_SUBJECT_WEIGHT = 2


def _mentions(document: Document) -> dict[str, str]:
    """The names ``document`` uses, by subject key (the first surface form of each): its
    title and aliases, and the capitalised names in its text — a lone capitalised word only
    where it does not start a sentence ("Visitors to Millbrook ..." names Millbrook only)."""
    found: dict[str, str] = {}
    for name in (document.title, *document.aliases):
        if _is_name(name.strip()):
            found.setdefault(subject_key(name), name.strip())
    text = document.text
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        lead = 0
        while words and words[0].casefold() in _NOT_NAMES:
            lead += 1
            words = words[1:]
        if not words:
            continue
        # only the few characters before the name decide (a whole-prefix search would make
        # a long text quadratic)
        start = match.start()
        before = max(0, start - _LOOK_BACK)
        if len(words) == 1 and lead == 0 and _SENTENCE_START.search(text, before, start):
            continue
        name = " ".join(words).strip(" .,;:")
        if _is_name(name):
            found.setdefault(subject_key(name), name)
    found.pop("", None)
    return found


@dataclass(slots=True)
class _Tally:
    score: int = 0
    documents: int = 0
    own: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    first: int = 0


def common_subject(documents: Sequence[Document]) -> str | None:
    """The name ``documents`` share: the subject they are about or mention most.

    Each document counts for each name it uses: ``OWN_SUBJECT_WEIGHT`` when the name is its
    own subject (``subject_for`` without the file name), one when it only mentions it. A
    name counts when it is some document's own subject or when two documents use it; the
    best count wins, then the name more documents use, more documents call their own, the
    longer (more precise) name, the earlier one. Aliases of one name (see ``subject_key``)
    count together; the form the documents use most is the one returned.

    Returns:
        The name, or ``None`` when no document names its subject and no name is shared.
    """
    tallies: dict[str, _Tally] = {}
    for index, document in enumerate(documents):
        own = _own_name(document)
        own_key = subject_key(own) if own else None
        mentions = _mentions(document)
        if own and own_key:
            mentions.setdefault(own_key, own)
        for key, form in mentions.items():
            tally = tallies.setdefault(key, _Tally(first=index))
            tally.documents += 1
            if key == own_key and own:
                tally.score += OWN_SUBJECT_WEIGHT
                tally.own[own] += 1
            else:
                tally.score += 1
            tally.forms[form] += 1
    eligible = {k: t for k, t in tallies.items() if t.own or t.documents >= 2}
    if not eligible:
        return None
    best = min(
        eligible.values(),
        key=lambda t: (
            -t.score,
            -t.documents,
            -sum(t.own.values()),
            -len(t.forms.most_common(1)[0][0].split()),
            t.first,
        ),
    )
    forms = best.own or best.forms
    return forms.most_common(1)[0][0]


def subject_name(documents: Sequence[Document], given: str | None = None) -> str:
    """The name of the one subject ``documents`` are about, by the module's rule.

    Args:
        documents: the documents of one check, or of one upload.
        given: the subject the user named; wins when not blank.
    """
    if given and given.strip():
        return given.strip()
    shared = common_subject(documents)
    if shared:
        return shared
    if len(documents) == 1 and _is_name(documents[0].title.strip()):
        return documents[0].title.strip()  # one document: its file name is its only name
    return UNNAMED_SUBJECT


def subject_for(document: Document, override: str | None = None) -> SubjectName:
    """Return the subject ``document`` belongs to, following the module's rule.

    Args:
        document: an ingested document.
        override: a subject the user named; wins when given.
    """
    from accord.ingest.layout import humanise_stem

    if override and override.strip():
        name = override.strip()
    elif document.title and document.title != humanise_stem(document.source):
        name = document.title
    else:
        name = dominant_entity(document.text) or document.title or "(untitled)"
    return SubjectName(key=subject_key(name), name=name)
