from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("good-practices/", views.practice_library, name="good_practices"),
    path("good-practices/<int:pk>/", views.detail, name="good_practice"),
    path(
        "good-practices/<int:pk>/attachment/",
        views.attachment,
        name="good_practice_attachment",
    ),
    path(
        "meetings/<slug:slug>/good-practices/new/",
        views.submit_as_focal_point,
        name="good_practice_submit",
    ),
    path(
        "registration/<str:token>/good-practice/",
        views.submit_as_delegate,
        name="good_practice_submit_delegate",
    ),
]
