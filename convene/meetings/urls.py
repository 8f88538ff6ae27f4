from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
    path("meetings/<slug:slug>/calendar.ics", views.meeting_calendar_file, name="calendar"),
]
