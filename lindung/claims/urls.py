from django.urls import path

from lindung.claims import views, views_files, views_reports

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("lapor/", views.claim_find, name="find"),
    path("lapor/<int:enrolment>/", views.claim_report, name="report"),
    path("laporan/", views_reports.benefits_report, name="benefits"),
    path(
        "laporan/unduh/<str:kind>/",
        views_reports.benefits_report_download,
        name="benefits_download",
    ),
    path("ahli-waris/<int:pk>/hapus/", views_files.heir_remove, name="heir_remove"),
    path("dokumen/<int:pk>/unduh/", views_files.document_download, name="document_download"),
    path("dokumen/<int:pk>/hapus/", views_files.document_remove, name="document_remove"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/ahli-waris/", views_files.heir_add, name="heir_add"),
    path("<int:pk>/dokumen/", views_files.document_upload, name="document_upload"),
    path("<int:pk>/dokumen/tidak-perlu/", views_files.document_waive, name="document_waive"),
    path("<int:pk>/<str:to>/", views.claim_advance, name="advance"),
]
