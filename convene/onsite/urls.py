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
    # Opened by the QR code of a visa support letter: public, no personal link needed.
    path("letters/verify/<str:code>/", views.verify_visa_letter, name="verify_visa_letter"),
]
