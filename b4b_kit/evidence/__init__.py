"""Published figures as cited data, and case figures set against them.

``benchmarks.yaml`` (in this package, found by
:func:`b4b_kit.resources.benchmarks`) holds figures measured outside the kit:
what was measured, the value or range, the population and period, the
citation, how surely it was read and how the kit uses it. :func:`load` checks a
file of that shape (one message naming the file, the field and the fix, as for
framework files); :func:`benchmarks` gives the shipped ones.

A benchmark's ``compared_with`` names case-study figures. :func:`compare` sets
a case's figures against their benchmarks and says where each falls:

* ``inside`` — within the published range (for a single published value such
  as a median: within the kit's stated ``tolerance`` of it);
* ``below`` or ``above`` the range;
* ``no value`` — the case could not compute the figure (say, too few months
  for a yearly rate); ``no band`` — the figure is there but the one that picks
  the contract-size band is missing.

Examples
--------
>>> from b4b_kit import evidence
>>> evidence.get("fang2008_service_share_threshold").published
'20-30 %'
>>> low, high, citation = evidence.band("customer_health", "nrr", {"acv_usd": 40_000})
>>> round(low, 2), round(high, 2), citation.split(" (")[0]
(1.02, 1.04, 'SaaS Capital')
>>> [c.where for c in evidence.compare("customer_health", {"nrr": 0.95, "grr": 0.925, "acv_usd": 40_000})]
['below', 'inside']
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import resources
from ..datafiles import RecordChecker, is_id, is_text, read_yaml
from ..errors import B4BError

FILE = resources.benchmarks()
READINGS = ("read", "read_second_hand", "computed", "recalled")
WHERE = ("inside", "below", "above", "no value", "no band")



class BenchmarkError(B4BError):
    """A benchmarks file that does not follow the schema."""


@dataclass(frozen=True)
class Band:
    """The published value for one contract-size band: ``start`` <= contract value < ``end``."""

    label: str
    start: float
    end: float | None
    value: float

    def holds(self, contract_value: float) -> bool:
        """Whether a contract value (USD a year) falls in this band."""
        return self.start <= contract_value and (self.end is None or contract_value < self.end)


@dataclass(frozen=True)
class Use:
    """A case-study figure set against a benchmark; ``contract_value`` names the figure that picks the band."""

    case: str
    figure: str
    contract_value: str | None = None


@dataclass(frozen=True)
class Benchmark:
    """One published figure with its citation (a row of ``benchmarks.yaml``)."""

    id: str
    measured: str
    unit: str
    population: str
    period: str
    citation: str
    reading: str
    kit_use: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    bands: tuple[Band, ...] = ()
    tolerance: float | None = None
    tolerance_note: str = ""
    statistic: str = "value"
    reading_note: str = ""
    compared_with: tuple[Use, ...] = ()

    @property
    def is_share(self) -> bool:
        """Whether values are fractions to show as percentages."""
        return self.unit.startswith("share")

    def _show(self, x: float) -> str:
        return f"{round(100 * x, 6):g}" if self.is_share else f"{x:g}"

    @property
    def published(self) -> str:
        """The published value or range in words, e.g. ``'20-30 %'`` or ``'100-110 % by band'``."""
        suffix = " %" if self.is_share else ""
        if self.bands:
            values = [b.value for b in self.bands]
            return f"{self._show(min(values))}-{self._show(max(values))}{suffix} by band"
        if self.low is not None:
            return f"{self._show(self.low)}-{self._show(self.high)}{suffix}"
        return f"{self._show(self.value)}{suffix}"

    def band_for(self, contract_value: float) -> Band:
        """The contract-size band a contract value (USD a year) falls in."""
        for b in self.bands:
            if b.holds(contract_value):
                return b
        raise B4BError(f"no band of {self.id} holds a contract value of {contract_value!r}",
                       where="contract value", fix=f"Bands start at {self.bands[0].start:g} USD a year.")

    def range(self, contract_value: float | None = None) -> tuple[float, float, str]:
        """``(low, high, label)``: the range a kit figure is read against.

        A single value (a median, a point) gets the benchmark's ``tolerance``
        either side; a banded benchmark needs the contract value that picks the band.
        """
        if self.low is not None:
            return self.low, self.high, ""
        tol = self.tolerance or 0.0
        if self.bands:
            if contract_value is None:
                raise B4BError(f"{self.id} is given per contract-size band", where="contract value",
                               fix="Pass the average contract value (USD a year) that picks the band.")
            b = self.band_for(contract_value)
            return round(b.value - tol, 10), round(b.value + tol, 10), b.label
        return round(self.value - tol, 10), round(self.value + tol, 10), ""

    def point(self, contract_value: float | None = None) -> float | None:
        """The single published value (a median), if the benchmark gives one rather than a range."""
        if self.bands:
            return self.band_for(contract_value).value if contract_value is not None else None
        return self.value


@dataclass(frozen=True)
class Comparison:
    """A case figure beside its published range, and where it falls."""

    case: str
    figure: str
    value: float | None
    benchmark: str
    low: float | None
    high: float | None
    published: float | None
    band: str
    where: str
    unit: str
    reading: str
    citation: str

    def to_dict(self) -> dict:
        """Plain JSON-ready dict, as stored in a results record under ``evidence``."""
        return asdict(self)

    @property
    def text(self) -> str:
        """One line: the published range and where the figure falls.

        Examples
        --------
        >>> c = compare("customer_health", {"nrr": 0.95, "acv_usd": 40_000})[0]
        >>> c.text
        'published 102-104 % (median 103 %, ACV USD 25k-50k): below (saas_capital_2023_nrr)'
        """
        bm = get(self.benchmark) if self.benchmark in _index() else None
        show = bm._show if bm else (lambda x: f"{x:g}")
        suffix = " %" if bm is not None and bm.is_share else ""
        if self.low is None:
            rng = "no range"
        elif self.low == self.high:
            rng = f"{show(self.low)}{suffix}"
        else:
            rng = f"{show(self.low)}-{show(self.high)}{suffix}"
        statistic = bm.statistic if bm is not None else "value"
        extra = [f"{statistic} {show(self.published)}{suffix}"] if self.published is not None \
            and self.low != self.high else []
        extra += [self.band] if self.band else []
        detail = f" ({', '.join(extra)})" if extra else ""
        return f"published {rng}{detail}: {self.where} ({self.benchmark})"


# --- reading and checking a file ---------------------------------------------------------------------

_ENTRY = {
    "id": (True, "id"), "measured": (True, "text"), "unit": (True, "text"), "population": (True, "text"),
    "period": (True, "text"), "citation": (True, "text"), "reading": (True, "reading"),
    "kit_use": (True, "text"), "reading_note": (False, "text"), "value": (False, "number"),
    "low": (False, "number"), "high": (False, "number"), "bands": (False, "list"),
    "tolerance": (False, "number"), "tolerance_note": (False, "text"), "statistic": (False, "text"),
    "compared_with": (False, "list"),
}
_BAND = {"label": (True, "text"), "from": (True, "number"), "to": (False, "number"), "value": (True, "number")}
_USE = {"case": (True, "id"), "figure": (True, "id"), "contract_value": (False, "id")}
_EXPECTED = {
    "id": "an id in snake_case (lower-case letters, digits, underscores), e.g. saas_capital_2023_nrr",
    "text": "a non-empty text",
    "reading": "one of " + ", ".join(READINGS),
    "number": "a number",
    "list": "a list",
}


def _ok(kind: str, value: Any) -> bool:
    if kind == "id":
        return is_id(value)
    if kind == "text":
        return is_text(value)
    if kind == "reading":
        return value in READINGS
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "list":
        return isinstance(value, list) and len(value) > 0
    raise AssertionError(kind)


def _checker(source: str) -> RecordChecker:
    return RecordChecker(source, expected=_EXPECTED, accepts=_ok, error=BenchmarkError)


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _bands(c: RecordChecker, raw: list, path: str) -> tuple[Band, ...]:
    bands = []
    for i, item in enumerate(raw):
        b = c.record(item, _BAND, f"{path}[{i}]")
        end = b.get("to")
        if end is not None and end <= b["from"]:
            raise c.fail(f"{path}[{i}].to", f"'to' ({end:g}) must be above 'from' ({b['from']:g})",
                         "Write each band as from <= contract value < to.")
        if end is None and i != len(raw) - 1:
            raise c.fail(f"{path}[{i}].to", "only the last band may leave 'to' open",
                         "Give this band its upper bound.")
        if bands and b["from"] != bands[-1].end:
            raise c.fail(f"{path}[{i}].from", f"band starts at {b['from']:g} but the one before ends at "
                         f"{bands[-1].end:g}", "List the bands in order, each starting where the last one ends.")
        bands.append(Band(_text(b["label"]), float(b["from"]), None if end is None else float(end),
                          float(b["value"])))
    return tuple(bands)


def build(data: Any, source: str) -> tuple[Benchmark, ...]:
    """Check a parsed benchmarks file and return its benchmarks.

    Raises
    ------
    BenchmarkError
        Naming the file, the field path and the fix.

    Examples
    --------
    >>> build({"benchmarks": [{"id": "x", "measured": "m", "unit": "share", "population": "p",
    ...        "period": "2020", "citation": "c", "reading": "guessed", "kit_use": "u", "value": 1}]}, "mine.yaml")
    Traceback (most recent call last):
    ...
    b4b_kit.evidence.BenchmarkError: mine.yaml, field benchmarks[0].reading: expected one of read, \
