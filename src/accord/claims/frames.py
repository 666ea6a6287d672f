"""Turns one parsed sentence into clause claims whose slots know their event and role.

A slot's event is the verb that governs it (``signed``), its role how it attaches (the date
*of* the signing, the place *of* it, its agent), and ``about`` what the event is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from accord.claims.attributes import attribute_slots, rank_slots
from accord.claims.base import SUBJECT_KEY
from accord.claims.constructions import (
    BEGIN_EVENT,
    EXTENT_EVENTS,
    OPEN_EVENT,
    extreme_point,
    first_users,
    in_a_place_in,
    ongoing_since,
    served_people_since,
)
from accord.claims.counts import (
    POSSESSION_VERBS,
    count_slot,
    is_partitive,
    is_statistic,
    is_unowned,
    measure_role,
    measured_noun,
)
from accord.claims.lifespan import lifespan_slots
from accord.claims.mentions import SUBJECT_DEPS, Mention, SentenceContext, resolve
from accord.claims.negation import is_hedged, is_negated, negated_mention
from accord.claims.terms import to_term
from accord.claims.work_year import work_year_slot
from accord.lexicon import ASPECTUAL_EVENTS, Lexicon
from accord.model import (
    Claim,
    DateValue,
    EntityKind,
    EntityRef,
    Quantity,
    Slot,
    Span,
    TextValue,
    content_id,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

EXTRACTOR = "accord.spacy.v1"

_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN", "PRON"})
_CO_MENTION_DEPS = frozenset({"conj", "appos", "compound", "flat", "cc"})
# Prepositions after which a date is the date *of* the event, not a bound of it.
_DATE_AT_PREPS = frozenset({"on", "in", "at", "during", "of"})
_PLACE_PREPS = frozenset({"in", "at"})
_APPROXIMATE_PREPS = frozenset({"around", "about", "circa"})  # the parser's prep for "around 1835"
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})  # spaCy entity types of places
# Adjectives that describe rather than classify: "a formal military alliance" is a
# military alliance.
_EVALUATIVE = frozenset(
    {"formal", "official", "so-called", "famous", "important", "major", "brief", "new", "first"}
)
_TRAILING_PUNCT = frozenset({".", ",", ";", ":", "-", "\u2013", "\u2014"})
_THEME_FIRST = ("nsubjpass", "dobj", "nsubj")
_POSSESSOR_FIRST = ("nsubjpass", "nsubj", "dobj")
# Event words that are nouns in the lexicon only as the gerund of a verb phrase we already
# read from the verb ("help", "support" are too common as plain nouns to name an event).
_VERBAL_ONLY = frozenset({"help", "aid", "support", "end", "start", "bind", "seal", "create"})


def clause_heads(sent: SpacySpan) -> list[Token]:
    """Return the verbs heading the sentence's clauses: its root and conjoined clauses
    that have a subject of their own."""
    heads = [sent.root]
    for token in sent:
        if (
            token.dep_ == "conj"
            and token.pos_ in _VERB_POS
            and token.head in heads
            and any(c.dep_ in SUBJECT_DEPS or c.dep_ == "expl" for c in token.children)
        ):
            heads.append(token)
    return heads


def clause_tokens(head: Token, heads: Sequence[Token]) -> list[Token]:
    """Tokens of the clause headed by ``head``, minus nested clauses and their joints."""
    nested = [h for h in heads if h.i != head.i and h.head.i == head.i]
    excluded: set[int] = set()
    for other in nested:
        excluded.update(t.i for t in other.subtree)
        # the "and" / "," that joins the nested clause belongs to neither
        for child in head.children:
            if child.dep_ in {"cc", "punct"} and child.i < other.left_edge.i and child.i > head.i:
                excluded.add(child.i)
    tokens = [t for t in head.subtree if t.i not in excluded]
    while tokens and (tokens[-1].text in _TRAILING_PUNCT or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and tokens[0].dep_ in {"cc", "punct"}:
        tokens.pop(0)
    return tokens


def build_claims(
    sent: SpacySpan, mentions: Sequence[Mention], ctx: SentenceContext, kind: str = "sentence"
) -> list[Claim]:
    """Build one claim per clause of ``sent``, each with the slots inside it."""
    heads = clause_heads(sent)
    lifespans = lifespan_slots(
        sent,
        mentions,
        doc_id=ctx.doc_id,
        offset=ctx.offset,
        text=ctx.text,
        about=lambda token: resolve(token, ctx, ()),
    )
    attributes = attribute_slots(
        sent,
        mentions,
        ctx,
        resolve=lambda token: resolve(token, ctx, mentions),
        mention_root=lambda mention: _mention_root(sent, mention, ctx.offset),
    )
    ranks = rank_slots(sent, ctx, resolve=lambda token: resolve(token, ctx, mentions))
    claims = []
    for head in heads:
        tokens = clause_tokens(head, heads)
        if not tokens:
            continue
        indices = {t.i for t in tokens}
        start = ctx.offset + tokens[0].idx
        end = ctx.offset + tokens[-1].idx + len(tokens[-1].text)
        slots = []
        qualified: set[int] = set()
        for at, mention in enumerate(mentions):
            root = _mention_root(sent, mention, ctx.offset)
            if root is None or root.i not in indices:
                continue
            if at in lifespans:
                slots.extend(lifespans[at])
                continue
            if at in attributes:
                slots.extend(attributes[at])
                if not _acts_in_clause(root):
                    continue
            slots.extend(_relative_agent_slots(root, mention, ctx))
            slot = _make_slot(root, mention, ctx)
            if isinstance(mention.value, Quantity):
                slot = (
                    work_year_slot(
                        root,
                        mention,
                        doc_id=ctx.doc_id,
                        offset=ctx.offset,
                        lexicon=ctx.lexicon,
                        about=lambda verb: _about(verb, ctx),
                    )
                    or slot
                )
            if slot is not None:
                slots.append(slot)
                if isinstance(slot.value, DateValue | Quantity) or slot.role == "place":
                    verb, _, _ = _governor(root)
                    if verb is not None and verb.i not in qualified:
                        qualified.add(verb.i)
                        slots.extend(_qualifier_slots(verb, slot, mentions, ctx))
        slots.extend(slot for i, slot in ranks if i in indices)
        slots.extend(_type_slots(tokens, ctx))
        polarity = _polarity_slot(head, ctx)
        if polarity is not None:
            slots.append(polarity)
        text = ctx.text[tokens[0].idx : end - ctx.offset]
        subject_token = _core_subject(head)
        subject = resolve(subject_token, ctx, mentions) if subject_token is not None else None
        predicate = ctx.lexicon.canonical_event(_predicate_lemma(head, ctx.lexicon))
        claims.append(
            Claim(
                id=content_id(ctx.doc_id, start, end, text),
                doc_id=ctx.doc_id,
                span=Span(doc_id=ctx.doc_id, start=start, end=end),
                text=text,
                subject=ctx.resolver.title if subject == SUBJECT_KEY else subject,
                predicate=predicate,
                slots=tuple(slots),
                negated=is_negated(head),
                hedged=is_hedged(tokens, sent, ctx.lexicon),
                section=ctx.section,
                kind=kind,
                terms=tuple(_terms(tokens, mentions, ctx)),
                extractor=EXTRACTOR,
            )
        )
    return claims


def _relative_agent_slots(root: Token, mention: Mention, ctx: SentenceContext) -> list[Slot]:
    """ "Harold Birkett, who designed the bridge, died in 1994": the person is also the agent
    of the relative clause's event (design), about what that clause is about."""
    value = mention.value
    if not isinstance(value, EntityRef) or value.kind not in (
        EntityKind.PERSON,
        EntityKind.ORGANISATION,
    ):
        return []
    out = []
    for clause in root.children:
        if clause.dep_ != "relcl" or clause.pos_ != "VERB":
            continue
        if not any(
            c.dep_ == "nsubj" and c.lower_ in {"who", "that", "which"} for c in clause.children
        ):
            continue
        about = _about(clause, ctx)
        if about is None:
            continue
        out.append(
            Slot(
                role="agent",
                value=value,
                event=ctx.lexicon.canonical_event(_predicate_lemma(clause, ctx.lexicon)),
                surface=mention.surface,
                span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
                about=about,
                negated=is_negated(clause),
            )
        )
    return out


