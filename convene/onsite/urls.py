from django.urls import path

from . import views

app_name = "onsite"

urlpatterns = [
    # Beside the personal page (registrations:personal), opened by the same link.
    path(
        "registration/<str:token>/confirmation.pdf",
        views.confirmation_download,
        name="confirmation_download",
    ),
    path(
        "registration/<str:token>/funding/",
        views.personal_funding_request,
        name="personal_funding_request",
    ),
    path(
        "focal-point/meetings/<slug:slug>/funding/",
        views.focal_point_funding_request,
        name="focal_point_funding_request",
    ),
    path("registration/<str:token>/passport/", views.passport_entry, name="passport_entry"),
    # Opened by the QR code of a visa support letter: public, no personal link needed.
    path("letters/verify/<str:code>/", views.verify_visa_letter, name="verify_visa_letter"),
    path("registration/<str:token>/travel/", views.travel, name="travel"),
]

# The check-in page at the door, its roster, its sync endpoint and its service worker
# (served under the page's path so that its scope covers the page: see checkin_worker).
urlpatterns += [
    path("meetings/<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("meetings/<slug:slug>/check-in/roster.json", views.checkin_roster, name="checkin_roster"),
    path("meetings/<slug:slug>/check-in/sync/", views.checkin_sync, name="checkin_sync"),
    path("meetings/<slug:slug>/check-in/sw.js", views.checkin_worker, name="checkin_worker"),
]

# Attendance: the live panel, its figures (fetched every 15 s) and the day's sheet.
urlpatterns += [
    path("meetings/<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("meetings/<slug:slug>/attendance/<str:day>/", views.attendance, name="attendance_day"),
    path(
        "meetings/<slug:slug>/attendance/<str:day>/figures/",
        views.attendance_figures,
        name="attendance_figures",
    ),
    path(
        "meetings/<slug:slug>/attendance/<str:day>/sheet.pdf",
        views.attendance_sheet,
        name="attendance_sheet",
    ),
    # Certificates of attendance: beside the personal page, and their public check.
    path(
        "registration/<str:token>/certificate.pdf",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "certificates/verify/<str:code>/",
        views.verify_certificate,
        name="verify_certificate",
    ),
]

# The desk's walk-ins, beside the check-in page (the Secretariat only).
urlpatterns += [
    path("meetings/<slug:slug>/check-in/walk-in/", views.walk_in, name="walk_in"),
]
