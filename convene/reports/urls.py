from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("action-plans/", views.action_plan_list, name="action_plans"),
    path("partners/<slug:code>/", views.partner_detail, name="partner"),
]
