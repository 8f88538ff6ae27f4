"""Every write on registrations. Places are counted and taken under the meeting's row lock.

The lock (SELECT ... FOR UPDATE on the meeting, inside the transaction that inserts or
changes the registration) serialises the count-and-insert of one meeting across all app
processes on PostgreSQL under READ COMMITTED; on SQLite, IMMEDIATE transactions
serialise writers the same way. Without it, two requests could both see the last place
free and both take it. Waits for the lock are bounded (meeting_locked): a request that
cannot have it in time gets BusyError, answered 503 "try again in a moment".
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from convene.core.locks import busy_when_locked_out, lock_row, row_locked
from convene.core.search import normalise_for_search
from convene.core.services import record_audit_entry
from convene.core.validators import validate_changed_fields
from convene.dialogues.enums import PartnerKind, PartnerStatus
from convene.meetings.enums import (
    INVITED_CATEGORIES,
    ApprovalMode,
    Category,
    MeetingFormat,
    RegistrationWindow,
)
from convene.meetings.models import Meeting

from .enums import (
    ACTIVE,
    PLACE_HOLDING,
    SOURCE_REASONS,
    DelegationRole,
    Event,
    Participation,
    RegistrationAuditAction,
    RegistrationStatus,
    Source,
)
from .errors import BusyError, RegistrationError
from .models import Registration
from .notifications import queue_notification, queue_notification_to_each, queue_notifications
from .permissions import (
    can_approve_registration,
    can_cancel_registration,
    can_change_registration,
    can_decline_registration,
    can_endorse_registration,
    can_endorse_registration_on_behalf,
    can_enter_registration,
    can_nominate_for,
    can_reject_registration,
    can_waitlist_registration,
)
from .signals import registration_status_changed

S = RegistrationStatus

# Audit reasons written by the system are stored in English and translated when shown
# (the personal page and the back-office pass them through gettext).
CANCELLED_BY_DELEGATE = gettext_noop("Cancelled by the delegate.")

# The one state machine: from each status, where a registration may go.
ALLOWED_TRANSITIONS = {
    S.AWAITING_VERIFICATION: {
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.WAITLISTED,
        S.CANCELLED,
    },
    S.AWAITING_FOCAL_POINT: {
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.WAITLISTED,
        S.DECLINED,
        S.REJECTED,
        S.CANCELLED,
    },
    S.AWAITING_SECRETARIAT: {S.APPROVED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.CANCELLED, S.REJECTED},
    S.WAITLISTED: {
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.REJECTED,
        S.CANCELLED,
    },
    S.DECLINED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}

# What the delegate is told when a registration enters a status.
EVENT_FOR_STATUS = {
    S.AWAITING_FOCAL_POINT: Event.RECEIVED,
    S.AWAITING_SECRETARIAT: Event.RECEIVED,
    S.APPROVED: Event.APPROVED,
    S.WAITLISTED: Event.WAITLISTED,
    S.DECLINED: Event.DECLINED,
    S.REJECTED: Event.REJECTED,
    S.CANCELLED: Event.CANCELLED,
}


def set_registration_status(
    registration: Registration,
    new_status: str,
    *,
    actor,
    reason: str = "",
    event: str | None = None,
    notify: bool = True,
    by_decision: bool = False,
    override_reason: str = "",
    endorsed: bool = False,
    verified: bool = False,
    audit_action: str = RegistrationAuditAction.STATUS,
) -> Registration:
    """The one door for a registration's status. Call inside a transaction.

    Checks the transition, saves with update_fields (once, with the fields the
    transition sets: see _enter_status), writes the audit entry (who, from, to, why) and
    queues the delegate's email after commit. `event` overrides the email sent (e.g.
    "promoted" rather than "approved"); `audit_action` marks a change made in another's
    stead (an endorsement on the focal point's behalf).
    """
    old_status = S(registration.status)
    new_status = S(new_status)
    if new_status not in ALLOWED_TRANSITIONS[old_status]:
        raise RegistrationError(
            "transition",
            _("A registration cannot go from “%(old)s” to “%(new)s”.")
            % {"old": old_status.label, "new": new_status.label},
        )
    fields = _enter_status(
        registration,
        new_status,
        reason=reason,
        by_decision=by_decision,
        override_reason=override_reason,
        endorsed=endorsed,
        verified=verified,
    )
    registration.save(update_fields=["status", "updated_at", *fields])
    record_audit_entry(
        registration,
        actor=actor,
        action=audit_action,
        from_state=old_status,
        to_state=new_status,
        reason=reason,
    )
    registration_status_changed.send(
        sender=Registration,
        registration=registration,
        old_status=old_status,
        new_status=new_status,
        actor=actor,
    )
    if notify:
        chosen = event or EVENT_FOR_STATUS.get(new_status)
        if chosen:
            queue_notification(registration, chosen)
    return registration


def _enter_status(
    registration: Registration,
    new_status: str,
    *,
    reason: str = "",
    by_decision: bool = False,
    override_reason: str = "",
    endorsed: bool = False,
    verified: bool = False,
) -> list[str]:
    """Set the status and what goes with it; returns the fields set besides the status.

    Waiting since and whether by decision (which keeps it off automatic promotion), the
    decision's date and reason, the quota override's reason, the focal point's
    endorsement, the email's verification: all saved with the status, in one write.
    """
    now = timezone.now()
    fields = []
    if registration.status == S.WAITLISTED and registration.waitlisted_by_decision:
        registration.waitlisted_by_decision = False
        fields.append("waitlisted_by_decision")
    registration.status = new_status
    if new_status == S.WAITLISTED:
        registration.waitlisted_at = now
        fields.append("waitlisted_at")
        if by_decision:
            registration.waitlisted_by_decision = True
            fields.append("waitlisted_by_decision")
    if new_status in (S.APPROVED, S.DECLINED, S.REJECTED):
        registration.decided_at = now
        registration.decision_reason = reason
        fields += ["decided_at", "decision_reason"]
    if new_status == S.APPROVED and override_reason:
        registration.quota_override_reason = override_reason
        fields.append("quota_override_reason")
    if endorsed:
        registration.endorsed_at = now
        fields.append("endorsed_at")
    if verified:
        registration.verified_at = now
        fields.append("verified_at")
    return fields


# --- places -------------------------------------------------------------------------


# What deciding a place reads from the meeting (place_problem, _status_with_place).
PLACE_RULES = (
    "in_person_capacity",
    "online_capacity",
    "delegation_size",
    "delegation_heads",
    "focal_point_endorsement_required",
    "approval_mode",
)


def lock_meeting(meeting: Meeting) -> Meeting:
    """Take the meeting's row lock for the rest of the current transaction.

    Returns the meeting's place rules as they are now (another process may just have
    changed a capacity), and only those: this read happens on every registration, while
    the others wait for the lock. The wait (and every later one in the transaction) is
    bounded by MEETING_LOCK_TIMEOUT_SECONDS: past it, BusyError, so that a lock held for
    long answers "try again" rather than stalling every worker behind it.
    """
    return lock_row(Meeting.objects.only(*PLACE_RULES), meeting.pk, busy=BusyError)


@contextmanager
def meeting_locked(meeting: Meeting):
    """A transaction holding the meeting's lock (lock_meeting); yields its place rules.

    A lock wait in it that runs out rolls it back and raises BusyError.
    """
    with busy_when_locked_out(BusyError), transaction.atomic():
        yield lock_meeting(meeting)


# Only the table name and the number of statuses are written into the statement.
PLACES_HELD_SQL = (
    "SELECT COUNT(*) FILTER (WHERE participation = %s),"  # noqa: S608
    " COUNT(*) FILTER (WHERE delegation_id = %s),"
    " COUNT(*) FILTER (WHERE delegation_id = %s AND role = %s)"
    f" FROM {Registration._meta.db_table}"
    f" WHERE meeting_id = %s AND status IN ({', '.join(['%s'] * len(PLACE_HOLDING))})"
    " AND id <> %s"
)


def _places_held(meeting: Meeting, registration: Registration) -> dict:
    """Places held by others: seats in the registration's mode, and in its delegation.

    One statement for the three counts, written out in SQL: it runs for every
    registration while the meeting's lock is held, and building it with the ORM's
    aggregates cost more than running it (a tenth of a registration's time in the rush).
    """
    delegation = registration.delegation_id
    params = [registration.participation, delegation, delegation, DelegationRole.HEAD]
    # A registration not yet saved has no id; ids start at 1.
    params += [meeting.pk, *PLACE_HOLDING, registration.pk or 0]
    with connection.cursor() as cursor:
        cursor.execute(PLACES_HELD_SQL, params)
        taken, total, heads = cursor.fetchone()
    return {"taken": taken, "total": total, "heads": heads}


def place_problem(meeting: Meeting, registration: Registration) -> str | None:
    """Why the registration cannot take a place now, or None when it can.

    Counts approved and pending registrations; must run under lock_meeting().
    Returns "capacity", "delegation", "heads", or "others" when the delegation's places
    for members and experts are taken and the rest are kept for heads ("1+1").
    """
    capacity = (
        meeting.in_person_capacity
        if registration.participation == Participation.IN_PERSON
        else meeting.online_capacity
    )
    limited = meeting.delegation_size is not None or meeting.delegation_heads is not None
    counts = _places_held(meeting, registration)
    if capacity is not None and counts["taken"] >= capacity:
        return "capacity"
    if registration.delegation_id and limited:
        size, heads_limit = meeting.delegation_size, meeting.delegation_heads
        is_head = registration.role == DelegationRole.HEAD
        if size is not None and counts["total"] >= size:
            return "delegation"
        if heads_limit is not None and is_head and counts["heads"] >= heads_limit:
            return "heads"
        # With "1+1", the places not reserved for heads go to members and experts.
        others = counts["total"] - counts["heads"]
        reserved_for_heads = heads_limit is not None and size is not None and not is_head
        if reserved_for_heads and others >= size - heads_limit:
            return "others"
    return None


def _awaits_endorsement(
    meeting: Meeting, registration: Registration, *, endorsing: bool = False
) -> bool:
    """Whether the registration must wait for its focal point before it may hold a place.

    Nominations by the focal point and entries by the Secretariat count as endorsed;
    `endorsing` places a registration as the endorsement being recorded will leave it.
    """
    endorsed = (
        endorsing
        or registration.endorsed_at is not None
        or registration.source in (Source.FOCAL_POINT, Source.SECRETARIAT)
    )
    return (
        meeting.focal_point_endorsement_required
        and registration.category not in INVITED_CATEGORIES
        and not endorsed
    )


def _status_with_place(
    meeting: Meeting, registration: Registration, *, endorsing: bool = False
) -> str:
    """Where a registration goes once it holds a place."""
    if _awaits_endorsement(meeting, registration, endorsing=endorsing):
        return S.AWAITING_FOCAL_POINT
    if meeting.approval_mode == ApprovalMode.FIRST_COME:
        return S.APPROVED
    return S.AWAITING_SECRETARIAT


def _placed_status(meeting: Meeting, registration: Registration, *, endorsing: bool = False) -> str:
    """A place (pending or approved) if one is free, else the waiting list. Under the lock.

    A registration awaiting the focal point's endorsement holds no place (see
    PLACE_HOLDING): it waits for the focal point whatever the places left, and counts
    them when endorsed (`endorsing`: the endorsement being recorded).
    """
    if _awaits_endorsement(meeting, registration, endorsing=endorsing):
        return S.AWAITING_FOCAL_POINT
    if place_problem(meeting, registration) is None:
        return _status_with_place(meeting, registration, endorsing=endorsing)
    return S.WAITLISTED


def promote_from_waiting_list(meeting: Meeting, *, actor) -> list[Registration]:
    """Give freed places to the waiting list, first come first served. Under lock_meeting().

    Called by every change that frees places (a cancellation, a rejection, a move to the
    other way of attending, a raised limit: limits_changed), inside its transaction, so
    that no newcomer waiting for the lock can take a freed place before those waiting.
    Scans in order of arrival on the list (waitlisted_at, then id) and promotes everyone
    who now fits, so a freed delegation place goes to the first waiting member of that
    delegation while a freed seat goes to the first waiting person whose delegation
    still has room. Each promotion is audited with `actor` and emails the delegate
    ("promoted") through the outbox, after commit, and the delegation's focal points
    when it now awaits their endorsement ("focal_point_awaiting"). Returns those
    promoted, in order.
    """
    promoted = []
    # Those the Secretariat put on the list by decision stay there until it decides again.
    waiting = Registration.objects.filter(
        meeting=meeting, status=S.WAITLISTED, waitlisted_by_decision=False
    ).order_by("waitlisted_at", "id")
    for registration in waiting:
        if place_problem(meeting, registration) is None:
            target = _status_with_place(meeting, registration)
            set_registration_status(
                registration,
                target,
                actor=actor,
                reason=gettext_noop("A place became free."),
                notify=False,
            )
            # Promoted to await the endorsement (the meeting asked for it after the
            # registration joined the list): the focal point now has to act.
            awaiting = target == S.AWAITING_FOCAL_POINT and registration.delegation_id
            queue_notifications(
                registration,
                [Event.PROMOTED, *([Event.FOCAL_POINT_AWAITING] if awaiting else [])],
            )
            promoted.append(registration)
    return promoted


# --- submission ------------------------------------------------------------------------


def check_registration_open(meeting: Meeting, *, now=None) -> None:
    window = meeting.registration_window(now)
    if not meeting.is_published or window != RegistrationWindow.OPEN:
        raise RegistrationError(
            "closed",
            _("Registration for this meeting is not open."),
        )


def check_eligibility(meeting: Meeting, *, category: str, delegation) -> None:
    """Raises RegistrationError(code="ineligible") with an explanation the delegate can act on."""
    allowed = [choice for choice in Category if choice.value in (meeting.eligible_categories or [])]
    if category not in allowed:
        raise RegistrationError(
            "ineligible",
            _(
                "This meeting is not open to this category. Those who may register: "
                "%(allowed)s. If you think you should take part, please contact the "
                "Secretariat or your country's focal point."
            )
            % {"allowed": "; ".join(str(choice.label) for choice in allowed)},
            field="category",
        )
    if category in INVITED_CATEGORIES:
        return
    if (
        delegation is None
        or delegation.dialogue_id != meeting.dialogue_id
        or not delegation.is_current
    ):
        raise RegistrationError(
            "delegation", _("Choose the country or organisation you represent."), field="delegation"
        )
    if Category(category) != category_for_partner(delegation):
        raise RegistrationError(
            "delegation",
            _("%(partner)s is not in the category you chose.") % {"partner": delegation.name},
            field="delegation",
        )


def category_for_partner(partner) -> str:
    if partner.status == PartnerStatus.OBSERVER:
        return Category.OBSERVER
    if partner.kind == PartnerKind.COUNTRY:
        return Category.PARTNER_COUNTRY
    return Category.PARTNER_ORGANISATION


def submit_registration(
    meeting: Meeting,
    *,
    data: dict,
    source: str = Source.PUBLIC_FORM,
    actor=None,
    send_verification: bool = False,
    note: str = "",
) -> Registration:
    """Create a registration and, unless it waits for email verification, place it.

    `data` holds cleaned field values (see forms.RegistrationForm). Public sources
    must respect the window and eligibility; a focal point nominates only for their
    own partner; the Secretariat and organisers may enter anyone at any time.
    Public registrations wait for verification when the meeting asks for it; entries by
    staff (a nomination, an entry in the back-office) wait only with `send_verification`,
    and then the person gets the verification email, as after the public form.
    `note` (why staff entered it: a speaker, a guest) is the audit entry's reason,
    instead of the source's standard one.
    Raises RegistrationError: "closed", "ineligible", "delegation", "forbidden",
    "duplicate", and "busy" (BusyError) when the meeting's lock is not granted in time.
    """
    staff_entry = source in (Source.FOCAL_POINT, Source.SECRETARIAT)
    if send_verification and not staff_entry:
        raise ValueError(f"A {source} registration follows the meeting's verification rule.")
    if source == Source.FOCAL_POINT:
        _authorise(
            can_nominate_for(actor, data.get("delegation")),
            _("You can nominate delegates for your own delegation only."),
        )
    if source == Source.SECRETARIAT:
        _authorise(
            can_enter_registration(actor, meeting),
            _("You cannot register people for this meeting."),
        )
    if source != Source.SECRETARIAT:
        check_registration_open(meeting)
    check_eligibility(meeting, category=data["category"], delegation=data.get("delegation"))

    registration = Registration(meeting=meeting, source=source, **data)
    registration.search_text = registration_search_text(registration)
    if staff_entry:
        registration.entered_by = actor
    needs_verification = send_verification if staff_entry else meeting.email_verification_required
    if not needs_verification and not staff_entry:
        # Set before the insert rather than by a second write under the lock.
        registration.verified_at = timezone.now()
    try:
        with meeting_locked(meeting) as locked:
            # Created in its first status, decided here under the lock, rather than
            # created "awaiting verification" and moved on: one insert and one audit entry
            # while every other registration of the meeting waits for the lock.
            if needs_verification:
                status = S.AWAITING_VERIFICATION
                events = [Event.VERIFY]
            else:
                status = _placed_status(locked, registration)
                events = [EVENT_FOR_STATUS[status], *_focal_point_events(registration)]
            _enter_status(registration, status)
            registration.save()
            record_audit_entry(
                registration,
                actor=actor,
                action=RegistrationAuditAction.CREATED,
                to_state=status,
                reason=note.strip() or SOURCE_REASONS[source],
            )
            queue_notifications(registration, events)
    except IntegrityError as error:
        if "registrations_one_active_per_email_and_meeting" in str(error) or _has_active(
            meeting, registration.email
        ):
            # The delegate is pointed to their link; staff who enter someone find the
            # registration in the back-office.
            message = (
                _("This email address already has a registration for this meeting.")
                if source == Source.SECRETARIAT
                else _(
                    "This email address already has a registration for this meeting. "
                    "Use the link in the email you received, or ask for a new link."
                )
            )
            raise RegistrationError("duplicate", message, field="email") from error
        raise
    return registration


def submit_self_registration(
    meeting: Meeting, *, data: dict, source: str = Source.PUBLIC_FORM
) -> Registration | None:
    """A registration sent by anyone (the public form or the API), answered alike whether
    or not its address already has a registration for the meeting.

    Returns the new registration, or None when the address already has an active one:
    then nothing is created nor changed, and the address's owner is emailed the link to
    their existing registration instead (so only they learn of the attempt). Callers
    must answer both cases the same way, or an anonymous client could learn who is
    registered. Raises RegistrationError "closed", "ineligible" or "delegation", none
    of which depends on the address.
    """
    if source not in (Source.PUBLIC_FORM, Source.API):
        raise ValueError(f"Not a self-registration source: {source}")
    try:
        return submit_registration(meeting, data=data, source=source)
    except RegistrationError as error:
        if error.code != "duplicate":
            raise
    remind_of_existing_registration(meeting, email=data["email"])
    return None


def submitted_message(email: str) -> str:
    """What the public form and the API answer to every accepted registration."""
    return _(
        "Check your email: a message is on its way to %(email)s with the next step and "
        "the link to your registration."
    ) % {"email": email}


def remind_of_existing_registration(meeting: Meeting, *, email: str) -> Registration | None:
    """Email the owner of `email`'s active registration at `meeting` their existing link.

    Writes the email (outbox) and nothing else: no status, no new link version. Returns
    the registration, or None if it has just ended (cancelled meanwhile).
    """
    with transaction.atomic():
        registration = (
            Registration.objects.filter(meeting=meeting, email__iexact=email, status__in=ACTIVE)
            .order_by("pk")
            .first()
        )
        if registration is not None:
            queue_notification(registration, Event.ALREADY_REGISTERED)
    return registration


def _has_active(meeting, email) -> bool:
    return Registration.objects.filter(
        meeting=meeting, email__iexact=email, status__in=ACTIVE
    ).exists()


def _focal_point_events(registration: Registration) -> list[str]:
    """The delegation's focal points hear of a new delegate, unless they nominated them."""
    if registration.delegation_id and registration.source != Source.FOCAL_POINT:
        return [Event.FOCAL_POINT_NEW]
    return []


