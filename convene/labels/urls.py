from django.urls import path

from .views import proposals, public

app_name = "labels"

urlpatterns = [
    # Proposals for the label (focal points and the Secretariat).
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("proposals/<slug:reference>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<slug:reference>/edit/", proposals.proposal_edit, name="proposal_edit"),
    # What the Dialogue sees.
    path("labels/", public.label_catalogue, name="catalogue"),
]
