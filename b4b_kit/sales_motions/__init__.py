"""Sales motions: New + Renew against Land + Expand (B4B, Pivot 1).

This framework's home. Its parts:

* ``motions`` — the cohort model of both motions, the consumption pipeline, the sales-discussion
  spectrum;
* ``compensation`` — the seller's pay under four pay plans;
* ``migrations`` — product-markets moving between the four supplier levels over the years;
* ``growth`` — the Rule of 40 and TSIA's weighted version;
* ``churn`` — churn by contract type and tenure, Kaplan-Meier survival curves and revenue at risk
  (on IBM's telco customer churn sample or a file of the same columns);
* ``charts`` and ``widgets`` — revenue, NRR, pay, migration and survival charts,
  :class:`~b4b_kit.sales_motions.widgets.SalesMotionExplorer` and
  :class:`~b4b_kit.sales_motions.widgets.PayPlanExplorer`.

Elsewhere under the same name: ``frameworks/data/sales_motions.yaml``, the lesson
``notebooks/06_sales_motions.ipynb``, the exercises ``06_sales_motions`` and the case studies
``ten_consumption_deals`` and ``contract_churn``.

Examples
--------
>>> from b4b_kit.sales_motions import motions
>>> motions.MOTIONS
('New + Renew', 'Land + Expand')
"""