def _mention_root(sent: SpacySpan, mention: Mention, offset: int) -> Token | None:
    span = sent.doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _predicate_lemma(verb: Token, lexicon: Lexicon) -> str:
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if lemma == "declare" and objects and objects[0].lemma_.lower() == "war":
        return "declare war"
    # "was first performed" is the premiere: a first occurrence the lexicon names
    first = any(c.lower_ == "first" and c.dep_ == "advmod" for c in verb.children)
    if first and lexicon.knows(f"first {lemma}"):
        return f"first {lemma}"
    # A verb with its object or preposition the lexicon knows as one event: "entered
    # service", "was put into service"
    children = list(verb.children) if lexicon.starts_phrase(lemma) else []
    particles = [c.lower_ for c in children if c.dep_ == "prt"]
    for child in children:
        if child.dep_ == "dobj":
            obj = child.lemma_.lower()
            # "entered service", "slid down the slipway"
            for phrase in (f"{lemma} {obj}", *(f"{lemma} {p} {obj}" for p in particles)):
                if lexicon.knows(phrase):
                    return phrase
        if child.dep_ in {"prep", "prt"}:  # a particle with an object: a parse of a prep
            for grand in child.children:
                phrase = f"{lemma} {child.lower_} {grand.lemma_.lower()}"
                if grand.dep_ == "pobj" and lexicon.knows(phrase):
                    return phrase
    # A phrasal verb the lexicon knows is its own event: "passed away" is "pass away" (die).
    for particle in verb.children:
        phrase = f"{lemma} {particle.lower_}"
        if (
            particle.i == verb.i + 1
            and particle.dep_ in {"prt", "advmod"}
            and lexicon.knows(phrase)
        ):
            return phrase
    return lemma


