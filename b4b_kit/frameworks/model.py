"""Typed, immutable objects that a framework file loads into.

A framework is either *levels* (an ordered ladder numbered 1..n, such as the
four supplier levels) or *areas* (unordered groups, such as the six areas of the
channel capability model). Levels and areas both hold *elements*: the things a
supplier offers, a criterion met, a capability, a metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OWN_READING_MARK = "*"


def provenance(record) -> str:
    """Where a record comes from, in one line: its source, or the kit's reason for its own reading.

    Every level, area, element, list item, example, fact and dimension carries
    one or the other (the schema refuses a file where one has neither).

    Examples
    --------
    >>> provenance(Example("a fork-lift", source='B4B ch. 4, "The Level 1 Supplier"'))
    'B4B ch. 4, "The Level 1 Supplier"'
    >>> provenance(Example("a pump", own_reading=True, reason="an illustration the kit adds"))
    "the kit's reading: an illustration the kit adds"
    """
    if record.own_reading:
        reading = f"the kit's reading: {record.reason}"
        return f"{reading} (from {record.source})" if record.source else reading
    return record.source


@dataclass(frozen=True)
class Example:
    """A named example with its provenance (a source passage, or the kit's own reading and why)."""

    text: str
    source: str = ""
    own_reading: bool = False
    reason: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Dimension:
    """An axis that elements belong to, e.g. the Customer Value Power line."""

    id: str
    name: str
    description: str = ""
    source: str = ""
    own_reading: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Element:
    """One element of a level or area (an offer element, criterion, capability, metric)."""

    id: str
    name: str
    description: str = ""
    dimension: str | None = None
    examples: tuple[Example, ...] = ()
    own_reading: bool = False
    signals: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    """Cues a classifier can match, by attribute: e.g. ``{"acts_on": ("operations",)}``."""
    source: str = ""
    reason: str = ""


@dataclass(frozen=True)
class _Group:
    id: str
    name: str
    description: str = ""
    elements: tuple[Element, ...] = ()
    examples: tuple[Example, ...] = ()
    own_reading: bool = False
    source: str = ""
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Level(_Group):
    """One rung of an ordered framework; ``number`` runs 1..n."""

    number: int


@dataclass(frozen=True)
class Area(_Group):
    """One group of an unordered framework, e.g. a capability area."""


@dataclass(frozen=True)
class Item:
    """An entry of a named side list: a symptom, a shift, a step, an option."""

    id: str
    name: str
    description: str = ""
    related: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    own_reading: bool = False
    source: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Fact:
    """A figure from the sources usable as a model parameter (a value or a low-high range)."""

    id: str
    statement: str
    unit: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    source: str = ""
    own_reading: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Framework:
    """A framework loaded from its data file.

    Examples
    --------
    >>> from b4b_kit import frameworks
    >>> fw = frameworks.get("supplier_levels")
    >>> [lv.name for lv in fw.levels]
    ['Basic Offer', 'Complex Offer', 'Optimize Offer', 'Outcome Offer']
    """

    id: str
    name: str
    kind: str
    summary: str
    source: str
    dimensions: tuple[Dimension, ...] = ()
    levels: tuple[Level, ...] = ()
    areas: tuple[Area, ...] = ()
    lists: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    path: str = ""

    def __hash__(self) -> int:  # ``lists`` is a dict; identity by id and file is enough
        return hash((self.id, self.path))

    @property
    def groups(self) -> tuple[Level, ...] | tuple[Area, ...]:
        """The levels of a ladder or the areas of a capability model."""
        return self.levels if self.kind == "levels" else self.areas

    @property
    def elements(self) -> tuple[Element, ...]:
        """All elements, in file order."""
        return tuple(el for group in self.groups for el in group.elements)

    def level(self, number: int) -> Level:
        """The level numbered ``number`` (1-based)."""
        if not 1 <= number <= len(self.levels):
            raise KeyError(f"{self.id} has levels 1..{len(self.levels)}, not {number}")
        return self.levels[number - 1]

    def element(self, element_id: str) -> Element:
        """The element with this id."""
        for el in self.elements:
            if el.id == element_id:
                return el
        raise KeyError(f"{self.id} has no element {element_id!r}")

    def group_of(self, element_id: str) -> Level | Area:
        """The level or area that holds an element."""
        for group in self.groups:
            if any(el.id == element_id for el in group.elements):
                return group
        raise KeyError(f"{self.id} has no element {element_id!r}")

    def fact(self, fact_id: str) -> Fact:
        """The source fact with this id."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(f"{self.id} has no fact {fact_id!r}")

    def records(self):
        """Every record that carries provenance, as ``(field path, record)`` pairs in file order.

        The paths are those the schema's messages use, e.g. ``levels[3].elements[2]``.

        Examples
        --------
        >>> from b4b_kit import frameworks
        >>> path, record = next(p for p in frameworks.get("supplier_levels").records() if "examples" in p[0])
        >>> path, type(record).__name__
        ('levels[0].examples[0]', 'Example')
        """
        for i, d in enumerate(self.dimensions):
            yield f"dimensions[{i}]", d
        for i, group in enumerate(self.groups):
            gpath = f"{self.kind}[{i}]"
            yield gpath, group
            for k, ex in enumerate(group.examples):
                yield f"{gpath}.examples[{k}]", ex
            for j, el in enumerate(group.elements):
                yield f"{gpath}.elements[{j}]", el
                for k, ex in enumerate(el.examples):
                    yield f"{gpath}.elements[{j}].examples[{k}]", ex
        for name, items in self.lists.items():
            for k, item in enumerate(items):
                yield f"lists.{name}[{k}]", item
                for m, ex in enumerate(item.examples):
                    yield f"lists.{name}[{k}].examples[{m}]", ex
        for i, f in enumerate(self.facts):
            yield f"facts[{i}]", f

    def list_frame(self, name: str):
        """One named side list as a table: ``id``, ``name``, ``description``, ``own_reading``, ``provenance``.

        Examples
        --------
        >>> from b4b_kit import frameworks
        >>> frameworks.get("supplier_levels").list_frame("level4_variants")["id"].tolist()
        ['full_automation', 'all_in_bundle']
        """
        import pandas as pd

        if name not in self.lists:
            from ..errors import FrameworkError

            raise FrameworkError(f"{self.id} has no list {name!r}", where=f"framework {self.id}",
                                 fix=f"Its lists: {', '.join(self.lists) or 'none'}.")
        return pd.DataFrame([{"id": it.id, "name": it.name, "description": it.description,
                              "own_reading": it.own_reading, "provenance": provenance(it)}
                             for it in self.lists[name]])

    def facts_frame(self):
        """The framework's facts as a table: ``id``, ``statement``, ``value`` (or low-high), ``unit``, ``source``.

        ``value`` is the figure as text, a range written ``low-high``.
        """
        import pandas as pd

        def figure(f: Fact) -> str:
            def num(x: float) -> str:
                return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"

            return num(f.value) if f.value is not None else f"{num(f.low)}-{num(f.high)}"

        return pd.DataFrame([{"id": f.id, "statement": f.statement, "value": figure(f), "unit": f.unit,
                              "source": provenance(f)} for f in self.facts])

    def to_frame(self):
        """One row per element: group, element id, name, dimension, description and provenance (a DataFrame).

        ``own_reading`` is True where the element is the kit's interpretation;
        ``provenance`` names the source passage, or the kit's reason.
        """
        import pandas as pd

        rows = []
        for group in self.groups:
            for el in group.elements:
                rows.append(
                    {
                        "level" if self.kind == "levels" else "area": (
                            group.number if self.kind == "levels" else group.id
                        ),
                        "group": group.name,
                        "element": el.id,
                        "name": el.name,
                        "dimension": el.dimension,
                        "description": el.description,
                        "own_reading": el.own_reading,
                        "provenance": provenance(el),
                    }
                )
        return pd.DataFrame(rows)
