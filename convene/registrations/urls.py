from django.contrib.auth import views as auth_views
from django.urls import path

from convene.core.sign_in import SignInForm

from . import views

app_name = "registrations"

urlpatterns = [
    path("meetings/<slug:slug>/register/", views.register, name="register"),
    path("meetings/<slug:slug>/register/done/", views.submitted, name="submitted"),
    path("meetings/<slug:slug>/lost-link/", views.lost_link, name="lost_link"),
    path("registration/<str:token>/", views.personal, name="personal"),
    path("registration/<str:token>/verify/", views.verify, name="verify"),
    path("registrations/<slug:reference>/attachment/", views.attachment, name="attachment"),
    path("focal-point/", views.focal_point_home, name="focal_point_home"),
    path(
        "focal-point/meetings/<slug:slug>/", views.focal_point_meeting, name="focal_point_meeting"
    ),
    path(
        "focal-point/meetings/<slug:slug>/export/<str:file_format>/",
        views.focal_point_export,
        name="focal_point_export",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registrations/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
