from django.urls import path

from lindung.verification.views import duplicates, matches, policy, results, runs, scorecard

app_name = "verification"
urlpatterns = [
    path("", runs.index, name="index"),
    path("program/<int:pk>/", runs.program_page, name="program"),
    path("program/<int:pk>/jalankan/", runs.run_start, name="run_start"),
    path("program/<int:pk>/padanan/", matches.matches, name="matches"),
    path("program/<int:pk>/padanan/terima-semua/", matches.matches_bulk, name="matches_bulk"),
    path("program/<int:pk>/ganda/", duplicates.duplicates, name="duplicates"),
    path("program/<int:pk>/hasil/", results.results, name="results"),
    path("proses/<int:pk>/", runs.run_status, name="run"),
    path(
        "proses/<int:pk>/ganda/<int:group>/",
        duplicates.duplicate_decide,
        name="duplicate_decide",
    ),
    path("padanan/<int:pk>/", matches.match_decide, name="match_decide"),
    path("padanan/<int:pk>/batal/", matches.match_undo, name="match_undo"),
    path("ambang/", policy.policy, name="policy"),
    path("mutu-data/", scorecard.scorecard, name="scorecard"),
]
