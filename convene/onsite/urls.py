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

# The desk's walk-ins, beside the check-in page (the Secretariat only).
urlpatterns += [
    path("meetings/<slug:slug>/check-in/walk-in/", views.walk_in, name="walk_in"),
]
