"""The services portfolio: traditional service lines and the new optimize and outcome services (TSIA, 2013).

This framework's home. Its parts:

* ``model`` — classify a service catalogue from the signals in the framework file; the mix over
  the years; overlapping legacy lines;
* ``sample_data`` — the ``service_catalogue`` and ``service_revenue`` datasets;
* ``charts`` and ``widgets`` — the mix and signal charts and
  :class:`~b4b_kit.services_portfolio.widgets.ServicePortfolioExplorer`.

Elsewhere under the same name: ``frameworks/data/services_portfolio.yaml``, the lesson
``notebooks/03_services_portfolio.ipynb``, the exercises ``03_services_portfolio``, and the case
study ``services_mix``.

Examples
--------
>>> from b4b_kit.services_portfolio import model
>>> model.classify_one({"acts_on": "operations", "activity": "monitor"}).portfolio
'optimize_services'
"""