def verify_registration_email(registration: Registration) -> Registration:
    """The delegate followed the verification link: the registration now counts."""
    with meeting_locked(registration.meeting) as locked_meeting:
        registration = _locked(registration)
        if registration.status != S.AWAITING_VERIFICATION:
            return registration  # a second click changes nothing
        target = _placed_status(locked_meeting, registration)
        set_registration_status(
            registration,
            target,
            actor=None,
            reason=gettext_noop("Email address verified."),
            notify=False,
            verified=True,
        )
        # The delegate's email and the focal points' in one batch.
        queue_notifications(
            registration, [EVENT_FOR_STATUS[target], *_focal_point_events(registration)]
        )
    return registration


# --- decisions -------------------------------------------------------------------------
#
# Each decision takes the meeting's lock (the places it counts or frees are the
# meeting's), then the registration's row, authorises with its predicate from
# permissions.py, and goes through the one door, which saves once.


def _locked(registration: Registration) -> Registration:
    """The registration's row, locked and read afresh. Under the meeting's lock."""
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _authorise(allowed: bool, message: str) -> None:
    if not allowed:
        raise RegistrationError("forbidden", message)


def endorse_registration(registration: Registration, *, actor, note: str = "") -> Registration:
    """The delegation's focal point endorses: the registration now takes a place.

    Until now it held none. Under the meeting's lock it goes on to the Secretariat (or
    is approved, first-come) if a place is free for it, else to the waiting list, where
    it keeps its endorsement for when a place frees.
    """
    return _endorse(
        registration,
        actor=actor,
        reason=note,
        allowed=can_endorse_registration,
        refusal=_("Only the focal point of this delegation can endorse it."),
    )


