"""Quantity parsing: accord's own (``accord.normalize.quantities.find_quantities``) against
quantulum3 and pint's parser, on a set of realistic phrases written for this comparison.

Each phrase lists the quantities a careful reader finds in it (amount and unit; a count of
things has no unit), and none for years, dates and names that hold a number ("Boeing 747").
A range counts as its two ends. A found quantity is right when its amount is the expected
one (amount scores) and, for the second score, its unit too; each expected quantity is
matched once. Precision, recall and F1 are over all phrases; speed is phrases per second
(median of ``--repeat`` passes). quantulum3 runs without its optional classifier (its
shipped model does not load with scikit-learn >= 1.3, and retraining needs ``stemming``).
pint has no finder of quantities in prose: ``parse_expression`` is tried on each phrase, and
on each expected quantity written alone ("3.2 km").

Needs ``pip install quantulum3`` (pint is a dependency of accord); a missing one is skipped.

    python benchmarks/quantity_parsers.py [--repeat 5] [--errors]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import line, timed

ROOT = Path(__file__).resolve().parents[1]

Found = list[tuple[float, str | None]]

# (phrase, expected quantities as (amount, unit code or None for a count))
PHRASES: list[tuple[str, Found]] = [
    # a number and a unit
    ("The bridge is 3.2 km long.", [(3.2, "km")]),
    ("The tower stands 324 metres tall.", [(324, "m")]),
    ("The ship displaced 12,500 tonnes.", [(12500, "t")]),
    ("The river is 1,250 kilometres long.", [(1250, "km")]),
    ("The road runs for 45 miles along the coast.", [(45, "mi")]),
    ("The statue weighs 80 kg.", [(80, "kg")]),
    ("The summit is 8,848 m above sea level.", [(8848, "m")]),
    ("The wall is 6 feet thick.", [(6, "ft")]),
    ("The tank holds 500 litres of water.", [(500, "l")]),
    ("The estate covers 1,200 hectares.", [(1200, "ha")]),
    ("The train reached 320 km/h on the test run.", [(320, "km/h")]),
    ("Unemployment fell to 4.5% last spring.", [(4.5, "%")]),
    ("Turnout was 62 percent.", [(62, "%")]),
    ("The lake is 3.5 metres deep at its centre.", [(3.5, "m")]),
    # money
    ("The bridge cost $5 million to build.", [(5e6, "USD")]),
    ("The company was sold for £2.3 billion.", [(2.3e9, "GBP")]),
    ("The grant was worth €450,000.", [(450000, "EUR")]),
    ("Tickets cost $12.50 each.", [(12.5, "USD")]),
    ("The museum raised 3 million dollars.", [(3e6, "USD")]),
    ("The deal was valued at $1.2bn.", [(1.2e9, "USD")]),
    # scaled numbers and thousands separators
    ("The city has 3.2 million inhabitants.", [(3.2e6, None)]),
    ("About 1.5 billion people speak the language.", [(1.5e9, None)]),
    ("The festival drew 250,000 visitors.", [(250000, None)]),
    ("The library holds 1,250 manuscripts.", [(1250, None)]),
    ("The census counted 12 thousand households.", [(12000, None)]),
    ("The army numbered 40,000 men.", [(40000, None)]),
    # spelled-out numbers
    ("The house has twelve rooms.", [(12, None)]),
    ("About two thousand men crossed the river.", [(2000, None)]),
    ("The treaty has twenty-one articles.", [(21, None)]),
    ("Three hundred workers went on strike.", [(300, None)]),
    ("The orchestra has forty-five musicians.", [(45, None)]),
    ("The village had seven hundred and fifty residents.", [(750, None)]),
    ("Two dozen ships sailed for the coast.", [(24, None)]),
    ("The estate was split between four heirs.", [(4, None)]),
    ("She wrote nine novels and two plays.", [(9, None), (2, None)]),
    ("Half a million copies were sold.", [(500000, None)]),
    # ranges
    ("The walls are between 10 and 20 metres high.", [(10, "m"), (20, "m")]),
    ("The journey took 3 to 4 days.", [(3, "day"), (4, "day")]),
    ("Between 200 and 300 soldiers were killed.", [(200, None), (300, None)]),
    ("Prices rose by 5–10%.", [(5, "%"), (10, "%")]),
    # durations
    ("The siege lasted 18 months.", [(18, "month")]),
    ("The war lasted six years.", [(6, "year")]),
    ("The flight took 11 hours.", [(11, "hour")]),
    # years and dates: no quantity
    ("The treaty was signed in 1820.", []),
    ("The cathedral was completed in 1891 after a fire.", []),
    ("The agreement was signed on 12 July 1941.", []),
    ("In 1990 the town had 4,000 inhabitants.", [(4000, None)]),
    ("The museum opened in March 2004.", []),
    ("The 1960s saw rapid growth in the region.", []),
    ("From 1939 to 1945 the factory made shells.", []),
    # names and numbers that are no quantity
    ("A Boeing 747 landed at the airport.", []),
    ("The airline flies the Airbus A320 on that route.", []),
    ("Highway 61 runs through the town.", []),
    ("He lived at 221 Baker Street.", []),
    ("The Apollo 11 crew returned safely.", []),
    ("The Formula 1 season opened in Bahrain.", []),
    ("Section 3 of the act was repealed.", []),
    ("The Windows 95 release was delayed.", []),
    ("Louis XIV was succeeded by Louis XV.", []),
    # approximate and bounded
    ("Over 5,000 people attended the rally.", [(5000, None)]),
    ("Nearly 300 km of track was laid.", [(300, "km")]),
    ("The fire destroyed up to 40% of the forest.", [(40, "%")]),
    ("More than 2 million tonnes of grain were exported.", [(2e6, "t")]),
    ("The population was roughly 18,000.", [(18000, None)]),
    # several in one phrase
    ("The 2.5 km tunnel cost £40 million.", [(2.5, "km"), (40e6, "GBP")]),
    ("The 3-metre statue was cast in 1902.", [(3, "m")]),
    ("A 12-year-old boy found the coin.", [(12, "year")]),
    ("The team scored 3 goals in 90 minutes.", [(3, None), (90, "minute")]),
]
UNITS = {unit for _, found in PHRASES for _, unit in found if unit is not None}
# quantulum3's unit names, as the codes above
QUANTULUM_UNITS = {
    "kilometre": "km", "metre": "m", "tonne": "t", "mile": "mi", "kilogram": "kg",
    "foot": "ft", "litre": "l", "hectare": "ha", "kilometre per hour": "km/h",
    "percentage": "%", "dollar": "USD", "pound sterling": "GBP", "euro": "EUR",
    "day": "day", "month": "month", "year": "year", "hour": "hour", "minute": "minute",
}  # fmt: skip
PINT_UNITS = {
    "kilometer": "km", "meter": "m", "metric_ton": "t", "mile": "mi", "kilogram": "kg",
    "foot": "ft", "liter": "l", "hectare": "ha", "percent": "%", "day": "day",
    "month": "month", "year": "year", "hour": "hour", "minute": "minute",
}  # fmt: skip
# how each expected quantity is written alone for pint's parse_expression
PINT_WRITTEN = {
    "km": "km", "m": "m", "t": "metric_ton", "mi": "mile", "kg": "kg", "ft": "ft", "l": "l",
    "ha": "hectare", "km/h": "km/h", "%": "percent", "day": "day", "month": "month",
    "year": "year", "hour": "hour", "minute": "minute",
}  # fmt: skip


def accord_parser() -> Callable[[str], Found]:
    """accord's finder: amounts as floats, units as codes (a counted noun is a count)."""
    sys.path.insert(0, str(ROOT / "src"))
    from accord.normalize.quantities import find_quantities

    def parse(text: str) -> Found:
        found = []
        for match in find_quantities(text):
            unit = match.value.unit
            found.append((float(match.value.amount), unit if unit in UNITS else None))
        return found

    return parse


