from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .enums import AuditAction
from .models import AuditEntry, RoleAssignment, User


def record_audit_entry(subject, *, actor, action, from_state="", to_state="", reason=""):
    """Append an audit entry for `subject`; call inside the transaction of the change."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def create_staff_user(email, *, full_name, language, password, role, partner=None, meeting=None):
    """A back-office user with one role; returns (user, created).

    An existing account (same email, any case) is returned untouched, roles included.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing:
        return existing, False
    with transaction.atomic():
        user = User.objects.create_user(
            email, password, full_name=full_name, language=language, is_staff=True
        )
        RoleAssignment.objects.create(user=user, role=role, partner=partner, meeting=meeting)
    return user, True


def lift_sign_in_lock(attempt, *, actor):
    """Forget the failures counted against `attempt`'s account, from every address.

    The account is locked on its failures from anywhere, so clearing only the one
    address's row would leave it locked. Audited with the actor.
    """
    with transaction.atomic():
        rows = AccessAttempt.objects.filter(username=attempt.username)
        failures = sum(rows.values_list("failures_since_start", flat=True))
        record_audit_entry(
            attempt,
            actor=actor,
            action=AuditAction.SIGN_IN_LOCK_LIFTED,
            from_state=str(failures),
            to_state="0",
            reason=attempt.username,
        )
        rows.delete()
