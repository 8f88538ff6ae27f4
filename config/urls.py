from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from convene.core import views as core_views

# A request Django cannot read (too large, too many fields) gets a page, not a 500.
handler400 = "convene.core.views.bad_request"
handler500 = "convene.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("convene.api.urls")),
]

urlpatterns += i18n_patterns(
    # The admin's sign-in page links to this name ("Forgotten your password?").
    path(
        "admin/password-reset/",
        RedirectView.as_view(pattern_name="core:password_reset"),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("account/", include("convene.core.urls")),
    path("", include("convene.registrations.urls")),
    path("", include("convene.onsite.urls")),
    path("", include("convene.meetings.urls")),
    path("", include("convene.dialogues.urls")),
    path("", include("convene.labels.urls")),
    path("", include("convene.practices.urls")),
    path("", include("convene.reports.urls")),
    prefix_default_language=True,
)
