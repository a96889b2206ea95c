"""The supplier-level explorer: a product-market's traits and a supplier's offer in, the verdict out.

Examples
--------
>>> ex = SupplierLevelExplorer()
>>> ex.assessment.mismatch
'under_served'
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..frameworks import get
from ..ui.explorer import ChartView, Controls, Explorer
from . import charts
from .model import TRAITS, VARIANT_LABELS, Assessment, assess_one, ladder, offer_elements

# The wireless printer of B4B chapter 4: hard to set up, sold make-sell-ship.
PRINTER_MAKER = {
    "traits": {"mastery_difficulty": 0.8, "customer_capability": 0.2,
               "outcome_variability": 0.3, "outcome_criticality": 0.4},
    "offer": {"standard_reliable_product"},
}


def _trait_label(trait_id: str) -> str:
    return next(it.name for it in get("supplier_levels").lists["traits"] if it.id == trait_id)


class SupplierLevelExplorer(Explorer):
    """Sliders for a product-market's traits, checkboxes for the supplier's offer, a live verdict.

    Parameters
    ----------
    traits : dict, optional
        Starting trait values (0-1); default: the printer maker of chapter 4.
    offer : set of str, optional
        Starting offer elements.

    Examples
    --------
    >>> ex = SupplierLevelExplorer()
    >>> ex.assessment.mismatch
    'under_served'
    >>> ex.checkboxes["tailored_product"].value = True
    >>> ex.checkboxes["implementation_and_maintenance"].value = True
    >>> ex.assessment.mismatch
    'matched'
    """

    def __init__(self, traits: dict | None = None, offer: set[str] | None = None):
        traits = {**PRINTER_MAKER["traits"], **(traits or {})}
        offer = PRINTER_MAKER["offer"] if offer is None else set(offer)
        fw = get("supplier_levels")
        controls = Controls()
        self.sliders = {t: controls.slider(traits[t], 0, 1, 0.05, _trait_label(t)) for t in TRAITS}
        self.checkboxes = {
            e: controls.checkbox(e in offer, f"L{fw.group_of(e).number}: {fw.element(e).name}")
            for level in offer_elements() for e in level
        }
        self.verdict = w.HTML()
        self.verdict.add_class("b4b-verdict")
        self.chart = ChartView()
        super().__init__([
            w.HTML("<b>Product-market</b> (0 = low, 1 = high)"),
            *self.sliders.values(),
            w.HTML("<b>What the supplier offers</b> (Supplier Offer Power)"),
            w.GridBox(list(self.checkboxes.values()),
                      layout=w.Layout(grid_template_columns="repeat(2, 22em)")),
            self.verdict,
            self.chart,
        ], watch=[*self.sliders.values(), *self.checkboxes.values()], message=self.verdict)

    def compute(self) -> Assessment:
        return assess_one(**{t: s.value for t, s in self.sliders.items()},
                          offer={e for e, box in self.checkboxes.items() if box.value})

    @property
    def assessment(self) -> Assessment:
        """The :class:`~b4b_kit.supplier_levels.model.Assessment` for the controls' current values."""
        return self.compute()

    def show(self, result: Assessment) -> None:
        variant = (f" &nbsp; <b>Variant:</b> {VARIANT_LABELS[result.variant]}"
                   if result.variant != "none" else "")
        self.verdict.value = (
            f"<p><b>Required level:</b> {result.required_level} &nbsp; <b>Offered level:</b> "
            f"{result.offered_level} &nbsp; <b>Promised level:</b> {result.promised_level}{variant}</p>"
            f"<p class='b4b-verdict-text'>{html.escape(result.verdict)}</p>"
        )
        self.chart.chart = charts.staircase(ladder(result))