def quantulum_parser() -> Callable[[str], Found]:
    """quantulum3's parser; a range (value ± uncertainty) counts as its two ends."""
    import quantulum3.classifier

    quantulum3.classifier.USE_CLF = False  # its shipped model needs an old scikit-learn
    from quantulum3 import parser

    def parse(text: str) -> Found:
        found: Found = []
        for q in parser.parse(text):
            unit = QUANTULUM_UNITS.get(q.unit.name)
            if q.uncertainty:
                found += [(q.value - q.uncertainty, unit), (q.value + q.uncertainty, unit)]
            else:
                found.append((q.value, unit))
        return found

    return parse


def pint_parser() -> Callable[[str], Found]:
    """pint's ``parse_expression`` on the whole phrase (it has no finder in prose)."""
    import pint

    registry = pint.UnitRegistry()

    def parse(text: str) -> Found:
        try:
            value = registry.parse_expression(text.rstrip("."))
        except Exception:  # pint raises many kinds on prose
            return []
        if isinstance(value, int | float):
            return [(float(value), None)]
        return [(float(value.magnitude), PINT_UNITS.get(str(value.units)))]

    return parse


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def score(parse: Callable[[str], Found], *, units: bool) -> tuple[int, int, int]:
    """(right, found, expected) over all phrases."""
    right = found_n = expected_n = 0
    for text, expected in PHRASES:
        found = parse(text)
        left = list(expected)
        for amount, unit in found:
            for i, (want, want_unit) in enumerate(left):
                if _same(amount, want) and (not units or unit == want_unit):
                    right += 1
                    del left[i]
                    break
        found_n += len(found)
        expected_n += len(expected)
    return right, found_n, expected_n


