from django.urls import path

from .views import practices, proposals, public

app_name = "labels"

urlpatterns = [
    # Proposals for the label (focal points and the Secretariat).
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("proposals/<slug:reference>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<slug:reference>/edit/", proposals.proposal_edit, name="proposal_edit"),
    # What the Dialogue sees.
    path("labels/", public.label_catalogue, name="catalogue"),
    path("partners/<slug:code>/", public.partner_detail, name="partner"),
    # Good practices.
    path("good-practices/", practices.practice_library, name="good_practices"),
    path("good-practices/<int:pk>/", practices.detail, name="good_practice"),
    path(
        "good-practices/<int:pk>/attachment/",
        practices.attachment,
        name="good_practice_attachment",
    ),
    path(
        "meetings/<slug:slug>/good-practices/new/",
        practices.submit_as_focal_point,
        name="good_practice_submit",
    ),
    path(
        "registration/<str:token>/good-practice/",
        practices.submit_as_delegate,
        name="good_practice_submit_delegate",
    ),
]
