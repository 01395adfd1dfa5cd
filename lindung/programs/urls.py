from django.urls import path

from lindung.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("baru/", views.program_form, name="create"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/ubah/", views.program_form, name="edit"),
    path("<int:pk>/dana/", views.funding_source_add, name="funding_add"),
    path(
        "<int:pk>/dana/<int:source_pk>/hapus/", views.funding_source_remove, name="funding_remove"
    ),
    path("<int:pk>/kuota/", views.quota_set, name="quota_set"),
    path("<int:pk>/kuota/<int:quota_pk>/hapus/", views.quota_remove, name="quota_remove"),
    path("jenis-pekerjaan/", views.occupation_list, name="occupation_list"),
    path("jenis-pekerjaan/baru/", views.occupation_form, name="occupation_create"),
    path("jenis-pekerjaan/<int:pk>/ubah/", views.occupation_form, name="occupation_edit"),
]
