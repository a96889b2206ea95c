"""Validate a parsed framework file and build its typed objects.

Hand-written rather than jsonschema: importing jsonschema costs about 2.6 s
here (STACK.md), more than the rest of a lesson's start-up, and its messages
name schema paths rather than saying how to fix the file.

The schema, in short (README "Adding a framework" has the full version)::

    id: snake_case            name: text        kind: levels | areas
    summary: text             source: text
    dimensions: [{id, name, description?, PROVENANCE}]           (optional)
    levels:  [{number, id, name, description?, elements, examples?, PROVENANCE}]
    areas:   [{id, name, description?, elements, examples?, PROVENANCE}]
    elements: [{id, name, description?, dimension?, examples?, signals?, PROVENANCE}]
              signals: {attribute: [values]}, the cues a classifier matches (e.g. services)
    lists:   {list_name: [{id, name, description?, related?, examples?, PROVENANCE}]}
    facts:   [{id, statement, unit?, value? | low? high?, PROVENANCE}]
    examples: [{text, PROVENANCE}]

PROVENANCE is ``source: text`` (the document and passage it comes from) or
``own_reading: true`` with ``reason: text`` (one line on why the kit reads it
so), or both. Every record needs one: a file where any level, element, list
item, example, fact or dimension has neither fails, naming the record.
"""

from __future__ import annotations

from typing import Any

from ..datafiles import RecordChecker, is_id, is_text
from ..errors import FrameworkError
from .model import Area, Dimension, Element, Example, Fact, Framework, Item, Level

# field -> (required, type check name)
_TOP = {
    "id": (True, "id"),
    "name": (True, "text"),
    "kind": (True, "kind"),
    "summary": (True, "text"),
    "source": (True, "text"),
    "dimensions": (False, "list"),
    "levels": (False, "list"),
    "areas": (False, "list"),
    "lists": (False, "mapping"),
    "facts": (False, "list"),
}
_PROVENANCE = {"source": (False, "text"), "own_reading": (False, "bool"), "reason": (False, "text")}
_DIMENSION = {"id": (True, "id"), "name": (True, "text"), "description": (False, "text"), **_PROVENANCE}
_COMMON = {**_DIMENSION, "examples": (False, "list")}
_ELEMENT = {**_COMMON, "dimension": (False, "id"), "signals": (False, "signals")}
_GROUP = {**_COMMON, "elements": (True, "list")}
_LEVEL = {"number": (True, "int"), **_GROUP}
_ITEM = {**_COMMON, "related": (False, "ids")}
_EXAMPLE = {"text": (True, "text"), **_PROVENANCE}
_FACT = {
    "id": (True, "id"),
    "statement": (True, "text"),
    "unit": (False, "text"),
    "value": (False, "number"),
    "low": (False, "number"),
    "high": (False, "number"),
    **_PROVENANCE,
}
_SOURCE_EXAMPLE = "source: 'B4B ch. 4, \"The Level 3 Supplier\"'"

_EXPECTED = {
    "id": "an id in snake_case (lower-case letters, digits, underscores), e.g. basic_offer",
    "text": "a non-empty text",
    "kind": "'levels' or 'areas'",
    "list": "a list",
    "mapping": "a mapping of names to lists",
    "texts": "a list of texts",
    "ids": "a list of element ids",
    "bool": "true or false",
    "int": "a whole number",
    "number": "a number",
    "signals": "a mapping of attribute names to lists of texts, e.g. {acts_on: [operations]}",
}


