from django.urls import path

from . import views

app_name = "dialogues"

urlpatterns = [
    path("partners/", views.partner_list, name="partners"),
]
