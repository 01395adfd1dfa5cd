from django.urls import path

from lindung.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("unggah/", views.upload, name="upload"),
    path("tambah/", views.entry, name="entry"),
    path("tambah/periksa/", views.entry_check, name="entry_check"),
    path("template/<int:program_pk>/", views.template_download, name="template"),
    path("berkas/<int:pk>/kolom/", views.mapping, name="mapping"),
    path("berkas/<int:pk>/proses/", views.file_job, name="file_job"),
    path("proses/<int:pk>/", views.job, name="job"),
    path("proses/<int:pk>/ulang/", views.job_restart, name="job_restart"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("<int:pk>/proses/", views.submission_job, name="submission_job"),
    path("<int:pk>/serahkan/", views.submit, name="submit"),
    path("<int:pk>/hapus/", views.delete, name="delete"),
    path("<int:pk>/verifikasi/", views.start_verification, name="start_verification"),
    path("<int:pk>/umpan-balik/", views.feedback_download, name="feedback"),
    path("<int:pk>/perbaikan/", views.replace_upload, name="replace"),
    path("umpan-balik/<int:pk>/", views.feedback_export, name="feedback_export"),
    path("umpan-balik/<int:pk>/unduh/", views.feedback_export_file, name="feedback_export_file"),
    path("baris/<int:pk>/", views.row_view, name="row"),
    path("baris/<int:pk>/ubah/", views.row_edit, name="row_edit"),
]
