"""b4b-kit: how technology suppliers move from selling products to delivering outcomes.

The package grows by framework. Each framework has one home, a subpackage named
by its id, with the same file names for the same roles (model modules,
``charts.py``, ``widgets.py``, ``sample_data.py``)::

    supplier_levels  outcome_offer_types  services_portfolio  value_maturity_model
    channel_capability_model  sales_motions  consumption_analytics

Shared rooms sit above them: ``frameworks`` (the frameworks as validated data),
``maturity`` (the questionnaire engine two frameworks use), ``ui`` (offline
rendering, palette, the explorer base class), ``workflows`` (cases, sweeps,
reports, exercises, grading, serving) and ``datasets``, ``errors`` and ``cli``.

The public API below is small: the frameworks, the one error type, and the
supplier-level assessment that lesson 01 and the README start with.

Examples
--------
>>> import b4b_kit as b4b
>>> b4b.framework("supplier_levels").level(3).name
'Optimize Offer'
>>> b4b.required_level(mastery_difficulty=0.9, customer_capability=0.1,
...                    outcome_variability=0.2, outcome_criticality=0.3)
2
"""

from __future__ import annotations

import os as _os
import sys as _sys

__version__ = "0.1.0"

# jsonschema (imported by altair, nbformat, papermill) eagerly imports rfc3987_syntax,
# which compiles ~35 Lark grammars: 1.6 s of a 2.9 s `import pandas, altair` here
# (python-jsonschema/jsonschema#1428). The kit never validates IRI formats, so we
# let jsonschema find it missing. B4B_KEEP_RFC3987=1 keeps the normal behaviour.
if not _os.environ.get("B4B_KEEP_RFC3987") and "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)

from .errors import B4BError
from .frameworks import get as framework
from .frameworks import load as load_framework
from .frameworks import names as framework_names
from .supplier_levels.model import Assessment, assess_frame, assess_one, offered_level, required_level

__all__ = [
    "__version__",
    "B4BError",
    "framework",
    "framework_names",
    "load_framework",
    "Assessment",
    "assess_one",
    "assess_frame",
    "offered_level",
    "required_level",
]


def __getattr__(name: str):
    # b4b.assess was the supplier-level model's old module name (before one home per framework).
    if name == "assess":
        import warnings

        from .supplier_levels import model

        warnings.warn("b4b_kit.assess is now b4b_kit.supplier_levels.model", DeprecationWarning, stacklevel=2)
        return model
    raise AttributeError(f"module 'b4b_kit' has no attribute {name!r}")
