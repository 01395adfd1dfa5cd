"""The public status check, outside the staff pages (`/cek/`)."""

from django.urls import path

from lindung.enrollment.views import public

app_name = "cek"
urlpatterns = [
    path("", public.public_check_view, name="check"),
    path("gambar.png", public.captcha_image, name="captcha"),
]
