"""The customer-health dashboard's callbacks in plain pytest: controls fire their observers."""

import pytest

from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.consumption_analytics import widgets
from b4b_kit.errors import B4BError
from tests.consumption_analytics.test_model import hand_telemetry
from tests.helpers import chart_rows


@pytest.fixture
def board():
    return widgets.CustomerHealthDashboard(analytics.analyse(hand_telemetry()))


def test_starts_on_the_top_of_the_adoption_services_list(board):
    assert board.picker.value == 1  # Acme, at risk, the only customer on the list
    assert [label for label, _ in board.picker.options] == ["Acme", "Bolt"]
    assert "at risk" in board.verdict.value and "Next feature to push: Beta" in board.verdict.value
    assert "b4b-health" in board.verdict._dom_classes and "b4b-health-dashboard" in board._dom_classes
    assert "<table class='b4b-health-table'>" in board.verdict.value


def test_picking_another_customer_changes_verdict_and_chart(board):
    before = chart_rows(board, every=True)
    board.picker.value = 2
    assert board.health.customer == "Bolt"
    assert "Bolt, month 1 since land (2024-03): ready to expand." in board.verdict.value
    assert chart_rows(board, every=True) != before


def test_a_gentler_path_changes_the_verdict(board):
    board.full_adoption.value = 0.4
    board.ramp_months.value = 12
    assert board.health.expected_adoption == pytest.approx(0.4 * 3 / 12)
    assert "path: 10%" in board.verdict.value


def test_a_bad_input_shows_a_message_not_a_traceback(board, monkeypatch):
    def broken(*args, **kwargs):
        raise B4BError("no customer 'X'", where="customer", fix="Pick one from the list.")

    monkeypatch.setattr(analytics, "path_comparison", broken)
    board.picker.value = 2
    assert "customer: no customer" in board.verdict.value and "color:#a00" in board.verdict.value


def test_can_start_on_a_named_customer():
    board = widgets.CustomerHealthDashboard(analytics.analyse(hand_telemetry()), customer="Bolt")
    assert board.picker.value == 2
