"""b4b-kit: how technology suppliers move from selling products to delivering outcomes.

The public API is small; everything else lives in modules named after what
they hold (``assess``, ``charts``, ``widgets``, ``cases``, ``exercises``).

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
from . import assess
from .assess import Assessment, assess_frame, assess_one, offered_level, required_level

__all__ = [
    "__version__",
    "B4BError",
    "framework",
    "framework_names",
    "load_framework",
    "Assessment",
    "assess",
    "assess_one",
    "assess_frame",
    "offered_level",
    "required_level",
]
