from django.urls import path

from lindung.monitoring import views, views_evidence, views_workforce

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unduh/<str:chart>.<str:fmt>", views.chart_download, name="download"),
    path("laporan/<str:kind>.<str:fmt>", views.report_download, name="report"),
    path("jumlah-pekerja/", views_workforce.workforce, name="workforce"),
    path("jumlah-pekerja/target/", views_workforce.target_set, name="target"),
    path("paket-bukti/", views_evidence.evidence_packs, name="evidence_packs"),
    path("paket-bukti/<int:pk>/", views_evidence.evidence_pack, name="evidence_pack"),
    path(
        "paket-bukti/<int:pk>/unduh/", views_evidence.evidence_pack_file, name="evidence_pack_file"
    ),
]