def endorse_registration_on_behalf(
    registration: Registration, *, actor, reason: str
) -> Registration:
    """The Secretariat endorses in the focal point's stead (no focal point, or one on leave).

    The reason is required and audited with the actor as an endorsement on behalf
    (RegistrationAuditAction.ENDORSED_ON_BEHALF); places are taken as by endorse_registration.
    """
    if not reason.strip():
        raise RegistrationError("reason", _("Give a reason."), field="reason")
    return _endorse(
        registration,
        actor=actor,
        reason=reason.strip(),
        allowed=can_endorse_registration_on_behalf,
        refusal=_("Only the Secretariat can endorse on the focal point's behalf."),
        audit_action=RegistrationAuditAction.ENDORSED_ON_BEHALF,
    )


def _endorse(
    registration: Registration,
    *,
    actor,
    reason: str,
    allowed,
    refusal: str,
    audit_action: str = RegistrationAuditAction.STATUS,
) -> Registration:
    """Record the endorsement under the meeting's lock: a place if one is free, else the list."""
    with meeting_locked(registration.meeting) as meeting:
        current = _locked(registration)
        _authorise(allowed(actor, current), refusal)
        if current.status != S.AWAITING_FOCAL_POINT:
            raise RegistrationError(
                "transition", _("This registration is not awaiting endorsement.")
            )
        target = _placed_status(meeting, current, endorsing=True)
        set_registration_status(
            current,
            target,
            actor=actor,
            reason=reason,
            event=Event.ENDORSED if target != S.WAITLISTED else Event.WAITLISTED,
            endorsed=True,
            audit_action=audit_action,
        )
    registration.refresh_from_db()
    return registration


