"""The budget page, the budget revision form, the arrears list, the report downloads and the
unpaid-contribution alerts on the home pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from lindung.audit.models import AuditEvent
from lindung.billing.models import BudgetRevision
from tests.billing.money_rows import bill, pay
from tests.conftest import client_for
from tests.factories import EnrolmentFactory, FundingSourceFactory, ProgramFactory, UserFactory


def _month(offset: int) -> dt.date:
    today = timezone.localdate().replace(day=1)
    index = today.year * 12 + today.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def running(pemda):
    """A program of this year (12 months from 2 months ago) with 3 participants of APBD
    money; the month before last is paid, last month is not."""
    first = _month(-2)
    program = ProgramFactory(pemda=pemda, start_month=first, year=first.year, coverage_months=12)
    source = FundingSourceFactory(program=program, code="apbd", name="APBD Kab", amount=10_000_000)
    people = [EnrolmentFactory(program=program, funding_source=source) for _ in range(3)]
    bill(source, first, people, each=16_800)
    pay(source, [first], paid_on=first.replace(day=10), amount=50_400)
    return program, source


def test_finance_sees_the_budget_page_with_the_chart_data(running, finance) -> None:
    program, _source = running
    response = client_for(finance).get(reverse("billing:budget"), {"program": program.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "chart-4.6.2.umd.min.js" in html
    assert 'id="burn-down-data"' in html
    assert f'href="{reverse("billing:budget")}"' in html  # the nav item
    data = json.loads(html.split('id="burn-down-data" type="application/json">')[1].split("<")[0])
    # 10.000.000 − 3 × 16.800 = 9.949.600 after the first month.
    assert data["left"][0] == 9_949_600


def test_an_operator_may_not_see_the_budget(running, operator) -> None:
    assert client_for(operator).get(reverse("billing:budget")).status_code == 403


def test_finance_revises_the_budget_from_the_page(running, finance) -> None:
    _program, source = running
    response = client_for(finance).post(
        reverse("billing:budget_revise", args=[source.pk]),
        {"amount": "12.500.000", "effective_on": _month(0).isoformat(), "note": "APBD-P"},
        follow=True,
    )
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.amount == 12_500_000
    assert "10.000.000" in response.content.decode()  # the old amount in the history


def test_a_bad_amount_is_a_message_not_an_error(running, finance) -> None:
    _program, source = running
    response = client_for(finance).post(
        reverse("billing:budget_revise", args=[source.pk]),
        {"amount": "banyak", "effective_on": _month(0).isoformat(), "note": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert not BudgetRevision.objects.exists()
    assert "Tulis pagu dalam rupiah" in response.content.decode()


def test_the_leader_reads_the_budget_but_may_not_revise_it(running, pemda) -> None:
    leader = UserFactory(pemda=pemda, role="leader")
    _program, source = running
    client = client_for(leader)
    assert client.get(reverse("billing:budget")).status_code == 200
    response = client.post(
        reverse("billing:budget_revise", args=[source.pk]),
        {"amount": "1", "effective_on": _month(0).isoformat(), "note": "x"},
    )
    assert response.status_code == 403


def test_the_arrears_list_shows_last_months_unpaid_bill(running, verifier) -> None:
    program, _source = running
    response = client_for(verifier).get(reverse("billing:arrears"), {"program": program.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert _month(-1).strftime("%m-%Y") in html
    assert "Lewat jatuh tempo" in html


def test_the_recap_and_the_arrears_list_download_and_are_audited(running, finance) -> None:
    program, _source = running
    client = client_for(finance)
    recap = client.get(
        reverse("billing:report_download", args=["recap_xlsx"]), {"program": program.pk}
    )
    assert recap.status_code == 200
    assert "attachment" in recap["Content-Disposition"]
    arrears = client.get(
        reverse("billing:report_download", args=["arrears_xlsx"]), {"program": program.pk}
    )
    assert arrears.status_code == 200
    kinds = set(
        AuditEvent.objects.filter(action="billing.report_downloaded").values_list(
            "changes__kind", flat=True
        )
    )
    assert kinds == {"recap_xlsx", "arrears_xlsx"}


def test_an_unknown_report_is_a_message(running, finance) -> None:
    program, _source = running
    response = client_for(finance).get(
        reverse("billing:report_download", args=["semua"]), {"program": program.pk}, follow=True
    )
    assert response.status_code == 200
    assert "Jenis laporan tidak dikenal" in response.content.decode()


@pytest.mark.parametrize("role", ["finance", "admin", "verifier", "approver"])
def test_home_warns_finance_and_the_disnaker_of_unpaid_months(running, pemda, role) -> None:
    user = UserFactory(pemda=pemda, role=role)
    html = client_for(user).get(reverse("home")).content.decode()
    assert "belum dibayar, jatuh tempo" in html
    assert "sumber apbd" in html
    assert "(3 peserta)" in html
    assert reverse("billing:arrears") in html


def test_home_turns_red_at_two_unpaid_months(pemda, finance) -> None:
    first = _month(-3)
    program = ProgramFactory(pemda=pemda, start_month=first, year=first.year, coverage_months=12)
    source = FundingSourceFactory(program=program, code="add")
    EnrolmentFactory(program=program, funding_source=source)
    pay(source, [first], paid_on=first.replace(day=10), amount=16_800)
    html = client_for(finance).get(reverse("home")).content.decode()
    assert "msg-error" in html
    assert "hak JKK/JKM berakhir setelah 3 bulan" in html
    assert "bulan belum dibayar." in html  # one line for the source, with its months
    assert html.count("belum dibayar, jatuh tempo") == 1


def test_the_operator_home_shows_no_money_alert(running, operator) -> None:
    html = client_for(operator).get(reverse("home")).content.decode()
    assert "belum dibayar, jatuh tempo" not in html