def _ok(kind: str, value: Any) -> bool:
    if kind == "id":
        return is_id(value)
    if kind == "text":
        return is_text(value)
    if kind == "kind":
        return value in ("levels", "areas")
    if kind == "list":
        return isinstance(value, list)
    if kind == "mapping":
        return isinstance(value, dict)
    if kind == "texts":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if kind == "ids":
        return isinstance(value, list) and all(is_id(v) for v in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "signals":
        return isinstance(value, dict) and all(
            is_id(k) and _ok("texts", v) for k, v in value.items())
    raise AssertionError(kind)


class _Validator(RecordChecker):
    """The framework file's checker: field checks, plus provenance, examples and unique ids."""

    def __init__(self, source: str):
        super().__init__(source, expected=_EXPECTED, accepts=_ok, error=FrameworkError)

    def provenance(self, data: dict, path: str) -> dict:
        """Check that a record says where it comes from; return its provenance fields."""
        own = data.get("own_reading", False)
        if own and not data.get("reason"):
            raise self.fail(path, "own_reading is true but there is no 'reason'",
                            "Add 'reason:' with one line on why this is the kit's reading "
                            "(e.g. reason: the source names the level but does not describe it).")
        if data.get("reason") and not own:
            raise self.fail(f"{path}.reason", "a 'reason' is given but own_reading is not true",
                            "A reason explains an own reading: add 'own_reading: true', or remove 'reason'.")
        if not own and not data.get("source"):
            raise self.fail(path, "says neither where it comes from ('source') nor that it is the kit's "
                                  "own reading ('own_reading: true')",
                            f"Add {_SOURCE_EXAMPLE} naming the document and passage, or 'own_reading: true' "
                            "with a one-line 'reason:'.")
        return {"source": data.get("source", ""), "own_reading": own, "reason": data.get("reason", "")}

    def examples(self, data: dict, path: str) -> tuple[Example, ...]:
        out = []
        for k, raw in enumerate(data.get("examples") or ()):
            epath = f"{path}.examples[{k}]"
            if isinstance(raw, str):
                raise self.fail(epath, f"example {raw!r} is plain text, so it cannot say where it comes from",
                                "Write it as '- {text: ..., source: ...}' (or with own_reading: true and "
                                "reason: ...).")
            e = self.record(raw, _EXAMPLE, epath)
            out.append(Example(e["text"], **self.provenance(e, epath)))
        return tuple(out)

    def unique(self, ids: list[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for ident, path in ids:
            if ident in seen:
                raise self.fail(path, f"duplicate {what} id {ident!r} (first used at {seen[ident]})",
                                f"Give each {what} its own id.")
            seen[ident] = path


def _tuple(data: dict, key: str) -> tuple:
    return tuple(data.get(key) or ())


def build(data: Any, source: str) -> Framework:
    """Check a parsed framework file and return its :class:`Framework`.

    Parameters
    ----------
    data : object
        What YAML parsed from the file.
    source : str
        The file's name, used in error messages.

    Raises
    ------
    FrameworkError
        Naming the file, the field path and what was expected.
    """
    v = _Validator(source)
    top = v.record(data, _TOP, "")
    kind = top["kind"]
    groups_key = kind
    other = "areas" if kind == "levels" else "levels"
    if not top.get(groups_key):
        raise v.fail(groups_key, f"a framework of kind {kind!r} needs a non-empty '{groups_key}' list",
                     f"Add '{groups_key}:' with at least one entry, or change 'kind'.")
    if top.get(other):
        raise v.fail(other, f"a framework of kind {kind!r} cannot also have '{other}'",
                     f"Remove '{other}' or change 'kind' to {other!r}.")

    dimensions = []
    for i, raw in enumerate(top.get("dimensions") or []):
        d = v.record(raw, _DIMENSION, f"dimensions[{i}]")
        dimensions.append(Dimension(d["id"], d["name"], d.get("description", ""),
                                    **v.provenance(d, f"dimensions[{i}]")))
    v.unique([(d.id, f"dimensions[{i}].id") for i, d in enumerate(dimensions)], "dimension")
    dimension_ids = {d.id for d in dimensions}

    element_ids: list[tuple[str, str]] = []
    groups = []
    for i, raw in enumerate(top[groups_key]):
        gpath = f"{groups_key}[{i}]"
        g = v.record(raw, _LEVEL if kind == "levels" else _GROUP, gpath)
        if kind == "levels" and g["number"] != i + 1:
            raise v.fail(f"{gpath}.number",
                         f"level numbers must run 1..n in order; entry {i + 1} has number {g['number']}",
                         "Number the levels 1, 2, 3, ... in the order they are listed.")
        elements = []
        for j, raw_el in enumerate(g["elements"]):
            epath = f"{gpath}.elements[{j}]"
            e = v.record(raw_el, _ELEMENT, epath)
            if "dimension" in e and e["dimension"] not in dimension_ids:
                known = ", ".join(sorted(dimension_ids)) or "none declared"
                raise v.fail(f"{epath}.dimension", f"unknown dimension {e['dimension']!r}",
                             f"Use one of the ids under 'dimensions' ({known}).")
            element_ids.append((e["id"], f"{epath}.id"))
            signals = {k: tuple(v) for k, v in (e.get("signals") or {}).items()}
            elements.append(Element(e["id"], e["name"], e.get("description", ""), e.get("dimension"),
                                    v.examples(e, epath), signals=signals, **v.provenance(e, epath)))
        common = dict(id=g["id"], name=g["name"], description=g.get("description", ""),
                      elements=tuple(elements), examples=v.examples(g, gpath), **v.provenance(g, gpath))
        groups.append(Level(number=g["number"], **common) if kind == "levels" else Area(**common))
    v.unique([(g.id, f"{groups_key}[{i}].id") for i, g in enumerate(groups)], kind[:-1])
    v.unique(element_ids, "element")
    known_elements = {ident for ident, _ in element_ids}

    lists: dict[str, tuple[Item, ...]] = {}
    for name, raw_items in (top.get("lists") or {}).items():
        if not is_id(name):
            raise v.fail(f"lists.{name}", f"list name {name!r} is not an id",
                         "Name lists in snake_case, e.g. symptoms.")
        if not isinstance(raw_items, list) or not raw_items:
            raise v.fail(f"lists.{name}", "expected a non-empty list of items",
                         "Give the list at least one '- id: ..., name: ...' entry.")
        items = []
        for k, raw in enumerate(raw_items):
            ipath = f"lists.{name}[{k}]"
            it = v.record(raw, _ITEM, ipath)
            for ref in it.get("related") or ():
                if ref not in known_elements:
                    raise v.fail(f"{ipath}.related", f"unknown element {ref!r}",
                                 "'related' must name element ids of this framework.")
            items.append(Item(it["id"], it["name"], it.get("description", ""), _tuple(it, "related"),
                              v.examples(it, ipath), **v.provenance(it, ipath)))
        v.unique([(it.id, f"lists.{name}[{k}].id") for k, it in enumerate(items)], f"{name} item")
        lists[name] = tuple(items)

    facts = []
    for i, raw in enumerate(top.get("facts") or []):
        f = v.record(raw, _FACT, f"facts[{i}]")
        if f.get("value") is None and (f.get("low") is None or f.get("high") is None):
            raise v.fail(f"facts[{i}]", "a fact needs 'value', or both 'low' and 'high'",
                         "Add the figure the statement gives.")
        if f.get("low") is not None and f.get("high") is not None and f["low"] > f["high"]:
            raise v.fail(f"facts[{i}].low", f"low ({f['low']}) is above high ({f['high']})",
                         "Swap them.")
        facts.append(Fact(f["id"], f["statement"], f.get("unit", ""), f.get("value"), f.get("low"),
                          f.get("high"), **v.provenance(f, f"facts[{i}]")))
    v.unique([(f.id, f"facts[{i}].id") for i, f in enumerate(facts)], "fact")

    return Framework(
        id=top["id"], name=top["name"], kind=kind, summary=top["summary"].strip(),
        source=top["source"], dimensions=tuple(dimensions),
        levels=tuple(groups) if kind == "levels" else (),
        areas=tuple(groups) if kind == "areas" else (),
        lists=lists, facts=tuple(facts), path=source,
    )
