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
    path("registration/<str:token>/travel/", views.travel, name="travel"),
]
