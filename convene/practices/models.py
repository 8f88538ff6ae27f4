from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convene.core.enums import Language
from convene.core.identifiers import random_upload_path
from convene.core.models import TimeStampedModel
from convene.core.validators import validate_single_line
from convene.dialogues.models import Domain, Objective, Partner
from convene.meetings.models import Meeting, Session
from convene.registrations.enums import LevelOfGovernment

from .enums import PracticeStatus


def practice_file_path(practice, filename):
    return random_upload_path("good-practices", filename)


class GoodPractice(TimeStampedModel):
    """A good practice shared at a meeting. Public once the Secretariat publishes it.

    `status` changes only through `convene.practices.services.set_practice_status`.
    `search_text` is the title and summary without accents or case, so that a search for
    "reintegration" finds "réintégration" on every database.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("meeting")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("session"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PracticeStatus.choices, default=PracticeStatus.SUBMITTED
    )
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    summary = models.TextField(_("summary"), max_length=5000)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=Language.choices, default=Language.EN
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("partner")
    )
    level_of_government = models.CharField(
        _("level of government"), max_length=32, choices=LevelOfGovernment.choices
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("domain")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("objective"),
    )
    contact_name = models.CharField(
        _("contact name"), max_length=200, validators=[validate_single_line]
    )
    contact_email = models.EmailField(_("contact email"))
    attachment = models.FileField(
        _("attachment"), upload_to=practice_file_path, blank=True, max_length=200
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_by_registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("submitted by the delegate"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        # The table kept its name when the model left the labels app: its rows stayed.
        db_table = "labels_goodpractice"
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:good_practice", kwargs={"pk": self.pk})
