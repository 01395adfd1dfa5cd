from django.urls import path

from lindung.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("tambah/<slug:kind>/", views.rule_version_add, name="add"),
]
