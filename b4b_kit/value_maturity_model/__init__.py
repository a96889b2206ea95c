"""The Value Maturity Model: five provider levels, technology-driven to business-driven.

This framework's home. It has no model code of its own: its questionnaire is
scored by the shared engine :mod:`b4b_kit.maturity` (which the channel
capability model uses too), with that engine's charts and
:class:`~b4b_kit.maturity.widgets.MaturityQuestionnaire`.

Elsewhere under the same name: ``frameworks/data/value_maturity_model.yaml`` (levels 1-3 and 5
are marked as the kit's own reading), the lesson ``notebooks/04_value_maturity_model.ipynb``,
the exercises ``04_value_maturity_model``, the dataset ``whitebox_answers`` and the case study
``whitebox_level4``.

Examples
--------
>>> from b4b_kit import framework
>>> framework("value_maturity_model").level(4).name
'Customer-driven'
"""

FRAMEWORK = "value_maturity_model"