def decline_registration(registration: Registration, *, actor, reason: str) -> Registration:
    """The focal point declines a registration awaiting endorsement (which holds no place)."""
    if not reason.strip():
        raise RegistrationError("reason", _("Give a reason."), field="reason")
    with meeting_locked(registration.meeting):
        current = _locked(registration)
        _authorise(
            can_decline_registration(actor, current),
            _("Only the focal point of this delegation can decline it."),
        )
        set_registration_status(current, S.DECLINED, actor=actor, reason=reason)
    registration.refresh_from_db()
    return registration


def approve_registration(
    registration: Registration, *, actor, override_reason: str = ""
) -> Registration:
    """The Secretariat (or the meeting's organiser) approves.

    A waitlisted registration is approved only if a place is free, or with
    `override_reason`, which is recorded: the one way to exceed a quota.
    """
    with meeting_locked(registration.meeting) as meeting:
        current = _locked(registration)
        _authorise(
            can_approve_registration(actor, current),
            _("Only the Secretariat or the meeting's organisers can approve."),
        )
        # The meeting asks for the focal point's endorsement before the Secretariat decides.
        if current.status == S.AWAITING_FOCAL_POINT:
            raise RegistrationError(
                "endorsement",
                _("The focal point has not endorsed this registration yet."),
            )
        # Waitlisted and unverified registrations hold no place: approving one takes a place.
        over_quota = current.status not in PLACE_HOLDING and place_problem(meeting, current)
        if over_quota and not override_reason.strip():
            raise RegistrationError(
                "quota",
                _("No place is free. Give a reason to approve over the quota."),
                field="override_reason",
            )
        set_registration_status(
            current,
            S.APPROVED,
            actor=actor,
            reason=override_reason,
            event=Event.APPROVED,
            override_reason=override_reason.strip(),
        )
    registration.refresh_from_db()
    return registration


