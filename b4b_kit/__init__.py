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

__version__ = "0.1.0"

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
