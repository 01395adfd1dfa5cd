from django.urls import path

from lindung.enrollment.views import participants

app_name = "enrollment"

urlpatterns: list = [  # type: ignore[type-arg]
    # Participants register, history and cards
    path("peserta/", participants.participant_list, name="participant_list"),
    path("peserta/kartu/", participants.participant_cards, name="participant_cards"),
    path("peserta/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("peserta/<int:pk>/kartu/", participants.participant_card, name="participant_card"),
]