def _governor(token: Token) -> tuple[Token | None, list[Token], bool]:
    """Walk up to the governing verb.

    Returns the verb (None if there is none), the path of tokens from the mention up to the
    child of the verb, and whether the path passes through a noun the mention modifies.
    """
    path = [token]
    through_noun = False
    current = token
    while current.head.i != current.i:
        hop = current.dep_
        head = current.head
        if head.pos_ in _VERB_POS and hop not in {"conj", "compound", "amod"}:
            return head, path, through_noun
        if head.pos_ in _NOUN_POS and hop not in _CO_MENTION_DEPS:
            through_noun = True
        path.append(head)
        current = head
    return (current if current.pos_ in _VERB_POS else None), path, through_noun


def _role(verb: Token, path: Sequence[Token], mention: Mention) -> str:
    top = path[-1]
    dep = top.dep_
    is_date = isinstance(mention.value, DateValue)
    is_place = isinstance(mention.value, EntityRef) and mention.value.kind == EntityKind.PLACE
    if dep == "agent":
        return "agent"
    if dep in {"nsubj", "csubj"}:
        return "subject" if verb.lemma_ == "be" else "agent"
    approximate = isinstance(mention.value, DateValue) and mention.value.approximate
    if approximate and dep in {"oprd", "dobj", "nsubjpass"}:
        return "date"  # "built circa 1835", which the parser may take for a complement
    if dep in {"nsubjpass", "dobj"}:
        return "theme"
    if dep == "attr":
        return "attr"
    if dep in {"npadvmod", "tmod", "advmod"} and is_date:
        return "date"
    if dep == "prep":
        prep = top.lower_
        if is_date:
            if prep in _DATE_AT_PREPS or (approximate and prep in _APPROXIMATE_PREPS):
                return "date"  # "built around 1835": the time of the building, roughly
            return f"date:{prep}"
        if is_place and prep in _PLACE_PREPS:
            return "place"
        return f"prep:{prep}"
    return dep or "other"


