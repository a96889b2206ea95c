"""The services explorer in plain pytest: choosing a service, a year or an attribute updates text and charts."""

from b4b_kit.errors import B4BError
from b4b_kit.services_portfolio import model as services
from b4b_kit.services_portfolio import widgets
from tests.helpers import DATA, chart_rows

COPY = str(DATA / "services_portfolio_with_signals.yaml")


def explorer(**kw):
    return widgets.ServicePortfolioExplorer(framework=COPY, **kw)


def test_explorer_starts_on_the_first_service_and_the_last_year():
    ex = explorer()
    assert ex.classification.category == "support_services"
    assert "Category: <b>Support services</b>" in ex.verdict.value
    assert "In 2023:" in ex.mix_text.value
    assert "b4b-services-explorer" in ex._dom_classes


def test_choosing_a_year_changes_the_text_and_the_chart():
    ex = explorer()
    before = ex.mix_chart.value  # the SVG the browser shows
    ex.year.value = 2016
    assert "In 2016:" in ex.mix_text.value and "Optimize + outcome services: <b>4%</b>" in ex.mix_text.value
    assert ex.mix_chart.value != before
    assert ex.mix_chart.chart.to_dict()["encoding"]["opacity"]["condition"]["test"] == "datum.year === 2016"


def test_changing_an_attribute_reclassifies_and_moves_revenue_in_the_mix():
    ex = explorer(service_id="NW-F04", year=2023)
    assert ex.classification.category == "field_services"
    before = ex.mix_text.value
    ex.attributes["acts_on"].value = "outcome"
    ex.attributes["paid_for"].value = "outcome"
    assert ex.classification.category == "outcome_as_a_service"
    assert "(attributes changed here)" in ex.verdict.value
    assert ex.mix_text.value != before
    ex.restore.click()
    assert ex.classification.category == "field_services" and ex.mix_text.value == before


def test_choosing_a_service_shows_its_explanation():
    ex = explorer()
    ex.service.value = "NW-S02"
    assert "Uncertain</b></span>: flagged, not guessed" in ex.verdict.value
    assert "a tie at 2 signals" in ex.verdict.value
    spec = ex.scores_chart.chart.to_dict()
    statuses = chart_rows(spec)
    assert [v["status"] for v in statuses].count("tied") == 2


def test_an_error_in_a_callback_is_shown_not_raised(monkeypatch):
    ex = explorer()

    def broken(*args, **kwargs):
        raise B4BError("no mix for 2016", where="year", fix="Pick another.")

    monkeypatch.setattr(services, "year_summary", broken)
    ex.year.value = 2016
    assert "year: no mix for 2016. Pick another." in ex.mix_text.value
