"""A short-lived cache of a published meeting's public page, per language.

The page of a published meeting is the same for every visitor (no session, form,
CSRF token or user-specific content), so its HTML is kept for
PUBLIC_PAGE_CACHE_SECONDS, and never past the next opening or closing of
registration, which changes what the page says. Saving or deleting anything the page
shows replaces a version token and so retires every cached page at once. With the
default per-process memory cache this takes effect at once in the process that saved
and within the timeout in the others; a shared cache (REDIS_URL) makes it immediate
everywhere. Requests with a query string are not cached, nor pages asked for by a
signed-in user, whose pages are private (convene/core/private_pages.py): their version
is neither kept nor taken from the shared cache.
"""

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from convene.core.private_pages import is_private_request
from convene.dialogues.models import ActionPlan, Dialogue, Domain, Objective, Partner

from .models import Meeting, Session, Speaker

VERSION_KEY = "meetings:page:version"


def page_key(request, slug: str) -> str | None:
    """The cache key of this request's page, or None when it must not be cached."""
    if (
        settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
        or request.META.get("QUERY_STRING")
        or is_private_request(request)
    ):
        return None
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return f"meetings:page:{version}:{get_language()}:{slug}"


def timeout_for(meeting, now=None) -> int:
    """Seconds the page may be kept: the setting, cut at the next change of the window."""
    now = now or timezone.now()
    day_after_end = datetime.datetime.combine(
        meeting.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=meeting.tzinfo
    )
    changes = [
        moment
        for moment in (meeting.registration_opens_at, meeting.registration_closes_at, day_after_end)
        if moment and moment > now
    ]
    timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
    if changes:
        timeout = min(timeout, int((min(changes) - now).total_seconds()))
    return max(timeout, 0)


def store(key: str, content: bytes, meeting) -> None:
    timeout = timeout_for(meeting)
    if timeout > 0:
        cache.set(key, content, timeout)


def invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _changed(sender, using=None, **kwargs):
    # Now, for this process and for tests; again after commit, so that a page rendered
    # from the old rows while the transaction was open is not kept.
    invalidate()
    transaction.on_commit(invalidate, using=using, robust=True)


def connect_signals() -> None:
    """Anything shown on a meeting page: the meeting, its programme, partners, plans."""
    retire_pages_on_change(
        Meeting, Session, Speaker, Dialogue, Partner, ActionPlan, Domain, Objective
    )
    for relation in (Meeting.lead_partners, Meeting.domains, Meeting.objectives):
        m2m_changed.connect(
            _changed,
            sender=relation.through,
            dispatch_uid=f"meeting-page-{relation.field.name}",
        )


def retire_pages_on_change(*models) -> None:
    """Retire every cached page whenever a row of these models is saved or deleted.

    For apps whose content a meeting page shows (the practices app's good practices).
    """
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"meeting-page-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"meeting-page-del-{label}")
