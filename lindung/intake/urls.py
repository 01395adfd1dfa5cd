from django.urls import path

from lindung.intake.views import entry, feedback, jobs, submissions, uploads

app_name = "intake"
urlpatterns = [
    path("", submissions.submission_list, name="list"),
    path("unggah/", uploads.upload, name="upload"),
    path("tambah/", entry.entry, name="entry"),
    path("tambah/periksa/", entry.entry_check, name="entry_check"),
    path("template/<int:program_pk>/", uploads.template_download, name="template"),
    path("berkas/<int:pk>/kolom/", uploads.mapping, name="mapping"),
    path("berkas/<int:pk>/proses/", jobs.file_job, name="file_job"),
    path("proses/<int:pk>/", jobs.job, name="job"),
    path("proses/<int:pk>/ulang/", jobs.job_restart, name="job_restart"),
    path("<int:pk>/", submissions.submission_detail, name="detail"),
    path("<int:pk>/proses/", jobs.submission_job, name="submission_job"),
    path("<int:pk>/serahkan/", submissions.submit, name="submit"),
    path("<int:pk>/hapus/", submissions.delete, name="delete"),
    path("<int:pk>/verifikasi/", submissions.start_verification, name="start_verification"),
    path("<int:pk>/umpan-balik/", feedback.feedback_download, name="feedback"),
    path("<int:pk>/perbaikan/", uploads.replace_upload, name="replace"),
    path("umpan-balik/<int:pk>/", feedback.feedback_export, name="feedback_export"),
    path("umpan-balik/<int:pk>/unduh/", feedback.feedback_export_file, name="feedback_export_file"),
    path("baris/<int:pk>/", submissions.row_view, name="row"),
    path("baris/<int:pk>/ubah/", submissions.row_edit, name="row_edit"),
]
