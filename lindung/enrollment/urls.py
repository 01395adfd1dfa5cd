from django.urls import path

from lindung.enrollment.views import allocation

app_name = "enrollment"

urlpatterns: list = [  # type: ignore[type-arg]
    path("alokasi/", allocation.simulation, name="allocation"),
    path("alokasi/ajukan/", allocation.propose, name="allocation_propose"),
    path("alokasi/perpanjangan/", allocation.renewal, name="renewal"),
    path("usulan/<int:pk>/", allocation.allocation_detail, name="allocation_detail"),
]
