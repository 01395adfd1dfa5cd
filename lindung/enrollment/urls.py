from django.urls import path

from lindung.enrollment.views import allocation, proposals

app_name = "enrollment"

urlpatterns: list = [  # type: ignore[type-arg]
    path("alokasi/", allocation.simulation, name="allocation"),
    path("alokasi/ajukan/", allocation.propose, name="allocation_propose"),
    path("alokasi/perpanjangan/", allocation.renewal, name="renewal"),
]

# Maker–checker: proposals, approval, documents.
urlpatterns += [
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
]
