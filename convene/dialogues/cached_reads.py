"""Two reads made on every registration, kept a minute in the cache.

The registration API reads the partner named by its code, and every registration for
a delegation reads the addresses of its focal points. Both change a few times a year.
Saving or deleting a partner, a role or a user retires what it affects at once in the
process that saved (everywhere with a shared cache, REDIS_URL) and within
REFERENCE_CACHE_SECONDS in the other processes: a focal point appointed a moment ago
may miss the notice of a registration made in that minute.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from convene.core.enums import Role
from convene.core.models import RoleAssignment, User

from .models import Partner

REFERENCE_CACHE_SECONDS = 60
UNKNOWN = "unknown"  # cached answer for a code that names no current partner


def _partner_key(dialogue_id: int, code: str) -> str:
    return f"dialogues:partner:{dialogue_id}:{code.upper()}"


def _focal_points_key(partner_id: int) -> str:
    return f"dialogues:focal-points:{partner_id}"


def current_partner(dialogue_id: int, code: str) -> Partner | None:
    """The dialogue's current partner with this code (any case), or None."""
    key = _partner_key(dialogue_id, code)
    partner = cache.get(key)
    if partner is None:
        partner = (
            Partner.objects.filter(
                dialogue_id=dialogue_id, code__iexact=code, left_on__isnull=True
            ).first()
            or UNKNOWN
        )
        cache.set(key, partner, REFERENCE_CACHE_SECONDS)
    return None if partner == UNKNOWN else partner


def focal_point_addresses(partner_id: int) -> list[tuple[str, str]]:
    """(email, language) of the partner's active focal points, in the order appointed."""
    key = _focal_points_key(partner_id)
    addresses = cache.get(key)
    if addresses is None:
        addresses = list(
            RoleAssignment.objects.current()
            .filter(partner_id=partner_id, role=Role.FOCAL_POINT, user__is_active=True)
            .order_by("pk")
            .values_list("user__email", "user__language")
        )
        cache.set(key, addresses, REFERENCE_CACHE_SECONDS)
    return addresses


def _partner_changed(sender, instance, **kwargs):
    cache.delete(_partner_key(instance.dialogue_id, instance.code))


def _role_changed(sender, instance, **kwargs):
    if instance.partner_id:
        cache.delete(_focal_points_key(instance.partner_id))


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # signing in changes nothing a notice needs
    partners = RoleAssignment.objects.filter(
        user_id=instance.pk, role=Role.FOCAL_POINT, partner__isnull=False
    ).values_list("partner_id", flat=True)
    cache.delete_many([_focal_points_key(partner_id) for partner_id in partners])


def connect_signals() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_partner_changed, sender=Partner, dispatch_uid="cached-partner")
        signal.connect(_role_changed, sender=RoleAssignment, dispatch_uid="cached-focal-points")
        signal.connect(_user_changed, sender=User, dispatch_uid="cached-focal-point-users")
