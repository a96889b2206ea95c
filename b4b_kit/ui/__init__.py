"""What the frameworks' charts and explorers share: offline rendering, colours, tables, the explorer base.

Examples
--------
>>> from b4b_kit import ui
>>> ui.enable_offline("static")
"""

from .render import enable_offline, to_svg
from .tables import table

__all__ = ["enable_offline", "table", "to_svg"]
