"""The demo year's money (`lindung.demo.money`), made on 02-06-2025: bills January–May, SP2D
payments on the 10th (March paid late, on the 20th), May unpaid, and BPJS's May bill
reconciled with its three planted differences, the deceased disputed."""

from __future__ import annotations

import datetime as dt

import time_machine

from lindung.accounts.models import User
from lindung.audit.models import AuditEvent
from lindung.billing.models import Bill, BpjsBill, BpjsBillLine, Payment
from lindung.billing.paidup import arrears_alerts
from lindung.programs.models import Program

MONTHS = [dt.date(2025, m, 1) for m in range(1, 6)]
PREMIUM = 16_800  # JKK + JKM at the Rp 1 juta band


def test_keuangan_billed_january_to_may_and_paid_every_month_but_may(demo):
    program = Program.objects.get()
    apbd = Bill.objects.filter(program=program, funding_source__code="apbd").order_by("month")

    assert list(Bill.objects.values_list("month", flat=True).distinct().order_by("month")) == MONTHS
    # 22.480 roster participants + 18 new ones from January; one of them died on 14-04-2025,
    # so May holds 22.497: 22.498 × Rp 16.800 = Rp 377.966.400, 22.497 × 16.800 = 377.949.600.
    assert [(b.participants, b.total) for b in apbd] == [(22_498, 377_966_400)] * 4 + [
        (22_497, 377_949_600)
    ]
    assert all(b.generated_by.username == "keuangan" for b in apbd)
    payments = list(Payment.objects.filter(program=program).order_by("paid_on"))
    assert [(p.sp2d_number, p.paid_on, p.months, p.amount) for p in payments] == [
        ("SP2D-0001/BPKAD/2025", dt.date(2025, 1, 10), ["2025-01"], 377_966_400),
        ("SP2D-0002/BPKAD/2025", dt.date(2025, 2, 10), ["2025-02"], 377_966_400),
        ("SP2D-0003/BPKAD/2025", dt.date(2025, 3, 20), ["2025-03"], 377_966_400),  # late
        ("SP2D-0004/BPKAD/2025", dt.date(2025, 4, 10), ["2025-04"], 377_966_400),
    ]
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 4


def test_may_unpaid_raises_the_amber_alert_on_the_keuangan_home(demo, client):
    program = Program.objects.get()

    alerts = arrears_alerts(program=program, as_of=dt.date(2025, 6, 2))

    assert [(a.source.source.code, a.month.month, a.red) for a in alerts] == [
        ("apbd", dt.date(2025, 5, 1), False)
    ]
    client.force_login(User.objects.get(username="keuangan"))
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        home = client.get("/").content.decode()
    warning = home[home.index('id="peringatan-iuran"') :]
    assert 'class="msg msg-warning" role="alert"' in warning
    assert "msg-error" not in warning[: warning.index("</section>")]


def test_bpjs_may_bill_is_reconciled_with_the_planted_differences_one_disputed(demo):
    reconciled = BpjsBill.objects.get()
    differences = BpjsBillLine.objects.filter(bpjs_bill=reconciled).exclude(outcome="matched")

    assert reconciled.month == dt.date(2025, 5, 1)
    # Our 22.497 lines: the first missing from theirs, the second at half (relief wrongly
    # applied to APBD money: Rp 8.400), the rest matched; the deceased still billed by them.
    assert reconciled.counts == {
        "matched": 22_495,
        "missing_from_bpjs": 1,
        "not_ours": 0,
        "amount_differs": 1,
        "ended_still_billed": 1,
    }
    differs = differences.get(outcome="amount_differs")
    assert (differs.amount_ours, differs.amount_theirs) == (PREMIUM, 8_400)
    assert reconciled.total_ours == 377_949_600
    # 22.495 × 16.800 = 377.916.000, + 8.400 (relief) + 16.800 (the deceased) = 377.941.200.
    assert reconciled.total_theirs == 377_941_200
    resolved = differences.exclude(resolution="")
    assert [(r.outcome, r.resolution, r.resolved_by.username) for r in resolved] == [
        ("ended_still_billed", "disputed", "keuangan")
    ]
    assert resolved.get().resolution_note
