from django.urls import path

from lindung.verification import views

app_name = "verification"
urlpatterns = [
    path("", views.index, name="index"),
    path("program/<int:pk>/", views.program_page, name="program"),
    path("program/<int:pk>/jalankan/", views.run_start, name="run_start"),
    path("program/<int:pk>/padanan/", views.matches, name="matches"),
    path("program/<int:pk>/padanan/terima-semua/", views.matches_bulk, name="matches_bulk"),
    path("program/<int:pk>/ganda/", views.duplicates, name="duplicates"),
    path("program/<int:pk>/hasil/", views.results, name="results"),
    path("proses/<int:pk>/", views.run_status, name="run"),
    path("proses/<int:pk>/ganda/<int:group>/", views.duplicate_decide, name="duplicate_decide"),
    path("padanan/<int:pk>/", views.match_decide, name="match_decide"),
    path("padanan/<int:pk>/batal/", views.match_undo, name="match_undo"),
    path("ambang/", views.policy, name="policy"),
    path("mutu-data/", views.scorecard, name="scorecard"),
]
