from django.urls import path

from lindung.enrollment.views import bpjs, lifecycle

app_name = "enrollment"

urlpatterns = [
    path("bpjs/", bpjs.index, name="bpjs"),
    path("bpjs/kirim/", bpjs.export_create, name="bpjs_export"),
    path("bpjs/kirim/<int:pk>/unduh/", bpjs.export_download, name="bpjs_download"),
    path("bpjs/unggah/", bpjs.upload, name="bpjs_upload"),
    path("bpjs/impor/<int:pk>/", bpjs.import_detail, name="bpjs_import"),
    path("peserta/<int:pk>/akhiri/", lifecycle.enrolment_end, name="enrolment_end"),
]
