from django.urls import path

from .views import healthz, register

urlpatterns = [path("meetings/<int:meeting_id>/registrations/", register), path("healthz", healthz)]
