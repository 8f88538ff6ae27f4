from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit_action_label
from .enums import Language, Role
from .validators import validate_single_line


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class OutboxEmail(models.Model):
    """An email owed to one recipient about `event` (an outbox row): written in the
    transaction of the change it reports, pending until `sent_at` is set.

    Sent, retried and resent only through convene.core.outbox. A sender holds a row
    while `claimed_until` is ahead (no other sender takes it); after a failed try it
    waits for `next_attempt_at`; once its attempts run out, `failed_at` is set and it
    waits for the Secretariat to resend it.
    """

    # The TextChoices of the subclass's kinds of email: shown by label, never by code.
    event_kinds: type[models.TextChoices]

    event = models.CharField(_("event"), max_length=24)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_event_label()} → {self.recipient}"

    def get_event_label(self) -> str:
        """The kind of email in the active language; one no longer sent is named
        generically rather than by its code."""
        try:
            return str(self.event_kinds(self.event).label)
        except ValueError:
            return str(_("Other email"))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: Secretariat, organisers, focal points, on-site staff.

    Delegates do not need an account; they reach their registration by a signed link.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, validators=[validate_single_line])
    language = models.CharField(
        _("language for emails and documents"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("back-office access"),
        default=False,
        help_text=_("Can sign in to the back-office; what they see there depends on their roles."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name or self.email


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        """Assignments in force on `on` (today by default): started, and not ended before it.

        The one meaning of "current role": permissions (RoleAssignment.is_current) and
        the choice of who is emailed read it alike, so a focal point whose appointment has
        a future end date both acts and hears.
        """
        on = on or timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on), starts_on__lte=on
        )


class RoleAssignment(TimeStampedModel):
    """What a user may do, and where: the Secretariat everywhere, the others in a scope.

    A focal point is scoped to a partner, an organiser or check-in staff member to a
    meeting. Ending an assignment (ends_on) keeps its history.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        "dialogues.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("partner"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("meeting"),
    )
    starts_on = models.DateField(_("since"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="core_role_scope_matches_role",
                condition=(
                    models.Q(role=Role.SECRETARIAT, partner__isnull=True, meeting__isnull=True)
                    | models.Q(role=Role.FOCAL_POINT, partner__isnull=False, meeting__isnull=True)
                    | models.Q(
                        role__in=[Role.ORGANISER, Role.CHECKIN],
                        partner__isnull=True,
                        meeting__isnull=False,
                    )
                ),
                violation_error_message=_(
                    "A focal point needs a partner, an organiser or check-in staff member "
                    "needs a meeting, and a Secretariat officer needs neither."
                ),
            ),
            models.CheckConstraint(
                name="core_role_ends_after_start",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # The Dialogue has one National Focal Point per partner at a time.
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(role=Role.FOCAL_POINT, ends_on__isnull=True),
                name="core_role_one_current_focal_point_per_partner",
                violation_error_message=_("This partner already has a current focal point."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "meeting"],
                condition=models.Q(role__in=[Role.ORGANISER, Role.CHECKIN], ends_on__isnull=True),
                name="core_role_unique_current_meeting_role",
                violation_error_message=_("This person already has this role for this meeting."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role=Role.SECRETARIAT, ends_on__isnull=True),
                name="core_role_unique_current_secretariat",
                violation_error_message=_("This person is already a Secretariat officer."),
            ),
        ]

    def __str__(self):
        scope = self.partner or self.meeting
        label = self.get_role_display()
        return f"{self.user} · {label} · {scope}" if scope else f"{self.user} · {label}"

    def is_current(self, on=None) -> bool:
        """The same rule as RoleAssignmentQuerySet.current, for an assignment in hand."""
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class AuditEntry(models.Model):
    """Who changed what state, when, from what to what, and why. Append-only."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return audit_action_label(self.action)


class CacheCounter(models.Model):
    """One counter of the shared counter cache (convene/core/counter_cache.py).

    Rate limits count here when no Redis is configured, so that every app process reads
    and increments the same number. Not for anything but whole numbers.
    """

    key = models.CharField(max_length=255, primary_key=True)
    value = models.BigIntegerField()
    # None: kept until deleted.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.key} = {self.value}"
