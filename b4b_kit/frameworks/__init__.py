"""The frameworks as data: one YAML file each, loaded into typed, immutable objects.

Examples
--------
>>> from b4b_kit import frameworks
>>> frameworks.names()[:2]
['supplier_levels', 'outcome_offer_types']
>>> frameworks.get("supplier_levels").level(4).name
'Outcome Offer'
"""

from __future__ import annotations

import functools
from pathlib import Path

from .. import resources
from ..datafiles import read_yaml
from ..errors import FrameworkError
from .model import Area, Dimension, Element, Example, Fact, Framework, Item, Level, provenance
from .schema import build

DATA_DIR = resources.frameworks()

# The catalog order of DESIGN.md; files not listed here sort after these.
CATALOG = (
    "supplier_levels",
    "outcome_offer_types",
    "services_portfolio",
    "value_maturity_model",
    "channel_capability_model",
    "sales_motions",
    "consumption_analytics",
)

__all__ = ["Area", "Dimension", "Element", "Example", "Fact", "Framework", "Item", "Level",
           "FrameworkError", "get", "lesson_name", "load", "names", "provenance"]


def names() -> list[str]:
    """Ids of the frameworks shipped with the kit, in catalog order."""
    found = {p.stem for p in DATA_DIR.glob("*.yaml")}
    return [n for n in CATALOG if n in found] + sorted(found - set(CATALOG))


def lesson_name(framework_id: str) -> str:
    """The one name a framework's lesson, exercise notebooks and question bank share: ``NN_<id>``.

    ``NN`` is the framework's place in the catalog (DESIGN.md's order).

    Examples
    --------
    >>> lesson_name("sales_motions")
    '06_sales_motions'
    """
    if framework_id not in CATALOG:
        raise FrameworkError(f"{framework_id!r} is not in the kit's catalog", where="framework id",
                             fix=f"Catalog ids: {', '.join(CATALOG)}.")
    return f"{CATALOG.index(framework_id) + 1:02d}_{framework_id}"


def load(path: str | Path) -> Framework:
    """Load and validate a framework file (the kit's own or one you wrote).

    Parameters
    ----------
    path : str or Path
        A YAML file following the schema in README ("Adding a framework").

    Raises
    ------
    FrameworkError
        One message naming the file, the field and what was expected.
    """
    data = read_yaml(path, error=FrameworkError, what="framework file",
                     missing_fix="Check the path, or run 'b4b frameworks list' for the built-in names.")
    return build(data, str(path))


@functools.cache
def get(name: str) -> Framework:
    """A built-in framework by id, or a framework file by path.

    Examples
    --------
    >>> get("supplier_levels").name
    'Supplier levels and the two Power Lines'
    """
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return load(name)
    path = DATA_DIR / f"{name}.yaml"
    if not path.is_file():
        raise FrameworkError(f"unknown framework {name!r}",
                             fix=f"Known frameworks: {', '.join(names())}; or give a path to a .yaml file.")
    return load(path)
