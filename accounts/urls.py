from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.CodeView.as_view(), name="login_code"),
    path("login/enrol/", views.EnrolView.as_view(), name="login_enrol"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("cas/login/", views.CASLoginView.as_view(), name="cas_login"),
    path("second-factor/", views.SecondFactorView.as_view(), name="second_factor"),
    path(
        "second-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="second_factor_recovery",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done_page.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.local_passwords_only(auth_views.PasswordResetView).as_view(
            template_name="registration/password_reset.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        views.local_passwords_only(auth_views.PasswordResetDoneView).as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.local_passwords_only(auth_views.PasswordResetConfirmView).as_view(
            template_name="registration/password_reset_new.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.local_passwords_only(auth_views.PasswordResetCompleteView).as_view(
            template_name="registration/password_reset_finished.html"
        ),
        name="password_reset_complete",
    ),
]
