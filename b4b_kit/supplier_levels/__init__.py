"""Supplier levels and the two Power Lines (B4B, chapter 4).

This framework's home. Its parts:

* ``model`` — required level, offered level and mismatch, for one product-market or a table;
* ``sample_data`` — the synthetic ``supplier_portfolio`` dataset;
* ``charts`` — the staircase and the portfolio map;
* ``widgets`` — :class:`~b4b_kit.supplier_levels.widgets.SupplierLevelExplorer`.

Elsewhere under the same name: the framework file ``frameworks/data/supplier_levels.yaml``,
the lesson ``notebooks/01_supplier_levels.ipynb``, the exercises ``exercises/01_supplier_levels.ipynb``
with the bank ``exercise_data/01_supplier_levels.yaml``, and the case study ``goldilocks_portfolio``.

Examples
--------
>>> from b4b_kit.supplier_levels import model
>>> model.required_level(0.9, 0.2, 0.3, 0.5)
2
"""
