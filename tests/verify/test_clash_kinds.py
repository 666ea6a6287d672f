"""Slot comparison on two short texts read by the real extractor: each kind of clash it
finds (a role's one holder, nationality, rank, one agent, a denial, unknown places, counts,
a value changed in an otherwise equal clause) and the look-alikes that are none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import accord
from accord.lexicon import load_lexicon
from accord.model import Label
from accord.verify.masked import masked_clashes

MUSEUM = "Harwick Museum"
LAKE = "Orvsjön"


def _clashes(verdicts: list[Any]) -> list[Any]:
    """Contradictions and possible conflicts (clashes under the contradiction threshold)."""
    return [v for v in verdicts if v.label is Label.CONTRADICTS or v.possible_conflict]


@pytest.mark.parametrize(
    ("title", "left", "right", "method"),
    [
        (MUSEUM, "Its first director was Anna Berg.", "Its first director was John Hale.",
         "slots:holder"),
        (MUSEUM, "Anna Berg, the museum's first director, retired in 1950.",
         "The museum's first director was John Hale.", "slots:holder"),
        ("Sigrid Aamodt", "The Danish composer Sigrid Aamodt was born in 1901.",
         "Sigrid Aamodt, the Norwegian composer, wrote three operas.", "slots:nationality"),
        (LAKE, "Orvsjön is the largest lake in Sweden.",
         "Orvsjön is the country's second-largest lake.", "slots:rank"),
        ("Casa das Mares (novel)", "The novel was published by Editora Ribeira.",
         "Livros Horizonte published the novel.", "slots:agent"),
        ("Convention on North Sea Herring", "The Netherlands ratified the convention in 1965.",
         "The Netherlands never ratified the convention.", "slots:negation"),
        ("Anna Berg", "Anna Berg was born in Harrogate.", "Anna Berg was born in Scarborough.",
         "slots:place-unknown"),
        ("Florence Ashdown", "Florence Ashdown was born in Salthill, Galway.",
         "Florence Ashdown was born in Knocknacarra.", "slots:place-unknown"),
        pytest.param(
            "Florence Ashdown", "Florence Ashdown was a painter. She was born in Whitby.",
            "Florence Ashdown was a painter. She was born in Scarborough.",
            "slots:place-unknown"
        ),
        ("Blue Mesa Motor Court", "Its 24 cabins face the road.",
         "Its 31 cabins face the road.", "slots:count"),
        ("Neustrand Concert Hall", "The hall has 1,850 seats.", "The hall has 2,100 seats.",
         "slots:count"),
        ("Treaty of Hollin", "They were formed on July 26, 1918, from volunteers.",
         "They were formed on January 1, 1920, from volunteers.", "slots:masked-date"),
        ("Treaty of Hollin", "She was launched on 3 May 1911 at the Caledon yard.",
         "She was launched on 9 June 1912 at the Caledon yard.", "slots:masked-date"),
        # names that share only a modifier are two places
        ("The Salt Bride", "The opera premiered at the Royal Danish Theatre in 1911.",
         "The opera was first performed at the Royal Swedish Opera in 1911.",
         "slots:place-unknown"),
        # a person the tagger takes for an organisation is still "she", and "her death" hers
        ("Aoife Tarrant", "Aoife Tarrant was an Irish poet. Her death, on 12 February 2017, "
         "was marked by tributes.", "Aoife Tarrant was an Irish poet. She died on 14 February "
         "2017.", "slots:date"),
        # a verb the parser leaves unattached after a long subject is that subject's
        ("Aoife Tarrant", "The poet Aoife Tarrant, whose spare and luminous poems about the coast "
         "of Connacht made her one of the most admired Irish writers of her generation, passed "
         "away on 14 February 2017.",
         "Aoife Tarrant died on 12 February 2017.", "slots:date"),
        # one founding, dated alike, two founders; another event's date ("until 1988") does
        # not make them two foundings
        ("Halvorsen Optics", "Halvorsen Optics was founded in 1962 by Ingrid Halvorsen, who "
         "owned it outright until 1988.", "Olav Brekke, who founded Halvorsen Optics in 1962, "
         "started with two machines.", "slots:agent"),
        # a sale is read from both sides; one year, two buyers: one sale in conflict
        ("Alsing", "Alsing was acquired by Samhwa Musical Instruments in 2011.",
         "Alsing is a piano maker. In 2011 the founding family sold the firm to Veldhuis "
         "Capital.", "slots:agent"),
        # a length at a thing's deepest point is its depth (81 m, 210 ft = 64 m)
        ("Lake Tarrow", "Lake Tarrow is a lake. It plunges to 81 metres at its deepest point.",
         "Lake Tarrow is a lake. Its greatest depth is 210 feet.", "slots:quantity"),
        # how many people a place holds now is its capacity
        ("Marrowby Park", "Marrowby Park holds 6,800 spectators.",
         "Marrowby Park has a capacity of 8,200.", "slots:quantity"),
        # a phrase the lexicon knows, however the parser attaches its words
        ("RV Halcyon", "RV Halcyon is a research ship. The ship was launched on 14 May 1971.",
         "RV Halcyon is a research ship. Built on the Clyde by Caird and Lomond, the ship slid "
         "down the slipway at Port Glasgow in October 1971 and entered service the following "
         "spring.", "slots:date"),
        # a bridge that carried its first vehicles had opened; "its" is the clause's subject's
        ("Kestrel Ferry Bridge", "She said the Kestrel Ferry Bridge carried its first "
         "vehicles on 14 October 1971.", "The bridge opened to traffic on 3 September 1971.",
         "slots:date"),
        # a starting point is where a thing begins
        ("Wealdmoor Way", "The Wealdmoor Way is a footpath. The trail's starting point is "
         "Carrow Bridge, a hamlet on the moor.", "The Wealdmoor Way begins at the market "
         "cross in Hollinsford, a small wool town.", "slots:place-unknown"),
        # in use since a year: open since then
        ("Grauhorn Railway", "The Grauhorn Railway opened in 1898.",
         "The line has carried tourists since 1897.", "slots:date"),
        # its first guests came the day it opened
        ("Blue Mesa Motor Court", "Blue Mesa Motor Court welcomed its first guests on 5 June "
         "1937.", "Blue Mesa Motor Court opened in May 1937.", "slots:date"),
        # an activity ongoing since a year dates the subject's beginning
        ("Kettlewick Folk Festival", "Kettlewick Folk Festival has been going since 1971.",
         "Kettlewick Folk Festival began in 1974.", "slots:date"),
        ("Kettlewick Folk Festival", "The festival has been around since 1971.",
         "Kettlewick Folk Festival began in 1974.", "slots:date"),
    ],
)  # fmt: skip
def test_clash_kinds_found(
    slot_verdicts: Any, title: str, left: str, right: str, method: str
) -> None:
    verdicts = slot_verdicts(left, right, title)
    found = _clashes(verdicts)
    assert [v.method for v in found] == [method], [v.reason for v in verdicts]
    (clash,) = found
    assert clash.reason and 0 < clash.confidence <= 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("The division was formed on July 26, 1918, from volunteers.",
         "The division was formed on January 1, 1920, from volunteers."),
    ],
)  # fmt: skip
def test_clash_kinds_formation_dates_contradict(slot_verdicts: Any, left: str, right: str) -> None:
    verdicts = slot_verdicts(left, right)
    assert [v.label for v in verdicts] == [Label.CONTRADICTS]
    assert verdicts[0].method in {"slots:date", "slots:masked-date"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("The division was formed on July 26, 1918, from volunteers.",
         "The division was formed on January 1, 1920, from volunteers."),
    ],
)  # fmt: skip
def test_clash_kinds_masked_clause_finds_the_changed_date(
    extract: Any, left: str, right: str
) -> None:
    (a,) = extract(left, "left.txt")[1]
    (b,) = extract(right, "right.txt")[1]
    (clash, *_) = masked_clashes(a, b, load_lexicon().kind_of)
    assert clash.kind == "date"
    assert (clash.left.surface, clash.right.surface) == ("July 26, 1918", "January 1, 1920")
    assert clash.similarity == 1.0


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        # the same measure with another value: one statement changed
        ("The average household size was 2.41.", "The average household size was 2.96.", True),
        # another measure in the same words: two statements
        ("The average household size was 2.41.", "The average family size was 2.96.", False),
        # a function word changed ("on" / "in") is the same statement
        ("The division was formed on July 26, 1918, from volunteers.",
         "The division was formed in January 1920, from volunteers.", True),
    ],
)  # fmt: skip
def test_clash_kinds_masked_clause_needs_the_same_content_words(
    extract: Any, left: str, right: str, clash: bool
) -> None:
    # copies: the documents copy each other elsewhere, so a value in any role is compared
    (a,) = extract(left, "left.txt")[1]
    (b,) = extract(right, "right.txt")[1]
    found = list(masked_clashes(a, b, load_lexicon().kind_of, copies=True))
    assert bool(found) is clash, found


@pytest.mark.parametrize(
    ("title", "left", "right"),
    [
        # a partial list agrees with the whole
        ("Treaty of Hollin", "The treaty was signed by Valdoria and Ostrheim.",
         "The treaty was signed by Valdoria."),
        ("Treaty of Hollin", "It was signed by Anna Berg and John Hale.",
         "It was signed by Anna Berg."),
        # a later or another director is no first director
        (MUSEUM, "Its first director was Anna Berg.",
         "John Hale, a later director, retired in 1990."),
        (MUSEUM, "Its first director was Anna Berg.", "Its third director was John Hale."),
        # one of the largest is no rank
        (LAKE, "Orvsjön is the largest lake in Sweden.",
         "Orvsjön is one of the largest lakes in Sweden."),
        # a known city and a place the gazetteer does not know may be one in the other
        ("Anna Berg", "Anna Berg was born in London.", "Anna Berg was born in Knocknacarra."),
        # one name holds the other: maybe one place in the other
        ("Isle of Carra", "The ferry was built at Port Glasgow.",
         "The ferry was built at Glasgow."),
        # what a thing has done somewhere, or had done to it, since a year is no beginning
        ("Marrowby Athletic", "Marrowby Athletic has been playing at Ferncliffe Road since "
         "1954.", "Marrowby Athletic began in 1888."),
        ("Alsing", "Alsing has been owned by Samhwa since 2011.", "Alsing began in 1911."),
        # the deepest point of something else is not the subject's
        ("Lake Tarrow", "Lake Tarrow is a lake. The river plunges to 81 metres at the "
         "gorge's deepest point.", "Lake Tarrow is a lake. Its greatest depth is 210 feet."),
        # one day's crowd is no capacity
        ("Marrowby Park", "In 1990 Marrowby Park held 9,000 spectators for the final.",
         "Marrowby Park has a capacity of 8,200."),
        # how many it has carried since a year dates no opening
        ("Grauhorn Railway", "The Grauhorn Railway opened in 1898.",
         "The line has carried two million tourists since 1990."),
        # a first of anything else is no opening
        ("Blue Mesa Motor Court", "Blue Mesa Motor Court won its first award on 5 June 1937.",
         "Blue Mesa Motor Court opened in May 1937."),
        # two buyers in different years: two sales
        ("Alsing", "Alsing was acquired by Samhwa Musical Instruments in 2011.",
         "Alsing is a piano maker. In 1990 the founding family sold the firm to Veldhuis "
         "Capital."),
        # the model was built by him, not the ship the parser hangs "built" on
        ("RV Halcyon", "RV Halcyon was a research ship. She was built by Caird Shipbuilders.",
         "A scale model of Halcyon, built by Willie Strachan, is on display."),
        # a document writes Salthill in Galway
        ("Florence Ashdown", "Florence Ashdown was born in Salthill, Galway.",
         "Florence Ashdown was born in Galway."),
        # opening to members and to the public are two openings
        ("Saltwick Cliff Railway", "The railway opened to members on 2 June 1898.",
         "The railway opened to the public on 9 June 1898."),
        # a denial with a date denies only that date
        ("Treaty of Hollin", "The treaty was not signed in 1939.",
         "The treaty was signed in 1941."),
        # "not until" dates the opening
        ("Saltwick Cliff Railway", "The railway did not open until 1901.",
         "The railway opened in 1901."),
        # two builders, two dates: two buildings
        ("Saltwick Cliff Railway", "The railway was built by Denny Brothers in 1890.",
         "The railway was built by Fairfield Shipbuilding in 1891."),
        # works of one name and different years may be two works
        ("The Salt Bride", "Monkey Grip is a 1940 comedy.", "Monkey Grip is a 1930 comedy."),
    ],
)  # fmt: skip
def test_clash_kinds_traps_do_not_contradict(
    slot_verdicts: Any, title: str, left: str, right: str
) -> None:
    verdicts = slot_verdicts(left, right, title)
    assert verdicts
    assert _clashes(verdicts) == [], [v.reason for v in verdicts]


@pytest.mark.parametrize(
    ("title", "left", "right", "method"),
    [
        ("Saltwick Cliff Railway", "The railway opened to members on 2 June 1898.",
         "The railway opened to the public on 9 June 1898.", "slots:date"),
        ("The Salt Bride", "Monkey Grip is a 1940 comedy.", "Monkey Grip is a 1930 comedy.",
         "slots:date"),
    ],
)  # fmt: skip
def test_clash_kinds_traps_say_why_they_are_undecided(
    slot_verdicts: Any, title: str, left: str, right: str, method: str
) -> None:
    (verdict,) = slot_verdicts(left, right, title)
    assert (verdict.label, verdict.method) == (Label.NOT_MENTIONED, method)
    assert " vs " in verdict.reason or "differently" in verdict.reason


@pytest.mark.parametrize(
    ("vessel", "schooner"),
    [
        (("RV Halcyon (1971)\n\nRV Halcyon was a research ship. She was launched on 14 May "
          "1971 at Port Glasgow.\n"),
         ("Halcyon\n\nHalcyon was a fishery research schooner. She was launched on 2 February "
          "1924 at Peterhead.\n")),
    ],
)  # fmt: skip
def test_clash_kinds_title_year_marks_a_namesake(
    tmp_path: Path, vessel: str, schooner: str
) -> None:
    (tmp_path / "vessel.txt").write_text(vessel, encoding="utf-8")
    (tmp_path / "schooner.txt").write_text(schooner, encoding="utf-8")
    report = accord.check([tmp_path / "vessel.txt", tmp_path / "schooner.txt"])
    launches = [v for v in report.verdicts if "launched" in v.pair.left.text + v.pair.right.text]
    (verdict,) = launches
    assert verdict.method == "slots:date"  # the dates were compared ...
    assert verdict.label is not Label.CONTRADICTS and not verdict.possible_conflict  # ... apart
    assert "1971" in verdict.reason


HARLOW_REST = (
    " The house is a two-story frame dwelling with a one-story wing and a rear shed addition."
    " It was listed on the National Register of Historic Places in 1982."
)


def test_clash_kinds_a_near_copy_dated_a_generation_apart_is_one_thing(
    slot_verdicts: Any,
) -> None:
    # the second text is the first with its year changed: one house, two building dates
    left = "The Harlow House was built in 1835 for the merchant Silas Harlow." + HARLOW_REST
    right = "The Harlow House was built in 1935 for the merchant Silas Harlow." + HARLOW_REST
    clashes = _clashes(slot_verdicts(left, right, "Harlow House"))
    assert [v.method for v in clashes] == ["slots:date"], [v.reason for v in clashes]


def test_clash_kinds_texts_of_their_own_dated_a_generation_apart_are_namesakes(
    slot_verdicts: Any,
) -> None:
    left = "The Harlow House was built in 1835 for the merchant Silas Harlow."
    right = "The Harlow House, a summer cottage on the lake shore, was built in 1935."
    verdicts = slot_verdicts(left, right, "Harlow House")
    assert _clashes(verdicts) == []
    assert any("generation apart" in v.reason for v in verdicts), [v.reason for v in verdicts]


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("The mill was built about 1835 for the tanner Aldous Pike.",
         "The mill was built about 1853 for the tanner Aldous Pike.", Label.CONTRADICTS),
        ("The mill was built around 1835.", "The mill was built in 1850.", Label.CONTRADICTS),
        ("The mill was built circa 1835.", "The mill was built in 1850.", Label.CONTRADICTS),
        # an approximate year agrees with a year within its margin
        ("The mill was built about 1835 for the tanner Aldous Pike.",
         "The mill was built in 1836.", Label.SUPPORTS),
    ],
)  # fmt: skip
def test_clash_kinds_approximate_years_date_the_event(
    slot_verdicts: Any, left: str, right: str, label: Label
) -> None:
    verdicts = slot_verdicts(left, right, "Pike Mill")
    dated = [v for v in verdicts if v.method == "slots:date"]
    assert [v.label for v in dated] == [label], [v.reason for v in verdicts]


WENLOCK_FOOTBALLER = (
    "Harold Wenlock (born 12 March 1948) is an English former footballer who played as a "
    "winger for Burnley and Stockport County. After retiring he ran a newsagent's in Padiham."
)
WENLOCK_POLITICIAN = (
    "Harold Wenlock (born 4 June 1975) is a British Labour Party politician who has been the "
    "Member of Parliament for Ashdown Vale since 2017. Before entering Parliament he worked as "
    "a solicitor in Leeds."
)


@pytest.mark.parametrize("title", ["", "Harold Wenlock"])
def test_clash_kinds_people_of_one_name_born_a_generation_apart_are_namesakes(
    slot_verdicts: Any, title: str
) -> None:
    # two texts of their own, with or without a title naming the person: neither the births
    # nor the nationalities ("English" / "British") are a contradiction
    verdicts = slot_verdicts(WENLOCK_FOOTBALLER, WENLOCK_POLITICIAN, title)
    assert _clashes(verdicts) == [], [v.reason for v in _clashes(verdicts)]
    assert any("generation apart" in v.reason for v in verdicts), [v.reason for v in verdicts]


@pytest.mark.parametrize(
    ("right", "method"),
    [
        # the same text with the year's digits swapped: an edit, not another person
        (WENLOCK_FOOTBALLER.replace("1948", "1984"), "slots:date"),
        # a bare claim of a birth a generation off, saying nothing of another person
        ("Harold Wenlock was born in 1997.", "slots:date"),
        # a text of its own, born a few years apart: one person, dated two ways
        ("Harold Wenlock (born 2 May 1951) was an English footballer who played as a winger "
         "for Burnley.", "slots:date"),
    ],
)  # fmt: skip
def test_clash_kinds_births_close_bare_or_in_a_copy_still_contradict(
    slot_verdicts: Any, right: str, method: str
) -> None:
    clashes = _clashes(slot_verdicts(WENLOCK_FOOTBALLER, right, ""))
    assert [v.method for v in clashes] == [method], [v.reason for v in clashes]
