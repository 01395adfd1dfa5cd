from django.urls import path

from lindung.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("lapor/", views.claim_find, name="find"),
    path("lapor/<int:enrolment>/", views.claim_report, name="report"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/<str:to>/", views.claim_advance, name="advance"),
]
