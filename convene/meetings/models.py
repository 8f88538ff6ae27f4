import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.core.bilingual import Translated
from convene.core.formatting import format_local_date
from convene.core.models import TimeStampedModel
from convene.core.validators import validate_single_line
from convene.dialogues.models import Dialogue, Domain, Objective, Partner

from .enums import (
    CATEGORY_VALUES,
    PARTNER_CATEGORIES,
    ApprovalMode,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    RegistrationWindow,
)


def validate_time_zone(value: str) -> None:
    # Validated rather than offered as choices: the list changes with tzdata releases.
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Paris or Africa/Dakar."),
            params={"value": value},
            code="invalid_time_zone",
        )


def default_eligible_categories() -> list[str]:
    return list(PARTNER_CATEGORIES)


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=MeetingStatus.PUBLISHED)

    def public(self):
        """Published meetings, and those cancelled after publication (shown as cancelled)."""
        return self.filter(
            models.Q(status=MeetingStatus.PUBLISHED)
            | models.Q(status=MeetingStatus.CANCELLED, published_at__isnull=False)
        )


class Meeting(TimeStampedModel):
    """A meeting of a dialogue, with its public page and programme.

    `status` changes only through `convene.meetings.services.set_meeting_status`,
    which checks the transition and writes the audit entry.
    """

    # Fields whose English and French versions must both be filled to publish.
    BILINGUAL_REQUIRED = ("title", "summary", "description", "city", "venue", "eligibility")

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("dialogue")
    )
    slug = models.SlugField(
        _("short name in addresses"),
        unique=True,
        max_length=80,
        help_text=_("Appears in the page address, e.g. paris-2021."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    kind = models.CharField(
        _("type of meeting"),
        max_length=24,
        choices=MeetingKind.choices,
        default=MeetingKind.THEMATIC,
    )
    title_en = models.CharField(
        _("title (English)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    summary_en = models.TextField(
        _("summary (English)"), blank=True, help_text=_("One or two sentences for lists.")
    )
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    description_en = models.TextField(
        _("description (English)"),
        blank=True,
        help_text=_(
            "Paragraphs separated by a blank line. A line starting with '## ' is a heading, "
            "a line starting with '- ' a list item."
        ),
    )
    description_fr = models.TextField(_("description (French)"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("venue time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Paris, Africa/Dakar."),
    )
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    city_en = models.CharField(
        _("city (English)"), max_length=120, blank=True, validators=[validate_single_line]
    )
    city_fr = models.CharField(
        _("city (French)"), max_length=120, blank=True, validators=[validate_single_line]
    )
    venue_en = models.CharField(
        _("venue (English)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    venue_fr = models.CharField(
        _("venue (French)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    host_country = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    in_person_capacity = models.PositiveIntegerField(
        _("in-person capacity"), null=True, blank=True, help_text=_("Empty when not limited.")
    )
    is_labelled = models.BooleanField(
        _("Rabat Process labelled meeting"),
        default=False,
        help_text=_("Organised and funded by a partner country in the framework of the Dialogue."),
    )
    lead_partners = models.ManyToManyField(
        Partner, blank=True, related_name="led_meetings", verbose_name=_("led by")
    )
    organisers_en = models.TextField(
        _("organisers (English)"),
        blank=True,
        help_text=_("The institutions that organise it, one per line."),
    )
    organisers_fr = models.TextField(_("organisers (French)"), blank=True)
    secretariat_support = models.BooleanField(
        _("with the support of the Secretariat"), default=True
    )
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="meetings", verbose_name=_("action-plan domains")
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="meetings", verbose_name=_("action-plan objectives")
    )
    eligibility_en = models.TextField(
        _("who may register (English)"),
        blank=True,
        # Says who, not when: the page states separately whether registration is open.
        default="Who may register: representatives of the partner countries and "
        "organisations of the Rabat Process.",
    )
    eligibility_fr = models.TextField(
        _("who may register (French)"),
        blank=True,
        default="Qui peut s'inscrire\xa0: les représentants des pays et organisations "
        "partenaires du Processus de Rabat.",
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Date and time at the venue.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Date and time at the venue.")
    )
    # Registration policy: who may register, how many, and who decides.
    eligible_categories = models.JSONField(
        _("who may register"),
        default=default_eligible_categories,
        blank=True,
        help_text=_("Codes of the categories that may register (see the registration form)."),
    )
    online_capacity = models.PositiveIntegerField(
        _("online capacity"),
        null=True,
        blank=True,
        help_text=_("Empty when not limited; 0 when nobody may attend online."),
    )
    delegation_size = models.PositiveSmallIntegerField(
        _("places per delegation"),
        null=True,
        blank=True,
        help_text=_("Empty when not limited. 2 with one head of delegation makes “1+1”."),
    )
    delegation_heads = models.PositiveSmallIntegerField(
        _("heads of delegation per delegation"),
        null=True,
        blank=True,
        help_text=_(
            "Empty when not limited. With a delegation size, the other places go to members "
            "and experts."
        ),
    )
    approval_mode = models.CharField(
        _("approval"), max_length=16, choices=ApprovalMode.choices, default=ApprovalMode.MANUAL
    )
    focal_point_endorsement_required = models.BooleanField(
        _("focal point endorsement required"),
        default=False,
        help_text=_("The partner's focal point endorses each delegate before the decision."),
    )
    email_verification_required = models.BooleanField(
        _("email verification required"),
        default=True,
        help_text=_("Self-registrations count once the delegate follows the link in the email."),
    )
    registration_changes_until = models.DateTimeField(
        _("delegates may change their registration until"),
        null=True,
        blank=True,
        help_text=_("Empty: until registration closes. Date and time at the venue."),
    )
    attachment_required = models.BooleanField(
        _("attachment required"),
        default=False,
        help_text=_("For instance the note verbale nominating the delegate."),
    )
    attachment_label_en = models.CharField(
        _("attachment label (English)"),
        max_length=120,
        blank=True,
        default="Note verbale",
        validators=[validate_single_line],
    )
    attachment_label_fr = models.CharField(
        _("attachment label (French)"),
        max_length=120,
        blank=True,
        default="Note verbale",
        validators=[validate_single_line],
    )
    staff_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Seen in the back-office only.")
    )
    # Papers and funding before the meeting (convene.onsite builds on these).
    offers_visa_letters = models.BooleanField(
        _("offers visa support letters"),
        default=False,
        help_text=_(
            "Approved delegates who asked for a letter enter their passport data on their "
            "personal page; the Secretariat or the organisers issue the letter."
        ),
    )
    funded_places_per_delegation = models.PositiveSmallIntegerField(
        _("funded places per delegation"),
        null=True,
        blank=True,
        help_text=_("Travel and accommodation paid for. Empty: no funded places."),
    )
    delegates_may_request_funding = models.BooleanField(
        _("delegates may ask for funding themselves"),
        default=False,
        help_text=_("Otherwise only the delegation's focal point asks, for its delegates."),
    )

    title = Translated()
    summary = Translated()
    description = Translated()
    city = Translated()
    venue = Translated()
    organisers = Translated()
    eligibility = Translated()
    attachment_label = Translated()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="meetings_meeting_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                name="meetings_meeting_registration_closes_after_opening",
                condition=models.Q(registration_opens_at__isnull=True)
                | models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                name="meetings_meeting_heads_within_delegation",
                condition=models.Q(delegation_size__isnull=True)
                | models.Q(delegation_heads__isnull=True)
                | models.Q(delegation_heads__lte=models.F("delegation_size")),
                violation_error_message=_("A delegation cannot have more heads than places."),
            ),
            models.CheckConstraint(
                name="meetings_meeting_published_has_date",
                condition=~models.Q(status=MeetingStatus.PUBLISHED)
                | models.Q(published_at__isnull=False),
                violation_error_message=_("A published meeting has a publication date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == MeetingStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_public(self) -> bool:
        """Anyone may read its page: published, or cancelled once it had been published."""
        return self.is_published or (self.is_cancelled and self.published_at is not None)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> list[datetime.date]:
        span = (self.ends_on - self.starts_on).days
        return [self.starts_on + datetime.timedelta(days=n) for n in range(span + 1)]

    @property
    def accepts_in_person(self) -> bool:
        return self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID)

    @property
    def accepts_online(self) -> bool:
        return self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID)

    def location(self, room: str = "") -> str:
        """Where it takes place in the active language: "room, venue, city, country"
        without the empty parts, "Online" for a meeting held only online."""
        if self.format == MeetingFormat.ONLINE:
            return gettext("Online")
        country = self.host_country.name if self.host_country_id else ""
        return ", ".join(part for part in (room, self.venue, self.city, country) if part)

    def is_held_on(self, day: datetime.date) -> bool:
        """`day` (at the venue) is one of the meeting's days."""
        return self.starts_on <= day <= self.ends_on

    def is_over(self, now=None) -> bool:
        """Its last day has passed at the venue."""
        return self.ends_on < timezone.localdate(now or timezone.now(), self.tzinfo)

    def registration_window(self, now=None) -> RegistrationWindow:
        now = now or timezone.now()
        if self.is_cancelled:
            return RegistrationWindow.CLOSED
        # A meeting that is over cannot take registrations, announced or not.
        if self.is_over(now):
            return RegistrationWindow.CLOSED
        if self.registration_opens_at is None and self.registration_closes_at is None:
            return RegistrationWindow.NOT_SCHEDULED
        if self.registration_closes_at and now >= self.registration_closes_at:
            return RegistrationWindow.CLOSED
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationWindow.NOT_YET_OPEN
        return RegistrationWindow.OPEN

    def registration_status(self, now=None) -> str:
        """Where registration stands, as one sentence in the active language, dates at the
        venue: the only wording of the window, so that no page calls a closed or past
        meeting's registration open."""
        now = now or timezone.now()
        window = self.registration_window(now)
        if self.is_cancelled:
            return gettext("Registration is closed: the meeting is cancelled.")
        if self.is_over(now):
            return gettext("The meeting is over.")
        if window == RegistrationWindow.NOT_SCHEDULED:
            return gettext("The registration dates will be announced soon.")
        if window == RegistrationWindow.NOT_YET_OPEN:
            return gettext("Registration opens on %(moment)s.") % {
                "moment": format_local_date(self.registration_opens_at, self.tzinfo)
            }
        if window == RegistrationWindow.OPEN:
            if self.registration_closes_at is None:
                return gettext("Registration is open.")
            return gettext("Registration is open until %(moment)s.") % {
                "moment": format_local_date(self.registration_closes_at, self.tzinfo)
            }
        return gettext("Registration closed on %(moment)s.") % {
            "moment": format_local_date(self.registration_closes_at, self.tzinfo)
        }

    @property
    def delegation_size_label(self) -> str:
        """ "1+1" for one head and one other, "3" for three of any role, "" when unlimited."""
        if self.delegation_size is None:
            return ""
        if self.delegation_heads and self.delegation_heads < self.delegation_size:
            return f"{self.delegation_heads}+{self.delegation_size - self.delegation_heads}"
        return str(self.delegation_size)

    @property
    def changes_deadline(self):
        return self.registration_changes_until or self.registration_closes_at

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
        unknown = set(self.eligible_categories or []) - set(CATEGORY_VALUES)
        if unknown or not isinstance(self.eligible_categories, list):
            raise ValidationError(
                {
                    "eligible_categories": _("Use only these codes: %(codes)s.")
                    % {"codes": ", ".join(CATEGORY_VALUES)}
                }
            )


class Session(TimeStampedModel):
    """A programme item. Times are wall-clock times at the venue.

    Wall-clock time plus the meeting's zone is what organisers announce; storing it
    that way keeps "09:30 in Paris" right even if time-zone rules change.
    """

    BILINGUAL_REQUIRED = ("title",)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("meeting")
    )
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title_en = models.CharField(
        _("title (English)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    room_en = models.CharField(
        _("room (English)"), max_length=120, blank=True, validators=[validate_single_line]
    )
    room_fr = models.CharField(
        _("room (French)"), max_length=120, blank=True, validators=[validate_single_line]
    )

    title = Translated()
    description = Translated()
    room = Translated()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("programme")
        ordering = ["day", "start_time", "end_time", "id"]
        constraints = [
            models.CheckConstraint(
                name="meetings_session_ends_after_start",
                condition=models.Q(end_time__gt=models.F("start_time")),
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.start_time:%H:%M} {self.title}"

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.day, self.start_time, tzinfo=self.meeting.tzinfo)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.day, self.end_time, tzinfo=self.meeting.tzinfo)

    def clean(self):
        super().clean()
        meeting = getattr(self, "meeting", None)
        if meeting and self.day and not (meeting.starts_on <= self.day <= meeting.ends_on):
            raise ValidationError({"day": _("The day must fall within the meeting's dates.")})
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session must end after it starts.")})


class Speaker(TimeStampedModel):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("session")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    affiliation_en = models.CharField(
        _("function and institution (English)"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
    )
    affiliation_fr = models.CharField(
        _("function and institution (French)"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
    )
    role_en = models.CharField(
        _("role in the session (English)"),
        max_length=80,
        blank=True,
        help_text=_("e.g. Moderator"),
        validators=[validate_single_line],
    )
    role_fr = models.CharField(
        _("role in the session (French)"),
        max_length=80,
        blank=True,
        validators=[validate_single_line],
    )

    affiliation = Translated()
    role = Translated()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name
