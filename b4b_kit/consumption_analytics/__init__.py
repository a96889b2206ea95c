"""Consumption analytics: purchase, deployment, consumption and outcome metrics per customer (TSIA, 2014).

This framework's home. Its parts:

* ``telemetry`` — the seeded usage-telemetry generator and schema-checked CSV/Parquet readers
  (its sample data);
* ``model`` — the four metric families per customer and month (DuckDB), the best-practice
  adoption path, customer health and the adoption-services list;
* ``charts`` and ``widgets`` — the health charts and
  :class:`~b4b_kit.consumption_analytics.widgets.CustomerHealthDashboard`.

Elsewhere under the same name: ``frameworks/data/consumption_analytics.yaml``, the lesson
``notebooks/07_consumption_analytics.ipynb``, the exercises ``07_consumption_analytics`` and the
case study ``customer_health``.

Examples
--------
>>> from b4b_kit.consumption_analytics import model
>>> model.FAMILIES
('purchase', 'deployment', 'consumption', 'outcome')
"""
