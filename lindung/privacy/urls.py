from django.urls import path

from lindung.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("laporan/", views.report, name="report"),
    path("pembatasan/", views.restrict, name="restrict"),
    path("pembatasan/<int:pk>/cabut/", views.lift, name="lift"),
]