def _acts_in_clause(root: Token) -> bool:
    """True for a mention that does the clause's action as well as holding a post: "designed
    by Harold Birkett, chief engineer of the firm" (he is the designer too)."""
    return root.dep_ == "pobj" and root.head.dep_ == "agent"


def _in_agent_phrase(path: Sequence[Token]) -> bool:
    """True when the path from a person's mention up to its verb passes through a "by" agent
    phrase, and not through a phrase of its own inside it ("by X, engineer of the firm Y and
    Z": Z is a partner of the firm), unless the parse merely joined the person to a place
    there ("by X, ambassador to the USSR, and Y": Y signed too)."""
    for token in path:
        if token.dep_ == "agent":
            return True
        if token.dep_ == "prep":
            mention = path[0]
            return mention.dep_ == "conj" and mention.head.ent_type_ in _PLACE_ENTS
    return False


def _make_slot(root: Token, mention: Mention, ctx: SentenceContext) -> Slot | None:
    nominal = _nominal_slot(root, mention, ctx)
    if nominal is not None:
        return nominal
    verb, path, through_noun = _governor(root)
    value = mention.value
    is_person = isinstance(value, EntityRef) and value.kind == EntityKind.PERSON
    role: str | None
    if verb is None:
        return None
    if through_noun and in_a_place_in(path, value):
        role = "place"  # "died at her home in Salthill": she died in Salthill
    elif through_noun:
        # A person anywhere inside a "by ..." agent phrase signed it even when the parse
        # hangs them off an appositive ("by Sir X, ambassador to Y and Z"), but not one
        # inside a phrase of its own there: "by Harold Birkett, chief engineer of the firm
        # Birkett and Lyle" names one designer, not Lyle.
        role = "agent" if is_person and _in_agent_phrase(path) else "mod"
    else:
        role = _role(verb, path, mention)
    measured_owner: Token | None = None
    if isinstance(value, Quantity):
        role = measure_role(path, role)
        measured = measured_noun(verb, role, ctx) or extreme_point(verb, value, role, ctx)
        if measured is not None:
            # "Its greatest depth is 210 feet": the depth of what "its" stands for
            role, measured_owner = f"measure:{measured[0]}", measured[1]
        if role.startswith("measure:"):
            role = f"measure:{ctx.lexicon.dimension(role[8:])}"  # "length" and "long" alike
        if is_partitive(path):
            role = "mod"  # "one of the sixteen townships of X": a count of X's, not a measure
        if is_statistic(role, verb) and is_unowned(verb, ctx):
            # "The median age was 45.7 years": a statistic of something the sentence does
            # not name; two such figures need not be of the same thing.
            role = f"unowned:{role}"
        count = count_slot(root, mention, verb, role, ctx)
        if count is not None:
            return count
    if mention.date_kind == "unparsed":
        role = "unparsed"  # never compared: it says why no value was read
    if mention.date_kind == "relative" and role.startswith("date:"):
        # "one month before <date>": the step is already in the value, which is the date
        role = "date"
    elif mention.date_kind == "anchor" and role == "date":
        # the <date> of "one month before <date>" dates another event than this verb's
        role = "date:anchor"
    if (
        role == "prep:in"
        and isinstance(value, EntityRef)
        and (
            value.kind in (EntityKind.PERSON, EntityKind.OTHER)
            # a one-word "organisation" after "in" is a place read wrong: "born in Whitby"
            or (value.kind is EntityKind.ORGANISATION and " " not in value.name)
        )
        and not through_noun
    ):
        # "born in Whitby" with Whitby read as a person: people are not "in" an event
        role, value = "place", replace(value, kind=EntityKind.PLACE)
    if (
        role == "prep:at"
        and isinstance(value, EntityRef)
        and value.kind in (EntityKind.PERSON, EntityKind.OTHER)
        and ctx.lexicon.canonical_event(verb.lemma_.lower()) in EXTENT_EVENTS
        and not through_noun
    ):
        # "Line 3 ends at Quarry Hill" with Quarry Hill read as a person: a thing begins
        # and ends at places, not at people
        role, value = "place", replace(value, kind=EntityKind.PLACE)
    if role == "language" or (
        isinstance(value, EntityRef) and value.kind == EntityKind.LANGUAGE and role != "mod"
    ):
        role = "language"
    about = _about(verb, ctx)
    if measured_owner is not None:
        about = (
            SUBJECT_KEY
            if ctx.resolver.is_pronoun(measured_owner)
            or ctx.resolver.refers_to_subject(measured_owner)
            else resolve(measured_owner, ctx, ())
        )
    event = ctx.lexicon.canonical_event(_predicate_lemma(verb, ctx.lexicon))
    converse = _CONVERSES.get(event)
    if converse is not None and role in converse[1] and isinstance(value, EntityRef):
        # "the family sold the firm to Veldhuis Capital": Veldhuis Capital bought it
        event, role = converse[0], "agent"
    elif converse is not None and role in {"date", "place"} and _has_converse_party(verb):
        event = converse[0]  # ... and bought it in 2011
    if role == "date" and about == SUBJECT_KEY and first_users(verb, ctx):
        # "It welcomed its first guests on 5 June 1937": the day it opened
        event = OPEN_EVENT
    if role == "date:since" and about == SUBJECT_KEY and served_people_since(verb, ctx):
        # "the line has carried tourists since 1897": in use, so open, since then
        event, role = OPEN_EVENT, "date"
    if role == "date:since" and about == SUBJECT_KEY and ongoing_since(verb):
        # "X has been going since 1971", "has been brewing since 1846": the subject's own
        # activity, ongoing from that date, is the subject's beginning
        event, role = BEGIN_EVENT, "date"
    return Slot(
        role=role,
        value=value,
        event=event,
        surface=mention.surface,
        span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
        about=about,
        negated=is_negated(verb) or negated_mention(root),
    )


