from django.urls import path

from lindung.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unduh/<str:chart>.<str:fmt>", views.chart_download, name="download"),
]
