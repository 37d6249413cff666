# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from ketentafel.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/tweede-factor/", views.verify, name="verify"),
    path("login/tweede-factor/instellen/", views.setup, name="setup"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("rollen/bevestigen/", views.RoleConfirmListView.as_view(), name="role-confirm"),
    path(
        "rollen/bevestigen/<int:house_role_id>/",
        views.RoleDecideView.as_view(),
        name="role-decide",
    ),
]