# Events read from the other side: whom something is sold to is who buys it.
_CONVERSES = {"sell": ("buy", frozenset({"prep:to", "dative"}))}


def _has_converse_party(verb: Token) -> bool:
    """True when a verb names the other side of its event ("sold the firm to X", "sold X
    the firm"), whose event the whole clause then tells."""
    return any(
        c.dep_ == "dative" or (c.dep_ == "prep" and c.lower_ == "to" and any(c.children))
        for c in verb.children
    )


# Prepositions whose phrase says which occurrence of an event is meant ("opened to members" /
# "to the public", "came down the slipway" / "came to us"), unlike those that give its time,
# its agent or what it is of.
_NOT_QUALIFYING = frozenset(
    {"by", "of", "after", "before", "since", "until", "till", "during", "following", "in", "on",
     "at", "from", "for", "as", "with", "than", "about", "around", "between", "within"}
)  # fmt: skip


_OBJECT_MODIFIERS = frozenset({"compound", "amod", "nmod"})


def _begun_slot(verb: Token, value: Slot, ctx: SentenceContext) -> Slot:
    """What begins or ends (role ``qual:obj``): the verb's object with its modifiers ("jet
    service"), the noun a relative clause hangs on ("the carrier that Brandt started"), or
    "" when the verb has none ("the war began", "Commenced: 1981")."""
    target = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    if target is None and verb.dep_ == "relcl":
        target = verb.head
    words = (
        [t for t in target.lefts if t.dep_ in _OBJECT_MODIFIERS] + [target]
        if target is not None
        else []
    )
    anchor = target if target is not None else verb
    start = ctx.offset + anchor.idx
    return Slot(
        role="qual:obj",
        value=TextValue(text=" ".join(t.lemma_.lower() for t in words)),
        event=value.event,
        surface=anchor.text,
        span=Span(doc_id=ctx.doc_id, start=start, end=start + len(anchor.text)),
        about=value.about,
    )


