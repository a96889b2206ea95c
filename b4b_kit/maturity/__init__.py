"""The questionnaire engine that scores any maturity or capability framework file.

Shared by two frameworks, so it sits above them: the value maturity model
(levels) and the channel capability model (areas). Its parts follow the
frameworks' pattern: ``model`` (the scoring rules), ``sample_data``
(synthetic respondents), ``charts`` and ``widgets`` (the questionnaire).

Examples
--------
>>> from b4b_kit import maturity
>>> maturity.level_range("value_maturity_model")
(0, 5)
"""

from .model import (
    MAX_HEATMAP_CELLS,
    OVERALL,
    RESPONDENT,
    RULES,
    Maturity,
    Scale,
    answers_table,
    assess_frame,
    assess_one,
    criterion_ids,
    dimensions,
    distribution,
    figures,
    gaps,
    heatmap_table,
    level_range,
    questionnaire,
    to_csv,
    wide_answers,
)
from .sample_data import simulate_answers

__all__ = ["MAX_HEATMAP_CELLS", "OVERALL", "RESPONDENT", "RULES", "Maturity", "Scale", "answers_table",
           "assess_frame", "assess_one", "criterion_ids", "dimensions", "distribution", "figures", "gaps",
           "heatmap_table", "level_range", "questionnaire", "simulate_answers", "to_csv", "wide_answers"]
