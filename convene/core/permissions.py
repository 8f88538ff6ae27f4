"""The role reads every app's permissions build on, and the decisions about accounts.

Roles are read once per user object and cached on it. Decisions about an app's objects
live in that app's permissions.py (convene/meetings/permissions.py,
convene/registrations/permissions.py, convene/labels/permissions.py); this module
imports no app above core.
"""

from django.db import models
from django.utils import timezone

from .enums import Role


def _current_roles(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_convene_current_roles", None)
    if cached is None:
        today = timezone.localdate()
        cached = tuple(
            (assignment.role, assignment.partner_id, assignment.meeting_id)
            for assignment in user.role_assignments.all()
            if assignment.is_current(today)
        )
        user._convene_current_roles = cached
    return cached


def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or any(
        role == Role.SECRETARIAT for role, _p, _m in _current_roles(user)
    )


def managed_meeting_ids(user) -> set[int]:
    return {m for role, _p, m in _current_roles(user) if role == Role.ORGANISER}


def checkin_meeting_ids(user) -> set[int]:
    return {m for role, _p, m in _current_roles(user) if role in (Role.ORGANISER, Role.CHECKIN)}


def focal_point_partner_ids(user) -> set[int]:
    return {p for role, p, _m in _current_roles(user) if role == Role.FOCAL_POINT}


def is_focal_point_of(user, partner) -> bool:
    return partner.pk in focal_point_partner_ids(user)


def can_edit_reference_data(user) -> bool:
    """Partners, focal points, action plans and users belong to the Secretariat."""
    return is_secretariat(user)


def can_use_back_office(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff) and (
        is_secretariat(user) or bool(_current_roles(user))
    )


def can_view_outbox(user) -> bool:
    """The emails owed to delegates, focal points and staff, their errors included."""
    return is_secretariat(user)


def can_resend_email(user) -> bool:
    """Sending again an email that failed is the Secretariat's call, as its list is."""
    return is_secretariat(user)


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def holds_secretariat_role(account) -> bool:
    """A Secretariat role not yet ended, read afresh and whether or not the account is active.

    An inactive or future Secretariat account still counts: reactivating it would
    otherwise hand its rights to whoever did.
    """
    today = timezone.localdate()
    return account.role_assignments.filter(
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today), role=Role.SECRETARIAT
    ).exists()


def is_privileged_account(account) -> bool:
    return bool(account.is_superuser) or holds_secretariat_role(account)


def can_change_account(actor, account) -> bool:
    """Edit, reset the password of, or deactivate `account`.

    The Secretariat manages accounts, but only a superuser manages a superuser or another
    Secretariat officer: otherwise one officer could take over another's account.
    """
    if not is_secretariat(actor):
        return False
    return is_superuser(actor) or account.pk == actor.pk or not is_privileged_account(account)


def can_delete_account(actor, account) -> bool:
    return is_secretariat(actor) and (is_superuser(actor) or not is_privileged_account(account))


def can_grant_superuser(actor) -> bool:
    """Superuser status bypasses every role check, so only a superuser grants it."""
    return is_superuser(actor)


def can_grant_secretariat_role(actor) -> bool:
    """The Secretariat role opens every account and meeting: granted by superusers only."""
    return is_superuser(actor)


def can_manage_permission_groups(user) -> bool:
    """Django's groups and permissions sit outside Convene's roles: superusers only."""
    return is_superuser(user)


def can_view_task_results(user) -> bool:
    """Task results hold arguments and tracebacks (addresses, internal errors)."""
    return is_superuser(user)


def can_view_sign_in_attempts(user) -> bool:
    return is_secretariat(user)


def can_lift_sign_in_lock(user) -> bool:
    return is_secretariat(user)