def _qualifier_slots(
    verb: Token, value: Slot, mentions: Sequence[Mention], ctx: SentenceContext
) -> list[Slot]:
    """What qualifies the event a value belongs to: "to members", "to the public", "down the
    slipway". Role ``qual:<preposition>``, never compared as values; slot comparison reads
    them to tell two occurrences of an event apart."""
    taken = [(m.start, m.end) for m in mentions]
    out = []
    if value.event in ASPECTUAL_EVENTS:
        out.append(_begun_slot(verb, value, ctx))
    for child in verb.children:
        if child.dep_ not in {"prep", "prt"} or child.lower_ in _NOT_QUALIFYING:
            continue
        objects = [g for g in child.children if g.dep_ == "pobj"]
        target = objects[0] if objects else child
        start = ctx.offset + target.idx
        if any(a <= start < b for a, b in taken):
            continue  # a typed value ("to Ardrossan"), compared as one
        out.append(
            Slot(
                role=f"qual:{child.lower_}",
                value=TextValue(text=target.lemma_.lower() if objects else child.lower_),
                event=value.event,
                surface=target.text,
                span=Span(doc_id=ctx.doc_id, start=start, end=start + len(target.text)),
                about=value.about,
            )
        )
    return out


def _nominal_slot(root: Token, mention: Mention, ctx: SentenceContext) -> Slot | None:
    """The date or place of an event named by a noun: "the signing of the treaty on 12 July
    1941", "the invasion of Poland on 1 September". The event is the noun's, what it is
    about its "of" object; None when the mention does not hang off such a noun."""
    value = mention.value
    is_date = isinstance(value, DateValue)
    is_place = isinstance(value, EntityRef) and value.kind == EntityKind.PLACE
    prep = root.head
    if not (is_date or is_place) or root.dep_ != "pobj" or prep.dep_ != "prep":
        return None
    noun = prep.head
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or lemma not in ctx.lexicon.event_of_word or lemma in _VERBAL_ONLY:
        return None
    if is_date and prep.lower_ in _DATE_AT_PREPS:
        role = "date"
    elif is_place and prep.lower_ in _PLACE_PREPS:
        role = "place"
    else:
        return None
    objects = [
        grand
        for child in noun.children
        if child.dep_ == "prep" and child.lower_ == "of"
        for grand in child.children
        if grand.dep_ == "pobj"
    ]
    about = resolve(objects[0], ctx, ()) if objects else None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if (
        about is None
        and owners
        and (ctx.resolver.is_pronoun(owners[0]) or ctx.resolver.refers_to_subject(owners[0]))
    ):
        about = SUBJECT_KEY  # "since its completion in 2011"
    if about is None:
        return None  # "the signing on 12 July": of what is unknown, so it compares with nothing
    governor, _, _ = _governor(noun)
    return Slot(
        role=role,
        value=value,
        event=ctx.lexicon.canonical_event(lemma),
        surface=mention.surface,
        span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
        about=about,
        negated=governor is not None and is_negated(governor),
    )


def _core_subject(verb: Token) -> Token | None:
    for dep in ("nsubjpass", "nsubj"):
        for child in verb.children:
            if child.dep_ == dep:
                return child
    if verb.dep_ == "conj" and verb.head.pos_ in _VERB_POS:
        return _core_subject(verb.head)
    return None


