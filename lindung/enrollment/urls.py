from django.urls import path

from lindung.enrollment.views import allocation, bpjs, lifecycle, participants, proposals

app_name = "enrollment"

urlpatterns = [
    # Allocation: capacity, what-ifs, proposals, renewal.
    path("alokasi/", allocation.simulation, name="allocation"),
    path("alokasi/ajukan/", allocation.propose, name="allocation_propose"),
    path("alokasi/perpanjangan/", allocation.renewal, name="renewal"),
    # Maker–checker: proposals, approval, documents.
    path("usulan/", proposals.proposal_list, name="proposal_list"),
    path("usulan/<int:pk>/", proposals.allocation_detail, name="allocation_detail"),
    path("usulan/<int:pk>/setujui/", proposals.allocation_approve, name="allocation_approve"),
    path("usulan/<int:pk>/kembalikan/", proposals.allocation_return, name="allocation_return"),
    path("program/<int:pk>/isi-slot/", proposals.refill_propose, name="refill_propose"),
    path(
        "usulan/<int:pk>/unduh/<slug:kind>/",
        proposals.allocation_download,
        name="allocation_download",
    ),
    # The BPJS exchange.
    path("bpjs/", bpjs.index, name="bpjs"),
    path("bpjs/kirim/", bpjs.export_create, name="bpjs_export"),
    path("bpjs/kirim/<int:pk>/unduh/", bpjs.export_download, name="bpjs_download"),
    path("bpjs/unggah/", bpjs.upload, name="bpjs_upload"),
    path("bpjs/impor/<int:pk>/", bpjs.import_detail, name="bpjs_import"),
    # The lifecycle of an enrolment.
    path("peserta/<int:pk>/akhiri/", lifecycle.enrolment_end, name="enrolment_end"),
    # Participants register, history and cards
    path("peserta/", participants.participant_list, name="participant_list"),
    path("peserta/kartu/", participants.participant_cards, name="participant_cards"),
    path("peserta/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("peserta/<int:pk>/kartu/", participants.participant_card, name="participant_card"),
]
