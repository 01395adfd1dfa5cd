from django.urls import path

from lindung.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("masuk/kode/", mfa_views.login_code, name="login_code"),
    path("dua-langkah/", mfa_views.mfa_setup, name="mfa_setup"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi-baru/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/baru/", views.agency_form, name="agency_create"),
    path("instansi/<int:pk>/ubah/", views.agency_form, name="agency_edit"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_form, name="user_create"),
    path("pengguna/<int:pk>/ubah/", views.user_form, name="user_edit"),
    path("pengguna/<int:pk>/buka-kunci/", mfa_views.user_unlock, name="user_unlock"),
    path("pengguna/<int:pk>/reset-dua-langkah/", mfa_views.user_mfa_reset, name="user_mfa_reset"),
    path("audit/", views.audit_list, name="audit_list"),
]