def _about(verb: Token, ctx: SentenceContext) -> str | None:
    """What the event of ``verb`` is about: the subject of the document when any core
    argument refers to it, else its theme (passive subject, object) or subject."""
    candidates: list[Token] = []
    agent_antecedent: Token | None = None
    if verb.dep_ in {"acl", "relcl"}:
        noun = verb.head
        if (
            verb.dep_ == "acl"
            and noun.dep_ == "pobj"
            and noun.head.lower_ == "of"
            and noun.head.head.pos_ == "NOUN"
            and any(t.text == "," for t in noun.doc[noun.i + 1 : verb.i])
        ):
            # "A scale model of Halcyon, built by X": a participle set off by a comma tells
            # of the whole phrase, the model, not of the ship the parser hung it on
            noun = noun.head.head
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            candidates.extend(c for c in noun.head.children if c.dep_ == "nsubj")
        relative_subject = any(
            c.dep_ == "nsubj" and c.lower_ in {"who", "that", "which"} for c in verb.children
        )
        if relative_subject and any(c.dep_ == "dobj" for c in verb.children):
            # "Olav Brekke, who founded the company in 1962": about the company, as
            # "Olav Brekke founded the company" is
            agent_antecedent = noun
        else:
            candidates.append(noun)
    # "Croydon Park had a population of 11,012": a measure its subject has is about the
    # subject, not about the measured noun.
    order = _POSSESSOR_FIRST if verb.lemma_.lower() in POSSESSION_VERBS else _THEME_FIRST
    for dep in order:
        candidates.extend(c for c in verb.children if c.dep_ == dep)
    if agent_antecedent is not None:
        candidates.append(agent_antecedent)
    if not candidates and verb.dep_ in {"conj", "xcomp"} and verb.head.pos_ in _VERB_POS:
        return _about(verb.head, ctx)
    if not candidates and verb.dep_ == "dep" and verb.head.pos_ in _VERB_POS:
        # a verb the parser could not attach, after a long subject ("The poet X, whose poems
        # made her ..., passed away on ..."), is most often the main verb of that subject
        candidates.extend(c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"})
    if not candidates and verb.tag_ == "VBN" and verb.dep_ in {"advcl", "ROOT"}:
        # "Opened in 1898, the railway is ...", "Born in Lewes on 5 June 1874, she ...": a
        # participle with no subject of its own tells of the main clause's subject; alone
        # ("Born in Lewes on 5 June 1874, the daughter of a brewer."), of the document's
        if verb.dep_ == "ROOT":
            return SUBJECT_KEY
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        candidates.extend(subjects)
    for token in candidates:
        if ctx.resolver.refers_to_subject(token):
            return SUBJECT_KEY
    if not candidates or candidates[0].pos_ == "PRON":
        return None  # "it", "she" that is not the subject: unknown, so compared with nothing
    return resolve(candidates[0], ctx, ())


def _type_phrase(noun: Token) -> str:
    words = [
        c.lower_
        for c in noun.children
        if c.dep_ in {"amod", "compound"} and c.i < noun.i and c.lower_ not in _EVALUATIVE
    ]
    return " ".join([*words, noun.lemma_.lower()])


def _type_slots(tokens: Sequence[Token], ctx: SentenceContext) -> list[Slot]:
    """What the text calls the subject: "X was a military alliance", "the military alliance"."""
    slots = []
    for token in tokens:
        noun: Token | None = None
        if token.dep_ == "attr" and token.head.lemma_ == "be" and token.pos_ == "NOUN":
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
            if subjects and ctx.resolver.refers_to_subject(subjects[0]):
                noun = token
            elif subjects and subjects[0].pos_ == "PROPN":
                slots.append(_kind_slot(token, subjects[0], ctx))
                continue
        elif (
            token.pos_ == "NOUN"
            and token.dep_ in SUBJECT_DEPS
            and ctx.resolver.refers_to_subject(token)
            and any(c.dep_ in {"amod", "compound"} for c in token.children)
        ):
            noun = token
        if noun is None:
            continue
        if ctx.resolver.is_name(_type_phrase(noun)):
            continue  # "The Han dynasty was ...": the subject's own name says nothing of it
        left = min([noun.i, *(c.i for c in noun.children if c.dep_ in {"amod", "compound"})])
        start = ctx.offset + noun.doc[left].idx
        end = ctx.offset + noun.idx + len(noun.text)
        slots.append(
            Slot(
                role="type",
                value=TextValue(text=_type_phrase(noun)),
                event="be",
                surface=ctx.text[start - ctx.offset : end - ctx.offset],
                span=Span(doc_id=ctx.doc_id, start=start, end=end),
                about=SUBJECT_KEY,
            )
        )
    return slots


def _kind_slot(noun: Token, subject: Token, ctx: SentenceContext) -> Slot:
    """What a named thing other than the subject is said to be ("Monkey Grip is a 1977
    novel"): role ``kind``, never compared, read by the verifier to tell two things of one
    name apart."""
    start = ctx.offset + noun.idx
    return Slot(
        role="kind",
        value=TextValue(text=_type_phrase(noun)),
        event="be",
        surface=noun.text,
        span=Span(doc_id=ctx.doc_id, start=start, end=start + len(noun.text)),
        about=resolve(subject, ctx, ()),
    )


# Verbs too general for saying they happened or not to be one fact ("was not large").
_LIGHT_VERBS = frozenset(
    {"be", "have", "do", "become", "say", "get", "make", "go", "come", "take", "give",
     "seem", "remain", "include", "know", "think", "want", "need", "use", "see", "find"}
)  # fmt: skip
# Words that turn a negated clause into a statement of when or how much, not a denial:
# "did not open until 1901" (it opened in 1901), "no longer", "not only".
_NOT_A_DENIAL = frozenset({"until", "till", "longer", "only", "just", "yet", "again", "before"})


def _polarity_slot(verb: Token, ctx: SentenceContext) -> Slot | None:
    """Whether the clause says its event happened (``yes``) or denies it (``no``): role
    ``polarity``, for a verb with something it is about ("the council approved the plan" /
    "the plan was never approved"). None for general verbs, hedges and the negations that
    only date or limit an event ("did not open until 1901")."""
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or lemma in _LIGHT_VERBS:
        return None
    if any(c.tag_ == "MD" for c in verb.children):
        return None  # "could not", "may have"
    negated = is_negated(verb)
    if negated and any(c.lower_ in _NOT_A_DENIAL for c in verb.subtree):
        return None
    about = _about(verb, ctx)
    if about is None:
        return None
    start = ctx.offset + verb.idx
    return Slot(
        role="polarity",
        value=TextValue(text="no" if negated else "yes"),
        event=ctx.lexicon.canonical_event(_predicate_lemma(verb, ctx.lexicon)),
        surface=verb.text,
        span=Span(doc_id=ctx.doc_id, start=start, end=start + len(verb.text)),
        about=about,
    )


def _terms(tokens: Sequence[Token], mentions: Sequence[Mention], ctx: SentenceContext) -> list[str]:
    """Comparable terms: canonical entities, canonical events, stemmed content words."""
    terms: list[str] = []
    covered: set[int] = set()
    for mention in mentions:
        inside = any(mention.start <= ctx.offset + t.idx < mention.end for t in tokens)
        if isinstance(mention.value, EntityRef) and inside:
            terms.append(mention.value.name.lower().replace(" ", "_"))
            covered.update(range(mention.start, mention.end))
    subject_tokens: set[int] = set()
    for token in tokens:
        if token.pos_ in _NOUN_POS and ctx.resolver.refers_to_subject(token):
            subject_tokens.update(t.i for t in token.subtree if t.i <= token.i)
    for token in tokens:
        if ctx.offset + token.idx in covered or token.i in subject_tokens:
            continue
        if token.pos_ not in {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}:
            continue
        if token.pos_ == "VERB":
            terms.append(ctx.lexicon.canonical_event(token.lemma_).replace(" ", "_"))
            continue
        term = to_term(token.lemma_)
        if term:
            terms.append(term)
    return terms
