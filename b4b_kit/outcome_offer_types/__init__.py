"""Outcome offer types: consumption, KPI and financial improvement as the outcome (TSIA, 2013).

This framework's home. Its parts:

* ``pricing`` — one deal under five pricing schemes: revenue, margin and who carries the risk;
* ``level4`` — the economics of the two Level 4 offers (full automation, all-in bundle);
* ``availability`` — spare-parts stock under an availability contract (Kim, Cohen & Netessine 2007);
* ``charts`` and ``widgets`` — the scheme charts and
  :class:`~b4b_kit.outcome_offer_types.widgets.OutcomeOfferExplorer`.

Elsewhere under the same name: ``frameworks/data/outcome_offer_types.yaml``, the lesson
``notebooks/02_outcome_offer_types.ipynb``, the exercises ``02_outcome_offer_types``, and the case
studies ``pay_per_use_compute``, ``call_centre_kpi`` and ``traffic_camera_gain_share``.

Examples
--------
>>> from b4b_kit.outcome_offer_types import pricing
>>> pricing.SCHEMES[2]
'pay_per_use'
"""