def prf(right: int, found: int, expected: int) -> str:
    p = right / found if found else 0.0
    r = right / expected if expected else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return (
        f"P {p:.2f}  R {r:.2f}  F1 {f:.2f}  ({right} right of {found} found, {expected} expected)"
    )


def import_seconds(statement: str) -> float:
    """Wall seconds of a fresh interpreter that runs ``statement`` (median of 3)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", statement],
            check=True,
            capture_output=True,
            env={"PYTHONPATH": str(ROOT / "src")},
        )
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the set")
    parser.add_argument("--errors", action="store_true", help="print each parser's misses")
    args = parser.parse_args()
    expected = sum(len(found) for _, found in PHRASES)
    print(f"{len(PHRASES)} phrases, {expected} expected quantities")
    makers = {"accord": accord_parser, "quantulum3": quantulum_parser, "pint": pint_parser}
    imports = {
        "accord": "import accord.normalize.quantities",
        "quantulum3": "import quantulum3.parser",
        "pint": "import pint; pint.UnitRegistry()",
    }
    for name, make in makers.items():
        try:
            parse = make()
        except ImportError as exc:
            print(line(name, f"skipped ({exc})"))
            continue
        print(line(f"{name} amounts", prf(*score(parse, units=False))))
        print(line(f"{name} amounts+units", prf(*score(parse, units=True))))
        seconds, _ = timed(lambda parse=parse: [parse(t) for t, _ in PHRASES], args.repeat)
        print(line(f"{name} speed", f"{len(PHRASES) / seconds.median:.0f} phrases/s"))
        print(line(f"{name} import", f"{import_seconds(imports[name]):.2f} s (fresh process)"))
        if args.errors:
            for text, want in PHRASES:
                got = parse(text)
                print(f"    {text!r}: expected {want}, found {got}")
    try:
        import pint

        registry = pint.UnitRegistry()
        alone = [(a, u) for _, found in PHRASES for a, u in found if u in PINT_WRITTEN]
        ok = 0
        for amount, unit in alone:
            value = registry.parse_expression(f"{amount:g} {PINT_WRITTEN[unit]}")
            ok += _same(float(value.magnitude), amount)
        print(line("pint, quantity alone", f"{ok} of {len(alone)} parsed to the right amount"))
    except ImportError:
        pass


if __name__ == "__main__":
    main()
