from django.urls import include, path

from lindung.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("kesehatan/", home_views.health, name="health"),
    path("akun/", include("lindung.accounts.urls")),
    path("program/", include("lindung.programs.urls")),
    path("aturan/", include("lindung.rules.urls")),
    path("wilayah/", include("lindung.regions.urls")),
    path("pekerja/", include("lindung.workers.urls")),
    path("usulan/", include("lindung.intake.urls")),
    # The register's pages keep the paths they had inside verification.
    path("verifikasi/register/", include("lindung.register.urls")),
    path("verifikasi/", include("lindung.verification.urls")),
    path("kepesertaan/", include("lindung.enrollment.urls")),
    path("iuran/", include("lindung.billing.urls")),
    path("klaim/", include("lindung.claims.urls")),
    path("pemantauan/", include("lindung.monitoring.urls")),
    path("privasi/", include("lindung.privacy.urls")),
    # The public status check: no login (lindung.enrollment.views.public).
    path("cek/", include("lindung.enrollment.public_urls")),
]

handler400 = "lindung.common.views.bad_request"
handler403 = "lindung.common.views.forbidden"
handler404 = "lindung.common.views.not_found"
handler500 = "lindung.common.views.server_error"
