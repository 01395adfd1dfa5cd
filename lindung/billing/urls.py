from django.urls import path

from lindung.billing import reconcile_views

app_name = "billing"

urlpatterns: list = [  # type: ignore[type-arg]
    path("rekonsiliasi/", reconcile_views.reconcile_index, name="reconcile"),
    path("rekonsiliasi/<int:pk>/", reconcile_views.reconcile_detail, name="reconcile_detail"),
    path(
        "rekonsiliasi/baris/<int:pk>/selesaikan/",
        reconcile_views.reconcile_resolve,
        name="reconcile_resolve",
    ),
]
