"""What the frameworks' charts and explorers share: offline rendering, colours, the explorer base.

Examples
--------
>>> from b4b_kit import ui
>>> ui.enable_offline("static")
"""

from .render import enable_offline, to_svg

__all__ = ["enable_offline", "to_svg"]