def reject_registration(registration: Registration, *, actor, reason: str) -> Registration:
    """The Secretariat (or the meeting's organiser) refuses; a place it held goes on."""
    if not reason.strip():
        raise RegistrationError("reason", _("Give a reason."), field="reason")
    with meeting_locked(registration.meeting) as meeting:
        current = _locked(registration)
        _authorise(
            can_reject_registration(actor, current),
            _("Only the Secretariat or the meeting's organisers can reject."),
        )
        set_registration_status(current, S.REJECTED, actor=actor, reason=reason)
        promote_from_waiting_list(meeting, actor=actor)
    registration.refresh_from_db()
    return registration


def waitlist_registration(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Put a pending registration on the waiting list by decision (no automatic promotion)."""
    with meeting_locked(registration.meeting):
        current = _locked(registration)
        _authorise(
            can_waitlist_registration(actor, current),
            _("Only the Secretariat or the meeting's organisers can do this."),
        )
        set_registration_status(current, S.WAITLISTED, actor=actor, reason=reason, by_decision=True)
    registration.refresh_from_db()
    return registration


def cancel_registration(
    registration: Registration, *, actor=None, reason: str = ""
) -> Registration:
    """The delegate (through their link) or staff cancel; the place goes to the waiting list.

    `actor` None (or anonymous) is the delegate, whose personal link the view checked;
    then the delegation's current focal points are emailed too (focal_point_cancelled).
    """
    by_delegate = not getattr(actor, "is_authenticated", False)
    with meeting_locked(registration.meeting) as meeting:
        current = _locked(registration)
        if not by_delegate:
            _authorise(
                can_cancel_registration(actor, current),
                _("You cannot cancel this registration."),
            )
        set_registration_status(current, S.CANCELLED, actor=actor, reason=reason, notify=False)
        # The focal points hear of it when the delegate cancels; staff who cancel know.
        focal_points = (
            [Event.FOCAL_POINT_CANCELLED] if by_delegate and current.delegation_id else []
        )
        queue_notifications(current, [Event.CANCELLED, *focal_points])
        promote_from_waiting_list(meeting, actor=actor)
    registration.refresh_from_db()
    return registration


def change_participation(registration: Registration, participation: str, *, actor) -> Registration:
    """The meeting's managers move a registration between in person and online.

    Under the meeting's lock: a registration holding a place moves only if the other way
    of attending has a seat free for it; one without a place (waiting, unverified,
    awaiting its focal point) keeps its status and its turn. The seat it leaves goes to
    the waiting list (promote_from_waiting_list), which may also promote the moved
    registration itself. Audited old → new; no email of its own. Raises
    RegistrationError ("forbidden", "participation", "transition", "capacity") and
    BusyError.
    """
    _authorise(
        can_change_registration(actor, registration),
        _("You cannot change this registration."),
    )
    # An unknown value is refused like a way the meeting does not offer.
    if participation not in Participation.values or registration.meeting.format not in (
        MeetingFormat.HYBRID,
        participation,
    ):
        raise RegistrationError(
            "participation",
            _("The meeting cannot be attended this way."),
            field="participation",
        )
    with meeting_locked(registration.meeting) as meeting:
        current = _locked(registration)
        if current.status not in ACTIVE:
            raise RegistrationError("transition", _("This registration can no longer be changed."))
        old = current.participation
        if old != participation:
            current.participation = participation
            # Only the seat is counted again: its delegation place, it keeps.
            if current.status in PLACE_HOLDING and place_problem(meeting, current) == "capacity":
                raise RegistrationError(
                    "capacity",
                    _("No place is free for this way of attending."),
                    field="participation",
                )
            current.save(update_fields=["participation", "updated_at"])
            record_audit_entry(
                current,
                actor=actor,
                action=RegistrationAuditAction.PARTICIPATION,
                from_state=old,
                to_state=participation,
            )
            promote_from_waiting_list(meeting, actor=actor)
    registration.refresh_from_db()
    return registration


# The delegate's details: what neither decides a place (category, delegation, role,
# participation) nor identifies the registration (email).
_DETAILS = (
    "title",
    "first_name",
    "last_name",
    "phone",
    "institution",
    "function",
    "level_of_government",
    "days",
    "language",
    "dietary_needs",
    "accessibility_needs",
    "needs_visa_letter",
)

EDITABLE_BY_DELEGATE = (*_DETAILS, "consent_participant_list")

# What the meeting's managers may correct in the back-office: the details and the email,
# not the delegate's consents, which only the delegate gives.
EDITABLE_BY_STAFF = (*_DETAILS, "email")


def update_registration(registration: Registration, *, data: dict, actor=None) -> Registration:
    """Change the details that do not affect places; audited with the names of the fields
    changed (not their values: they are personal data). No email is sent.

    Without `actor` (or an anonymous one) the delegate changes EDITABLE_BY_DELEGATE, until
    the meeting's change deadline and while the registration is active. A manager of the
    meeting (the back-office) corrects EDITABLE_BY_STAFF at any time; anyone else is
    refused ("forbidden"). Other keys of `data` are ignored. Raises RegistrationError
    ("deadline", "transition", "forbidden", "invalid") and BusyError.

    Compares with the stored row, not with `registration`: a bound ModelForm has already
    copied its cleaned data onto its instance, which would hide every change.
    """
    by_staff = getattr(actor, "is_authenticated", False)
    if by_staff and not can_change_registration(actor, registration):
        raise RegistrationError("forbidden", _("You cannot change this registration."))
    deadline = registration.meeting.changes_deadline
    if not by_staff and deadline and timezone.now() >= deadline:
        raise RegistrationError("deadline", _("The deadline for changes has passed."))
    editable = EDITABLE_BY_STAFF if by_staff else EDITABLE_BY_DELEGATE
    with row_locked(Registration.objects.all(), registration.pk, busy=BusyError) as current:
        if not by_staff and current.status not in ACTIVE:
            raise RegistrationError("transition", _("This registration can no longer be changed."))
        changed = [
            name for name in editable if name in data and getattr(current, name) != data[name]
        ]
        if changed:
            for name in changed:
                setattr(current, name, data[name])
            if by_staff:
                _validate_correction(current, changed)
            searched = set(changed) & set(SEARCHED_FIELDS)
            if searched:
                current.search_text = registration_search_text(current)
            current.save(
                update_fields=[*changed, "updated_at", *(["search_text"] if searched else [])]
            )
            record_audit_entry(
                current,
                actor=actor,
                action=RegistrationAuditAction.UPDATED,
                reason=", ".join(changed),
            )
    registration.refresh_from_db()
    return registration


# What the back-office's search reads, besides the delegation's names.
SEARCHED_FIELDS = ("first_name", "last_name", "email", "institution", "reference")


def registration_search_text(registration: Registration) -> str:
    """The registration's `search_text`: SEARCHED_FIELDS without accents or case."""
    return normalise_for_search(
        " ".join(getattr(registration, name) or "" for name in SEARCHED_FIELDS)
    )


def _validate_correction(registration: Registration, changed: list[str]) -> None:
    """The back-office's data comes from a form of the whole record: check the fields it
    changed, and the constraints (one active registration per email and meeting)."""
    try:
        validate_changed_fields(registration, changed)
    except ValidationError as error:
        field = next(iter(error.message_dict), None) if hasattr(error, "error_dict") else None
        raise RegistrationError(
            "invalid", " ".join(error.messages), field=field if field in changed else None
        ) from error


def renew_personal_link(registration: Registration) -> Registration:
    """Invalidate earlier personal links and email a new one.

    The version also signs the verification link, so an unverified registration gets a
    new verification email (which carries the personal link too) instead.
    """
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(link_version=F("link_version") + 1)
        registration.refresh_from_db(fields=["link_version", "status"])
        unverified = registration.status == S.AWAITING_VERIFICATION
        queue_notification(registration, Event.VERIFY if unverified else Event.LINK)
    return registration


def send_new_link(meeting: Meeting, *, email: str) -> int:
    """Email a fresh personal link for each registration of `email` at `meeting`.

    Returns how many were sent; callers must not reveal it (no account enumeration).
    """
    registrations = Registration.objects.filter(meeting=meeting, email__iexact=email.strip())
    count = 0
    for registration in registrations.exclude(status=S.CANCELLED):
        renew_personal_link(registration)
        count += 1
    return count


def notify_delegates_of_cancellation(meeting: Meeting) -> int:
    """Email everyone still registered that the meeting is cancelled; returns how many.

    Registrations stay as they are: the Secretariat may bring the meeting back. Call
    inside the transaction that cancels the meeting (set_meeting_status does, through
    its signal), so the emails are recorded if and only if the cancellation is.
    """
    registrations = list(
        Registration.objects.filter(meeting=meeting, status__in=ACTIVE).order_by("pk")
    )
    queue_notification_to_each(registrations, Event.MEETING_CANCELLED)
    return len(registrations)


def record_registrations_export(registrations, *, actor, file_format: str, filters: str):
    """Audit that `actor` downloaded `registrations` (the rows of the file) as `file_format`.

    The entry is kept on the meeting when every row belongs to one, else on the actor's
    account; it says the format, the number of rows and the filters (the list's query
    string, or the delegation's code).
    """
    meetings = {registration.meeting_id: registration.meeting for registration in registrations}
    subject = next(iter(meetings.values())) if len(meetings) == 1 else actor
    return record_audit_entry(
        subject,
        actor=actor,
        action=RegistrationAuditAction.EXPORTED,
        from_state=file_format,
        to_state=str(len(registrations)),
        reason=filters,
    )
