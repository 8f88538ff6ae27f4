from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .checkin import CheckinDeviceDetail, CheckinRoster, CheckinScans
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

# The door's API for scanners of other makes (convene/api/checkin.py).

urlpatterns += [
    path("check-in/device/", CheckinDeviceDetail.as_view(), name="checkin_device"),
    path("check-in/roster/", CheckinRoster.as_view(), name="checkin_roster"),
    path("check-in/scans/", CheckinScans.as_view(), name="checkin_scans"),
]
