from django.urls import path

app_name = "billing"

urlpatterns: list = []  # type: ignore[type-arg]

# Budget, arrears and money reports.
from lindung.billing.views import budget as budget_views  # noqa: E402

urlpatterns += [
    path("anggaran/", budget_views.budget_page, name="budget"),
    path("anggaran/<int:pk>/ubah/", budget_views.budget_revise, name="budget_revise"),
    path("tunggakan/", budget_views.arrears_page, name="arrears"),
    path("laporan/unduh/<slug:kind>/", budget_views.report_download, name="report_download"),
]

# Reconciliation with BPJS's bill.
from lindung.billing import reconcile_views  # noqa: E402

urlpatterns += [
    path("rekonsiliasi/", reconcile_views.reconcile_index, name="reconcile"),
    path("rekonsiliasi/<int:pk>/", reconcile_views.reconcile_detail, name="reconcile_detail"),
    path(
        "rekonsiliasi/baris/<int:pk>/selesaikan/",
        reconcile_views.reconcile_resolve,
        name="reconcile_resolve",
    ),
]
