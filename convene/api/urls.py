from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .registrations import MeetingRegistrations

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "meetings/<slug:slug>/registrations/",
        MeetingRegistrations.as_view(),
        name="meeting_registrations",
    ),
]
