from django.urls import path

from lindung.register import views

# Served under verifikasi/register/ (lindung/urls.py): the paths users know from when the
# register pages were part of verification.
app_name = "register"
urlpatterns = [
    path("", views.register, name="index"),
    path("proses/<int:pk>/", views.register_job, name="job"),
    path("proses/<int:pk>/ulang/", views.register_job_restart, name="job_restart"),
]
