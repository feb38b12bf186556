from django.contrib.auth import views as auth_views
from django.urls import path

from approdi.core.permissions import allow_unverified

from . import network_setup_views, sso_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", allow_unverified(views.SignInView.as_view()), name="login"),
    path("sso/start/", sso_views.start, name="oidc_start"),
    path("sso/callback/", sso_views.callback, name="oidc_callback"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("logout/", views.sign_out, name="logout"),
    path("logout-everywhere/", views.sign_out_everywhere, name="logout_everywhere"),
    path("switch/", views.switch_membership, name="switch"),
    path("me/", views.my_account, name="my_account"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("me/notices/", views.notice_emails, name="notice_emails"),
    path("me/notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("users/<int:pk>/roles/add/", views.add_role, name="add_role"),
    path("grants/", views.grants, name="grants"),
    path("grants/<int:pk>/approve/", views.decide_grant, {"decision": "approve"}, name="grant_approve"),
    path("grants/<int:pk>/reject/", views.decide_grant, {"decision": "reject"}, name="grant_reject"),
    path("password-reset/", allow_unverified(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password-reset/sent/",
        allow_unverified(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        allow_unverified(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
]

# Setting the network up where memberships are touched: served under /network/ in the ``network`` namespace
# (config/urls.py), beside the network's own set-up pages.
network_urlpatterns = [
    path("programmes/new/", network_setup_views.new_edition, name="new_edition"),
    path("organisations/", network_setup_views.organisation_page, name="organisations"),
]
