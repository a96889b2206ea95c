"""The channel capability model: Channel 1.0 capabilities and symptoms, Channel 2.0, consumer-back steps.

This framework's home. Its parts:

* ``model`` — diagnose capability gaps from the symptoms a company recognises; prioritise
  innovations (consumer-back step 6) with a weighted score and the Pareto front;
* ``charts`` and ``widgets`` — the diagnosis and priority charts,
  :class:`~b4b_kit.channel_capability_model.widgets.SymptomDiagnosis` and
  :class:`~b4b_kit.channel_capability_model.widgets.InnovationPrioritiser`.

The Channel 1.0 capability questionnaire is scored by the shared engine :mod:`b4b_kit.maturity`.
Elsewhere under the same name: ``frameworks/data/channel_capability_model.yaml``, the lesson
``notebooks/05_channel_capability_model.ipynb``, the exercises ``05_channel_capability_model``,
the dataset ``tire_innovations`` and the case study ``tire_innovations``.

Examples
--------
>>> from b4b_kit.channel_capability_model import model
>>> model.CRITERIA
('business_value', 'implementation_complexity', 'delivery_credibility')
"""