read_second_hand, computed, recalled, found 'guessed'. Change 'reading' to one of read, read_second_hand, \
computed, recalled.
    """
    c = _checker(source)
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list) or not data["benchmarks"]:
        raise c.fail("benchmarks", "expected a non-empty list under 'benchmarks:'",
                     "Start the file with 'benchmarks:' and list one '- id: ...' entry per figure.")
    if set(data) - {"benchmarks"}:
        extra = sorted(set(data) - {"benchmarks"})[0]
        raise c.fail(str(extra), f"unknown key {extra!r}", "The file holds one key, 'benchmarks'.")
    out: list[Benchmark] = []
    seen: dict[str, str] = {}
    used: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(data["benchmarks"]):
        path = f"benchmarks[{i}]"
        e = c.record(raw, _ENTRY, path)
        if e["id"] in seen:
            raise c.fail(f"{path}.id", f"duplicate id {e['id']!r} (first used at {seen[e['id']]})",
                         "Give each benchmark its own id.")
        seen[e["id"]] = f"{path}.id"
        forms = [name for name, present in (("value", "value" in e), ("low/high", "low" in e or "high" in e),
                                            ("bands", "bands" in e)) if present]
        if len(forms) != 1:
            raise c.fail(path, f"give exactly one of 'value', 'low' with 'high', or 'bands' (found "
                         f"{', '.join(forms) or 'none'})", "Keep the one form the source publishes.")
        if forms == ["low/high"]:
            if "low" not in e or "high" not in e:
                raise c.fail(f"{path}.{'high' if 'low' in e else 'low'}", "a range needs both 'low' and 'high'",
                             "Add the missing end of the range.")
            if e["low"] > e["high"]:
                raise c.fail(f"{path}.low", f"low ({e['low']:g}) is above high ({e['high']:g})", "Swap them.")
        bands = _bands(c, e["bands"], f"{path}.bands") if "bands" in e else ()
        if "tolerance" in e:
            if forms == ["low/high"]:
                raise c.fail(f"{path}.tolerance", "a published range needs no tolerance",
                             "Remove 'tolerance'; the range itself is what a figure is read against.")
            if e["tolerance"] < 0:
                raise c.fail(f"{path}.tolerance", f"expected a number of 0 or more, found {e['tolerance']!r}",
                             "Give the half-width of the band around the published value.")
            if not e.get("tolerance_note"):
                raise c.fail(f"{path}.tolerance_note", "a tolerance needs a note saying whose it is",
                             "Add 'tolerance_note:' (e.g. 'one point either side is the kit's choice').")
        uses = []
        for j, raw_use in enumerate(e.get("compared_with") or []):
            upath = f"{path}.compared_with[{j}]"
            u = c.record(raw_use, _USE, upath)
            if bands and not u.get("contract_value"):
                raise c.fail(f"{upath}.contract_value", "a banded benchmark needs the figure that picks the band",
                             "Add 'contract_value:' naming the case's figure of contract value (USD a year).")
            if not bands and u.get("contract_value"):
                raise c.fail(f"{upath}.contract_value", "this benchmark has no bands to pick",
                             "Remove 'contract_value'.")
            if forms == ["value"] and "tolerance" not in e:
                raise c.fail(f"{upath}", "a single published value needs a 'tolerance' to compare a figure with",
                             "Add 'tolerance:' and 'tolerance_note:' to the benchmark, or remove the comparison.")
            key = (u["case"], u["figure"])
            if key in used:
                raise c.fail(f"{upath}", f"{u['case']}.{u['figure']} is already compared with {used[key]}",
                             "Compare each case figure with one benchmark.")
            used[key] = e["id"]
            uses.append(Use(u["case"], u["figure"], u.get("contract_value")))
        out.append(Benchmark(
            id=e["id"], measured=_text(e["measured"]), unit=_text(e["unit"]), population=_text(e["population"]),
            period=_text(e["period"]), citation=_text(e["citation"]), reading=e["reading"],
            kit_use=_text(e["kit_use"]), value=e.get("value"), low=e.get("low"), high=e.get("high"), bands=bands,
            tolerance=e.get("tolerance"), tolerance_note=_text(e.get("tolerance_note")),
            statistic=_text(e.get("statistic")) or "value",
            reading_note=_text(e.get("reading_note")), compared_with=tuple(uses)))
    return tuple(out)


def load(path: str | Path) -> tuple[Benchmark, ...]:
    """Load and check a benchmarks file (the kit's own or one you wrote).

    Raises
    ------
    BenchmarkError
        One message naming the file, the field and what was expected.
    """
    data = read_yaml(path, error=BenchmarkError, what="benchmarks file")
    return build(data, str(path))


@functools.cache
def benchmarks() -> tuple[Benchmark, ...]:
    """The benchmarks shipped with the kit, in file order."""
    return load(FILE)


@functools.cache
def _index() -> dict[str, Benchmark]:
    return {b.id: b for b in benchmarks()}


def get(benchmark_id: str) -> Benchmark:
    """A shipped benchmark by id."""
    try:
        return _index()[benchmark_id]
    except KeyError:
        raise B4BError(f"unknown benchmark {benchmark_id!r}", where="benchmark id",
                       fix="Run 'b4b benchmarks' for the ids.") from None


def uses(case: str) -> list[tuple[Use, Benchmark]]:
    """The figures of a case that have a published counterpart, with their benchmarks."""
    return [(u, b) for b in benchmarks() for u in b.compared_with if u.case == case]


# --- comparing figures ----------------------------------------------------------------------------------

def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def where(value: float | None, low: float, high: float) -> str:
    """Where a value falls against a range: ``inside``, ``below``, ``above`` (``no value`` for None/NaN).

    The ends belong to the range; a hair of floating-point slack keeps a value
    computed as exactly an end (0.1 + 0.2 against 0.3) inside.

    Examples
    --------
    >>> where(0.25, 0.2, 0.3), where(0.1, 0.2, 0.3), where(0.35, 0.2, 0.3), where(None, 0.2, 0.3)
    ('inside', 'below', 'above', 'no value')
    >>> where(0.1 + 0.2, 0.2, 0.3)
    'inside'
    """
    x = _number(value)
    if x is None:
        return "no value"
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    if x < low - slack:
        return "below"
    if x > high + slack:
        return "above"
    return "inside"


def compare(case: str, figures: dict) -> list[Comparison]:
    """Each figure of ``case`` that has a benchmark, beside the published range, and where it falls.

    Parameters
    ----------
    case : str
        The case study's name, as in the benchmarks' ``compared_with``.
    figures : dict
        The case's figures (as passed to :func:`b4b_kit.workflows.cases.record`),
        including the contract value that picks a band.

    Examples
    --------
    >>> [(c.figure, c.where, c.band) for c in compare("customer_health", {"nrr": 1.2, "grr": 0.8, "acv_usd": 5e5})]
    [('nrr', 'above', 'ACV over USD 250k'), ('grr', 'below', 'ACV over USD 250k')]
    >>> compare("customer_health", {"nrr": None, "acv_usd": 5e5})[0].where
    'no value'
    >>> compare("customer_health", {"nrr": 1.0})[0].where  # the contract value that picks the band is missing
    'no band'
    """
    out = []
    for use, bm in uses(case):
        value = _number(figures.get(use.figure))
        low = high = point = None
        label = ""
        contract = _number(figures.get(use.contract_value)) if use.contract_value else None
        if use.contract_value and contract is None:
            status = "no value" if value is None else "no band"
        else:
            low, high, label = bm.range(contract)
            point = bm.point(contract)
            status = where(value, low, high)
        out.append(Comparison(case, use.figure, value, bm.id, low, high, point, label, status, bm.unit,
                              bm.reading, bm.citation))
    return out


def band(case: str, figure: str, figures: dict | None = None) -> tuple[float, float, str] | None:
    """The published band ``(low, high, citation)`` for one figure of a case, or None if it has none.

    For a benchmark given per contract-size band, ``figures`` must hold the
    case's contract-value figure (its results record's figures will do);
    without it the answer is None. Meant for reports that draw the band beside
    a figure.

    Examples
    --------
    >>> band("customer_health", "grr", {"acv_usd": 300_000})[:2]
    (0.92, 0.94)
    >>> band("customer_health", "events") is None
    True
    """
    for use, bm in uses(case):
        if use.figure != figure:
            continue
        contract = _number((figures or {}).get(use.contract_value)) if use.contract_value else None
        if use.contract_value and contract is None:
            return None
        low, high, _ = bm.range(contract)
        return low, high, bm.citation
    return None


def table(comparisons: list[Comparison]):
    """The comparisons as a table for a notebook: figure, the kit's value, the published range, where, source.

    Examples
    --------
    >>> t = table(compare("customer_health", {"nrr": 0.95, "grr": 0.925, "acv_usd": 40_000}))
    >>> t[["figure", "kit", "published", "where"]].values.tolist()
    [['nrr', '95 %', '102-104 % (median 103 %, ACV USD 25k-50k)', 'below'], \
['grr', '92.5 %', '91-93 % (median 92 %, ACV USD 25k-50k)', 'inside']]
    """
    import pandas as pd

    rows = []
    for c in comparisons:
        bm = get(c.benchmark)
        suffix = " %" if bm.is_share else ""
        kit = "not computed" if c.value is None else f"{bm._show(c.value)}{suffix}"
        published = c.text.removeprefix("published ").rsplit(": ", 1)[0]
        rows.append({"figure": c.figure, "kit": kit, "published": published, "where": c.where,
                     "benchmark": c.benchmark, "reading": c.reading, "source": c.citation})
    return pd.DataFrame(rows, columns=["figure", "kit", "published", "where", "benchmark", "reading", "source"])


def service_to_product_ratio(service_share: float) -> float:
    """Services over product sales, from services as a share of total sales: s / (1 - s).

    Fang, Palmatier & Steenkamp (2008) state their threshold as a share of total
    sales; a summary by one of the authors states it as a ratio of service to
    product sales. This converts one into the other.

    Examples
    --------
    >>> service_to_product_ratio(0.20), round(service_to_product_ratio(0.30), 4)
    (0.25, 0.4286)
    """
    s = _number(service_share)
    if s is None or not 0 <= s < 1:
        raise B4BError(f"expected a share from 0 to below 1, got {service_share!r}", where="service_share",
                       fix="Pass services as a share of total sales, e.g. 0.2.")
    return s / (1 - s)
