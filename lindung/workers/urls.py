from django.urls import path

from lindung.workers import views

app_name = "workers"
urlpatterns = [path("", views.worker_list_view, name="list")]
