import logging

from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import StaffPasswordResetForm
from .ratelimits import is_password_reset_limited

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """For the load balancer: 200 when this process can query its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Asks for a reset link by email: always the same answer, whether the account exists.

    Throttled per client address and per email asked for (PASSWORD_RESET_RATE_LIMIT).
    """

    form_class = StaffPasswordResetForm
    template_name = "core/password_reset_form.html"
    success_url = reverse_lazy("core:password_reset_done")

    def post(self, request, *args, **kwargs):
        if is_password_reset_limited(request):
            return render(
                request,
                "core/sign_in_locked.html",
                {
                    "title": gettext("Too many attempts"),
                    "message": gettext(
                        "Too many password reset requests from your connection or for this "
                        "address. Please try again later."
                    ),
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)
