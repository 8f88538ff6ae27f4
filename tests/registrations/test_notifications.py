"""Registration emails: which step sends what, to whom, in which language; the outbox retries."""

import email
import re
import socket
from datetime import timedelta
from email.header import decode_header, make_header
from io import StringIO
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.meetings.enums import ApprovalMode
from convene.registrations import delivery, notifications, services
from convene.registrations.enums import DelegationRole, RegistrationStatus, Source
from convene.registrations.models import Notification, Registration
from convene.registrations.tasks import deliver_notifications_task
from convene.registrations.tokens import PERSONAL_SALT, VERIFY_SALT, registration_from_token
from tests.factories.core import FocalPointRoleFactory
from tests.factories.registrations import RegistrationFactory, form_data, registration_data

pytestmark = pytest.mark.django_db

S = RegistrationStatus


class FailingBackend(BaseEmailBackend):
    """A mail server that hangs up."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def _submit(meeting, delegation, email_address, *, language="en", **fields):
    data = registration_data(meeting, delegation, email=email_address, language=language, **fields)
    return services.submit_registration(meeting, data=data)


def _messages():
    return [(message.to, message.subject) for message in mail.outbox]


LINK = re.compile(r"http://127\.0\.0\.1:8000/(en|fr)/registration/([^/\s]+)/(verify/)?")


def _links(body: str) -> list[tuple[str, Registration | None]]:
    """Each registration link of an email: (its path, token masked; the registration it opens).

    Tokens carry the second they were signed, so tests compare what they open.
    """
    links = []
    for match in LINK.finditer(body):
        language, token, verify = match.groups()
        opened = registration_from_token(token, salt=VERIFY_SALT if verify else PERSONAL_SALT)
        links.append((f"/{language}/registration/<token>/{verify or ''}", opened))
    return links


def _masked(body: str) -> str:
    return LINK.sub(
        lambda m: f"http://127.0.0.1:8000/{m[1]}/registration/<token>/{m[3] or ''}", body
    )


def _url_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --- which step sends what to whom --------------------------------------------------------


def test_submit_with_verification_emails_the_verification_link_only(
    make_meeting, senegal, focal_point_senegal, sent
):
    meeting = make_meeting(email_verification_required=True, title_en="Dakar workshop")

    with sent():
        registration = _submit(meeting, senegal, "awa@example.org")

    assert _messages() == [(["awa@example.org"], "Verify your email address: Dakar workshop")]
    assert _links(mail.outbox[0].body) == [
        ("/en/registration/<token>/verify/", registration),
        ("/en/registration/<token>/", registration),
    ]


def test_verify_emails_the_delegate_and_the_focal_point_of_the_delegation(
    make_meeting, senegal, focal_point_senegal, focal_point_france, sent
):
    meeting = make_meeting(email_verification_required=True, title_en="Dakar workshop")
    registration = _submit(meeting, senegal, "awa@example.org")

    with sent():
        services.verify_registration_email(registration)

    assert _messages() == [
        (["awa@example.org"], "Registration received: Dakar workshop"),
        (["focal.point@sn.example.org"], "New registration for your delegation: Dakar workshop"),
    ]


def test_submit_without_verification_emails_received_and_the_focal_point(
    meeting, senegal, focal_point_senegal, sent
):
    with sent():
        _submit(meeting, senegal, "awa@example.org")

    assert _messages() == [
        (["awa@example.org"], "Registration received: Dakar workshop"),
        (["focal.point@sn.example.org"], "New registration for your delegation: Dakar workshop"),
    ]


def test_focal_point_email_names_the_delegate_and_links_to_the_delegation_page(
    meeting, senegal, focal_point_senegal, sent
):
    with sent():
        _submit(meeting, senegal, "awa@example.org", role="head")

    assert mail.outbox[1].body == (
        "A new registration for the delegation of Senegal to “Dakar workshop”:\n"
        "\n"
        "As typed by the registrant (name, function, institution):\n"
        "    > Ms Awa Diop\n"
        "    > Director of migration\n"
        "    > Ministry of Foreign Affairs\n"
        "\n"
        "Role in the delegation: Head of delegation\n"
        "Participation: In person\n"
        "Status: Awaiting the Secretariat\n"
        "\n"
        "Review your delegation:\n"
        "http://127.0.0.1:8000/en/focal-point/meetings/dakar-workshop/\n"
        "\n"
    )


def test_focal_point_email_is_in_the_focal_points_language(meeting, senegal, sent):
    focal_point = FocalPointRoleFactory(
        partner=senegal, user__email="pf@sn.example.org", user__language="fr"
    ).user

    with sent():
        _submit(meeting, senegal, "awa@example.org", language="en")

    assert _messages() == [
        (["awa@example.org"], "Registration received: Dakar workshop"),
        ([focal_point.email], "Nouvelle inscription pour votre délégation\xa0: Atelier de Dakar"),
    ]
    assert mail.outbox[1].body.startswith(
        "Nouvelle inscription dans votre délégation (Sénégal) pour «\xa0Atelier de Dakar\xa0»\xa0:"
    )


def test_focal_point_email_in_french_in_full(meeting, senegal, sent):
    FocalPointRoleFactory(partner=senegal, user__email="pf@sn.example.org", user__language="fr")

    with sent():
        _submit(meeting, senegal, "awa@example.org")

    assert mail.outbox[1].body == (
        "Nouvelle inscription dans votre délégation (Sénégal) pour «\xa0Atelier de Dakar\xa0»"
        "\xa0:\n"
        "\n"
        "Tel que saisi par la personne inscrite (nom, fonction, institution)\xa0:\n"
        "    > Mme Awa Diop\n"
        "    > Director of migration\n"
        "    > Ministry of Foreign Affairs\n"
        "\n"
        "Rôle dans la délégation\xa0: Membre\n"
        "Participation\xa0: En présentiel\n"
        "Statut\xa0: En attente du Secrétariat\n"
        "\n"
        "Consultez votre délégation\xa0:\n"
        "http://127.0.0.1:8000/fr/focal-point/meetings/dakar-workshop/\n"
        "\n"
    )


def test_focal_point_whose_role_ended_is_not_emailed(meeting, senegal, sent):
    FocalPointRoleFactory(
        partner=senegal,
        user__email="former@sn.example.org",
        starts_on=timezone.localdate() - timezone.timedelta(days=400),
        ends_on=timezone.localdate() - timezone.timedelta(days=1),
    )

    with sent():
        _submit(meeting, senegal, "awa@example.org")

    assert _messages() == [(["awa@example.org"], "Registration received: Dakar workshop")]


def test_nomination_by_the_focal_point_does_not_email_the_focal_point(
    meeting, senegal, focal_point_senegal, sent
):
    data = registration_data(meeting, senegal, email="awa@example.org")

    with sent():
        services.submit_registration(
            meeting, data=data, source=Source.FOCAL_POINT, actor=focal_point_senegal
        )

    assert _messages() == [(["awa@example.org"], "Registration received: Dakar workshop")]


def _step(name, meeting, registration, *, secretariat, focal_point):
    """Bring `registration` through one step of its life."""
    if name == "endorsed":
        services.endorse_registration(registration, actor=focal_point)
    elif name == "declined":
        services.decline_registration(registration, actor=focal_point, reason="Not our expert")
    elif name == "approved":
        services.approve_registration(registration, actor=secretariat)
    elif name == "waitlisted":
        services.waitlist_registration(registration, actor=secretariat)
    elif name == "rejected":
        services.reject_registration(registration, actor=secretariat, reason="Not eligible")
    elif name == "cancelled":
        services.cancel_registration(registration)
    elif name == "link":
        services.send_new_link(meeting, email=registration.email)


# (step, English subject, English sentence, French subject, French sentence)
STEPS = [
    (
        "endorsed",
        "Endorsed by the focal point",
        "Your focal point endorsed your registration. The Secretariat will now decide; "
        "you will receive an email.",
        "Aval du point focal",
        "Votre point focal a donné son aval à votre inscription. Le Secrétariat va maintenant "
        "se prononcer\xa0; vous recevrez un courriel.",
    ),
    (
        "declined",
        "Declined by the focal point",
        "Your focal point did not endorse your registration for “Dakar workshop”.\n"
        "Reason: Not our expert",
        "Refusée par le point focal",
        "Votre point focal n'a pas donné son aval à votre inscription à «\xa0Atelier de "
        "Dakar\xa0».\nMotif\xa0: Not our expert",
    ),
    (
        "approved",
        "Registration approved",
        "Your registration for “Dakar workshop” is approved. Your registration reference is "
        "{reference}: please keep it.",
        "Inscription approuvée",
        "Votre inscription à «\xa0Atelier de Dakar\xa0» est approuvée. Votre référence "
        "d'inscription est {reference}\xa0: veuillez la conserver.",
    ),
    (
        "waitlisted",
        "On the waiting list",
        "Your registration for “Dakar workshop” is on the waiting list. We will write to you "
        "when that changes.",
        "Sur liste d'attente",
        "Votre inscription à «\xa0Atelier de Dakar\xa0» est sur liste d'attente. Nous vous "
        "écrirons dès que cela changera.",
    ),
    (
        "rejected",
        "Registration not accepted",
        "We regret that your registration for “Dakar workshop” could not be accepted.\n"
        "Reason: Not eligible",
        "Inscription non retenue",
        "Nous regrettons de ne pas pouvoir retenir votre inscription à «\xa0Atelier de "
        "Dakar\xa0».\nMotif\xa0: Not eligible",
    ),
    (
        "cancelled",
        "Registration cancelled",
        "Your registration for “Dakar workshop” is cancelled.",
        "Inscription annulée",
        "Votre inscription à «\xa0Atelier de Dakar\xa0» est annulée.",
    ),
    (
        "link",
        "Your personal link",
        "Here is a new link to your registration for “Dakar workshop”. Earlier links no "
        "longer work.",
        "Votre lien personnel",
        "Voici un nouveau lien vers votre inscription à «\xa0Atelier de Dakar\xa0». Les liens "
        "précédents ne fonctionnent plus.",
    ),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("step", "subject_en", "sentence_en", "subject_fr", "sentence_fr"),
    STEPS,
    ids=[step[0] for step in STEPS],
)
def test_each_step_emails_the_delegate_in_their_language(
    language,
    step,
    subject_en,
    sentence_en,
    subject_fr,
    sentence_fr,
    make_meeting,
    senegal,
    secretariat_officer,
    focal_point_senegal,
    sent,
):
    meeting = make_meeting(
        title_en="Dakar workshop",
        title_fr="Atelier de Dakar",
        focal_point_endorsement_required=step in ("endorsed", "declined"),
    )
    registration = _submit(meeting, senegal, "awa@example.org", language=language)
    mail.outbox.clear()

    with sent():
        _step(
            step,
            meeting,
            registration,
            secretariat=secretariat_officer,
            focal_point=focal_point_senegal,
        )

    registration.refresh_from_db()  # a new link has a new version
    subject, sentence = (subject_en, sentence_en) if language == "en" else (subject_fr, sentence_fr)
    title = "Dakar workshop" if language == "en" else "Atelier de Dakar"
    separator = ": " if language == "en" else "\xa0: "
    greeting = "Dear Ms Awa Diop," if language == "en" else "Bonjour Mme Awa Diop,"
    # The delegate's own cancellation is also told to the focal point (in English, theirs).
    focal_point = (
        [
            (
                ["focal.point@sn.example.org"],
                "A delegate cancelled their registration: Dakar workshop",
            )
        ]
        if step == "cancelled"
        else []
    )
    assert _messages() == [(["awa@example.org"], f"{subject}{separator}{title}"), *focal_point]
    body = mail.outbox[0].body
    assert body.startswith(f"{greeting}\n\n")
    assert sentence.format(reference=registration.reference) in body
    assert _links(body) == [(f"/{language}/registration/<token>/", registration)]


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "en",
            "Promoted from the waiting list: Dakar workshop",
            "A place became free for “Dakar workshop”: your registration has left the waiting "
            "list. Its status is now: Awaiting the Secretariat.",
        ),
        (
            "fr",
            "Sortie de la liste d'attente\xa0: Atelier de Dakar",
            "Une place s'est libérée pour «\xa0Atelier de Dakar\xa0»\xa0: votre inscription ne "
            "figure plus sur la liste d'attente. Son statut est désormais\xa0: En attente du "
            "Secrétariat.",
        ),
    ],
)
def test_promotion_emails_the_promoted_delegate_in_their_language(
    language, subject, sentence, make_meeting, senegal, france, sent
):
    meeting = make_meeting(
        in_person_capacity=1, title_en="Dakar workshop", title_fr="Atelier de Dakar"
    )
    taken = _submit(meeting, senegal, "taken@example.org")
    _submit(meeting, france, "waiting@example.org", language=language)
    mail.outbox.clear()

    with sent():
        services.cancel_registration(taken)

    assert _messages() == [
        (["taken@example.org"], "Registration cancelled: Dakar workshop"),
        (["waiting@example.org"], subject),
    ]
    assert sentence in mail.outbox[1].body


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "en",
            "Registration received: Dakar workshop",
            "Your registration for “Dakar workshop” is received. Your country's or "
            "organisation's focal point now decides whether to endorse it: once endorsed, it "
            "takes a place if one is free, else it goes to the waiting list. You will receive "
            "an email.",
        ),
        (
            "fr",
            "Inscription reçue\xa0: Atelier de Dakar",
            "Votre inscription à «\xa0Atelier de Dakar\xa0» a bien été reçue. Le point focal "
            "de votre pays ou de votre organisation décide maintenant s'il lui donne son "
            "aval\xa0: une fois approuvée, elle prend une place s'il en reste une, sinon elle "
            "passe sur la liste d'attente. Vous recevrez un courriel.",
        ),
    ],
)
def test_received_email_says_the_focal_point_comes_next(
    language, subject, sentence, make_meeting, senegal, sent
):
    meeting = make_meeting(
        focal_point_endorsement_required=True,
        title_en="Dakar workshop",
        title_fr="Atelier de Dakar",
    )

    with sent():
        _submit(meeting, senegal, "awa@example.org", language=language)

    assert _messages() == [(["awa@example.org"], subject)]
    assert sentence in mail.outbox[0].body


def test_approved_email_in_english_in_full(meeting, senegal, secretariat_officer, sent):
    registration = _submit(meeting, senegal, "awa@example.org", needs_visa_letter=True)
    mail.outbox.clear()

    with sent():
        services.approve_registration(registration, actor=secretariat_officer)

    dates = mail.outbox[0].body.splitlines()[7]
    assert _links(mail.outbox[0].body) == [("/en/registration/<token>/", registration)]
    assert _masked(mail.outbox[0].body) == (
        "Dear Ms Awa Diop,\n"
        "\n"
        "Your registration for “Dakar workshop” is approved. Your registration reference is "
        f"{registration.reference}: please keep it.\n"
        "Your confirmation, with the QR code to show when you arrive, is attached to this "
        "email and on your personal page.\n"
        "You asked for a visa support letter: the Secretariat will send it to you.\n"
        "\n"
        "Meeting: Dakar workshop\n"
        f"{dates}\n"
        "Place: Dakar\n"
        f"Reference: {registration.reference}\n"
        "\n"
        "Your registration (status, changes, cancellation):\n"
        "http://127.0.0.1:8000/en/registration/<token>/\n"
        "\n"
        "This message was sent by the meeting's registration system on behalf of the "
        "Secretariat.\n"
        "\n"
    )
    assert dates.startswith("Dates: ")


def test_approved_email_in_french_in_full(meeting, senegal, secretariat_officer, sent):
    registration = _submit(meeting, senegal, "awa@example.org", language="fr")
    mail.outbox.clear()

    with sent():
        services.approve_registration(registration, actor=secretariat_officer)

    message = mail.outbox[0]
    dates = next(line for line in message.body.splitlines() if line.startswith("Dates"))
    assert message.subject == "Inscription approuvée\xa0: Atelier de Dakar"
    assert _masked(message.body) == (
        "Bonjour Mme Awa Diop,\n"
        "\n"
        "Votre inscription à «\xa0Atelier de Dakar\xa0» est approuvée. Votre référence "
        f"d'inscription est {registration.reference}\xa0: veuillez la conserver.\n"
        "Votre confirmation, avec le code QR à présenter à votre arrivée, est jointe à ce "
        "courriel et figure sur votre page personnelle.\n"
        "\n"
        "\n"
        "Réunion\xa0: Atelier de Dakar\n"
        f"{dates}\n"
        "Lieu\xa0: Dakar\n"
        f"Référence\xa0: {registration.reference}\n"
        "\n"
        "Votre inscription (statut, modifications, annulation)\xa0:\n"
        "http://127.0.0.1:8000/fr/registration/<token>/\n"
        "\n"
        "Ce message a été envoyé par le système d'inscription de la réunion au nom du "
        "Secrétariat.\n"
        "\n"
    )
    assert dates.startswith("Dates\xa0: ")


def test_email_shows_html_in_names_as_typed(meeting, senegal, secretariat_officer, sent):
    registration = _submit(
        meeting, senegal, "awa@example.org", first_name="<b>Awa</b>", last_name="Diop & Co"
    )
    mail.outbox.clear()

    with sent():
        services.reject_registration(
            registration, actor=secretariat_officer, reason="<i>Duplicate</i> & late"
        )

    body = mail.outbox[0].body
    assert body.startswith("Dear Ms <b>Awa</b> Diop & Co,\n\n")
    assert "Reason: <i>Duplicate</i> & late\n" in body


def test_first_come_submission_emails_approved_at_once(make_meeting, senegal, sent):
    meeting = make_meeting(approval_mode=ApprovalMode.FIRST_COME, title_en="Dakar workshop")

    with sent():
        registration = _submit(meeting, senegal, "awa@example.org")

    assert _messages() == [(["awa@example.org"], "Registration approved: Dakar workshop")]
    assert registration.reference in mail.outbox[0].body


def test_new_link_for_an_unverified_registration_verifies_it(make_meeting, senegal, client, sent):
    meeting = make_meeting(email_verification_required=True, title_en="Dakar workshop")
    registration = _submit(meeting, senegal, "awa@example.org")
    mail.outbox.clear()

    with sent():
        services.send_new_link(meeting, email="awa@example.org")
    verify_url = re.search(r"https?://\S+/verify/", mail.outbox[0].body).group(0)
    with sent():
        response = client.post(_url_path(verify_url))

    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT


# --- the outbox ---------------------------------------------------------------------------


def test_failing_mail_server_keeps_the_registration_and_the_email_pending(
    meeting, senegal, settings, sent
):
    settings.EMAIL_BACKEND = "tests.registrations.test_notifications.FailingBackend"

    with sent():
        registration = _submit(meeting, senegal, "awa@example.org")

    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT
    assert list(Notification.objects.values_list("event", "sent_at", "attempts", "last_error")) == [
        (
            "received",
            None,
            1,
            "SMTPServerDisconnected: Connection unexpectedly closed",
        )
    ]


def test_send_pending_notifications_sends_what_failed_before(meeting, senegal, settings, sent):
    settings.EMAIL_BACKEND = "tests.registrations.test_notifications.FailingBackend"
    with sent():
        registration = _submit(meeting, senegal, "awa@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_pending_notifications() == 0  # its next attempt is not due
    Notification.objects.update(next_attempt_at=timezone.now())  # a minute later

    count = delivery.send_pending_notifications()

    notification = Notification.objects.get(registration=registration)
    assert count == 1
    assert notification.sent_at is not None
    assert notification.attempts == 2
    assert _messages() == [(["awa@example.org"], "Registration received: Dakar workshop")]


def test_send_pending_notifications_skips_sent_and_failed_ones(meeting, senegal, sent):
    with sent():
        registration = _submit(meeting, senegal, "awa@example.org")
    exhausted = Notification.objects.create(
        registration=registration,
        event="link",
        recipient="awa@example.org",
        language="en",
        attempts=10,
        failed_at=timezone.now(),
    )
    mail.outbox.clear()

    count = delivery.send_pending_notifications()

    assert count == 0
    assert mail.outbox == []
    assert Notification.objects.get(pk=exhausted.pk).sent_at is None


def test_send_notification_twice_sends_once(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")
    notification = Notification.objects.get(registration=registration)

    first = delivery.send_notification(notification.pk)
    second = delivery.send_notification(notification.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_send_pending_notifications_command_reports_the_count(meeting, senegal):
    _submit(meeting, senegal, "awa@example.org")  # not committed: still pending
    out = StringIO()

    call_command("send_pending_notifications", stdout=out)

    assert out.getvalue() == "1 pending email(s) sent.\n"
    assert len(mail.outbox) == 1


def test_notifications_wait_for_the_commit(meeting, senegal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _submit(meeting, senegal, "awa@example.org")

    assert len(callbacks) == 1
    assert mail.outbox == []


# --- delivery by a worker -------------------------------------------------------------------

DELIVERY_TASK = "convene.registrations.tasks.deliver_notifications_task"


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError("Connection refused")

    def send_messages(self, email_messages):  # pragma: no cover - open() fails first
        raise AssertionError("nothing is sent without a connection")


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one recipient and counts the connections opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, email_messages):
        for message in email_messages:
            if "binta@example.org" in message.to:
                raise SMTPRecipientsRefused({"binta@example.org": (550, b"No such user")})
        return super().send_messages(email_messages)


@pytest.fixture
def worker_backend(settings, monkeypatch):
    """Tasks queued for a worker, as in production; this process has queued no delivery yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(notifications, "_queued_delivery", {"run_after": None})


def _tasks():
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "status"))


def _pending(**fields):
    """A notification queued without sending it (as if the worker had not run yet)."""
    registration = RegistrationFactory(**fields)
    return Notification.objects.create(
        registration=registration,
        event="received",
        recipient=registration.email,
        language=registration.language,
    )


def test_worker_backend_queues_one_delivery_starting_a_second_later(
    meeting, senegal, worker_backend, sent
):
    before = timezone.now()
    with sent():
        _submit(meeting, senegal, "awa@example.org")
    after = timezone.now()

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (DELIVERY_TASK, "READY")
    assert before + timedelta(seconds=1) <= task.run_after <= after + timedelta(seconds=1)
    assert mail.outbox == []
    assert list(Notification.objects.values_list("recipient", "sent_at")) == [
        ("awa@example.org", None)
    ]


def test_worker_backend_queues_no_second_delivery_before_the_first_starts(
    meeting, senegal, worker_backend, sent
):
    with sent():
        _submit(meeting, senegal, "awa@example.org")

    with sent():
        _submit(meeting, senegal, "binta@example.org")

    assert _tasks() == [(DELIVERY_TASK, "READY")]
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2


def test_worker_backend_queues_another_delivery_once_the_first_may_have_started(
    meeting, senegal, worker_backend, sent, monkeypatch
):
    # No gathering time: the first delivery may start at once, and may have read the
    # rows before the second registration was committed.
    monkeypatch.setattr(notifications, "DELIVERY_GATHERING", timedelta(0))
    with sent():
        _submit(meeting, senegal, "awa@example.org")

    with sent():
        _submit(meeting, senegal, "binta@example.org")

    assert _tasks() == [(DELIVERY_TASK, "READY"), (DELIVERY_TASK, "READY")]


def test_delivery_sends_every_new_email_oldest_first(meeting, senegal):
    FocalPointRoleFactory(partner=senegal, user__email="focal.point@sn.example.org")
    _submit(meeting, senegal, "awa@example.org")  # nothing sent yet: no commit here
    _submit(meeting, senegal, "binta@example.org")

    count = delivery.deliver_notifications(batch=3)

    assert count == 4
    assert [message.to for message in mail.outbox] == [
        ["awa@example.org"],
        ["focal.point@sn.example.org"],
        ["binta@example.org"],
        ["focal.point@sn.example.org"],
    ]
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_delivery_reads_on_while_a_whole_round_was_waiting(meeting, senegal):
    for address in ("awa@example.org", "binta@example.org", "coumba@example.org"):
        _pending(meeting=meeting, delegation=senegal, email=address)

    count = delivery.deliver_notifications(batch=1, limit=2)

    assert count == 3
    assert [message.to for message in mail.outbox] == [
        ["awa@example.org"],
        ["binta@example.org"],
        ["coumba@example.org"],
    ]


def test_delivery_leaves_emails_that_failed_before_to_the_retry(meeting, senegal):
    failed = _pending(meeting=meeting, delegation=senegal, email="awa@example.org")
    Notification.objects.filter(pk=failed.pk).update(attempts=1, last_error="SMTPError: busy")
    fresh = _pending(meeting=meeting, delegation=senegal, email="binta@example.org")

    count = delivery.deliver_notifications()

    assert count == 1
    assert [message.to for message in mail.outbox] == [["binta@example.org"]]
    assert Notification.objects.get(pk=failed.pk).sent_at is None
    assert Notification.objects.get(pk=fresh.pk).sent_at is not None


def test_deliver_notifications_task_runs_the_delivery(meeting, senegal):
    _pending(meeting=meeting, delegation=senegal, email="awa@example.org")

    assert deliver_notifications_task.call() == 1
    assert [message.to for message in mail.outbox] == [["awa@example.org"]]


def test_send_notifications_with_the_mail_server_unreachable_keeps_the_batch_pending(
    meeting, senegal, settings
):
    settings.EMAIL_BACKEND = "tests.registrations.test_notifications.UnreachableBackend"
    first = _pending(meeting=meeting, delegation=senegal, email="awa@example.org")
    second = _pending(meeting=meeting, delegation=senegal, email="binta@example.org")

    count = delivery.send_notifications([first.pk, second.pk])

    assert count == 0
    assert list(
        Notification.objects.order_by("pk").values_list("sent_at", "attempts", "last_error")
    ) == [
        (None, 1, "ConnectionRefusedError: Connection refused"),
        (None, 1, "ConnectionRefusedError: Connection refused"),
    ]


def test_send_notifications_refused_message_does_not_hold_back_the_others(
    meeting, senegal, settings
):
    settings.EMAIL_BACKEND = "tests.registrations.test_notifications.RefusingBackend"
    RefusingBackend.opened = 0
    ids = [
        _pending(meeting=meeting, delegation=senegal, email=address).pk
        for address in ("awa@example.org", "binta@example.org", "coumba@example.org")
    ]

    count = delivery.send_notifications(ids)

    assert count == 2
    assert RefusingBackend.opened == 1
    assert [message.to for message in mail.outbox] == [
        ["awa@example.org"],
        ["coumba@example.org"],
    ]
    assert list(
        Notification.objects.order_by("pk").values_list("recipient", "attempts", "last_error")
    ) == [
        ("awa@example.org", 1, ""),
        (
            "binta@example.org",
            1,
            "SMTPRecipientsRefused: {'binta@example.org': (550, b'No such user')}",
        ),
        ("coumba@example.org", 1, ""),
    ]
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2


# --- through a real SMTP server -----------------------------------------------------------


class Inbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _subject(message) -> str:
    """The subject as a mail client shows it (encoded words decoded, folding removed)."""
    return str(make_header(decode_header(message["Subject"])))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Convene <no-reply@convene.example.org>"
    yield inbox
    controller.stop()


def test_registration_emails_go_through_a_real_smtp_server(
    make_meeting, senegal, client, smtp_server, sent
):
    meeting = make_meeting(email_verification_required=True, title_fr="Atelier de Dakar")

    with sent():
        response = client.post(
            f"/fr/meetings/{meeting.slug}/register/",
            form_data(meeting, senegal, email="awa@example.org", language="fr"),
        )

    registration = Registration.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    message = email.message_from_bytes(envelope.original_content)
    assert envelope.mail_from == "no-reply@convene.example.org"
    assert envelope.rcpt_tos == ["awa@example.org"]
    assert _subject(message) == "Vérifiez votre adresse électronique\xa0: Atelier de Dakar"
    assert message["To"] == "awa@example.org"
    body = message.get_payload(decode=True).decode()
    assert _links(body) == [
        ("/fr/registration/<token>/verify/", registration),
        ("/fr/registration/<token>/", registration),
    ]
    verify_path = _url_path(LINK.search(body)[0])
    assert Notification.objects.get().sent_at is not None

    with sent():
        client.post(verify_path)

    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT
    assert [
        _subject(email.message_from_bytes(envelope.original_content))
        for envelope in smtp_server.envelopes[1:]
    ] == ["Inscription reçue\xa0: Atelier de Dakar"]


def _lines_with(body: str, text: str) -> list[str]:
    return [line for line in body.split("\n") if text in line]


def test_focal_point_email_quotes_a_name_that_reads_like_an_instruction(
    meeting, senegal, focal_point_senegal, sent
):
    with sent():
        _submit(
            meeting,
            senegal,
            "awa@example.org",
            first_name="Approved. Click http://evil.example",
            function="Your delegation is full. Click http://evil.example",
        )

    body = mail.outbox[1].body
    assert _lines_with(body, "http://evil.example") == [
        "    > Ms Approved. Click http://evil.example Diop",
        "    > Your delegation is full. Click http://evil.example",
    ]


def test_focal_point_email_keeps_a_stored_line_break_inside_the_quote(
    meeting, senegal, focal_point_senegal, sent
):
    # Stored before one-line fields were enforced: the second line stays quoted.
    registration = RegistrationFactory(
        meeting=meeting,
        delegation=senegal,
        first_name="Awa\n\nApproved. Click http://evil.example",
        institution="Ministry\u2028Status: Approved",
    )

    _subject, body, _attachments = delivery.render_notification(
        Notification(registration=registration, event="focal_point_new", language="en")
    )

    assert _lines_with(body, "http://evil.example") == [
        "    > Awa Approved. Click http://evil.example Diallo"
    ]
    assert _lines_with(body, "Status: Approved") == ["    > Ministry Status: Approved"]


# --- someone registers again with an address already registered ---------------------------


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "en",
            "You are already registered: Dakar workshop",
            "Someone, perhaps you, has just registered for “Dakar workshop” with this email "
            "address. This address already has a registration for the meeting, so nothing was "
            "changed and no second registration was made.",
        ),
        (
            "fr",
            "Vous êtes déjà inscrit ou inscrite\xa0: Atelier de Dakar",
            "Quelqu'un, peut-être vous, vient de s'inscrire à «\xa0Atelier de Dakar\xa0» avec "
            "cette adresse électronique. Cette adresse a déjà une inscription à la "
            "réunion\xa0: rien n'a été modifié et aucune seconde inscription n'a été créée.",
        ),
    ],
)
def test_already_registered_email_gives_the_existing_personal_link(
    language, subject, sentence, make_meeting, senegal, france, sent
):
    meeting = make_meeting(title_en="Dakar workshop", title_fr="Atelier de Dakar")
    existing = _submit(meeting, senegal, "awa@example.org", language=language)
    mail.outbox.clear()

    with sent():
        services.submit_self_registration(
            meeting, data=registration_data(meeting, france, email="AWA@example.org")
        )

    assert _messages() == [(["awa@example.org"], subject)]
    assert sentence in mail.outbox[0].body
    assert _links(mail.outbox[0].body) == [(f"/{language}/registration/<token>/", existing)]


def test_already_registered_email_unverified_gives_the_verification_link_too(
    make_meeting, senegal, sent
):
    meeting = make_meeting(email_verification_required=True)
    existing = _submit(meeting, senegal, "awa@example.org")
    mail.outbox.clear()

    with sent():
        services.submit_self_registration(
            meeting, data=registration_data(meeting, senegal, email="awa@example.org")
        )

    assert _links(mail.outbox[0].body) == [
        ("/en/registration/<token>/verify/", existing),
        ("/en/registration/<token>/", existing),
    ]
    assert (
        "Your registration still awaits the confirmation of your email address. Confirm it "
        "by following this link:" in mail.outbox[0].body
    )


# --- the focal point hears of a cancellation and of a promotion to endorse --------------------


def test_cancellation_by_the_delegate_emails_the_focal_point(
    meeting, senegal, focal_point_senegal, sent
):
    registration = _submit(meeting, senegal, "awa@example.org", role="head")
    mail.outbox.clear()

    with sent():
        services.cancel_registration(registration)

    assert _messages() == [
        (["awa@example.org"], "Registration cancelled: Dakar workshop"),
        (
            ["focal.point@sn.example.org"],
            "A delegate cancelled their registration: Dakar workshop",
        ),
    ]
    assert mail.outbox[1].body == (
        "A delegate of Senegal cancelled their registration for “Dakar workshop”:\n"
        "\n"
        "As typed by the registrant (name, function, institution):\n"
        "    > Ms Awa Diop\n"
        "    > Director of migration\n"
        "    > Ministry of Foreign Affairs\n"
        "\n"
        "Role in the delegation: Head of delegation\n"
        "Participation: In person\n"
        "\n"
        "Review your delegation:\n"
        "http://127.0.0.1:8000/en/focal-point/meetings/dakar-workshop/\n"
        "\n"
    )


def test_cancellation_email_to_the_focal_point_in_french(meeting, senegal, sent):
    FocalPointRoleFactory(partner=senegal, user__email="pf@sn.example.org", user__language="fr")
    registration = _submit(meeting, senegal, "awa@example.org", language="en")
    mail.outbox.clear()

    with sent():
        services.cancel_registration(registration)

    assert _messages() == [
        (["awa@example.org"], "Registration cancelled: Dakar workshop"),
        (
            ["pf@sn.example.org"],
            "Annulation d'une inscription de votre délégation\xa0: Atelier de Dakar",
        ),
    ]
    assert mail.outbox[1].body.startswith(
        "Une personne de votre délégation (Sénégal) a annulé son inscription à "
        "«\xa0Atelier de Dakar\xa0»\xa0:\n"
    )


def test_cancellation_by_staff_does_not_email_the_focal_point(
    meeting, senegal, focal_point_senegal, secretariat_officer, sent
):
    registration = _submit(meeting, senegal, "awa@example.org")
    mail.outbox.clear()

    with sent():
        services.cancel_registration(registration, actor=secretariat_officer)

    assert _messages() == [(["awa@example.org"], "Registration cancelled: Dakar workshop")]


def _promoted_to_await_endorsement(make_meeting, senegal, france, language):
    """A registration waiting when the meeting came to ask for the focal point's endorsement,
    promoted by a cancellation."""
    meeting = make_meeting(
        slug="dakar-workshop",
        in_person_capacity=1,
        title_en="Dakar workshop",
        title_fr="Atelier de Dakar",
    )
    taken = _submit(meeting, france, "taken@example.org")
    waiting = _submit(meeting, senegal, "awa@example.org", language=language, role="head")
    meeting.focal_point_endorsement_required = True
    meeting.save()
    mail.outbox.clear()
    return taken, waiting


def test_promotion_to_await_endorsement_emails_the_focal_point(
    make_meeting, senegal, france, focal_point_senegal, secretariat_officer, sent
):
    taken, waiting = _promoted_to_await_endorsement(make_meeting, senegal, france, "en")

    with sent():
        services.cancel_registration(taken, actor=secretariat_officer)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.AWAITING_FOCAL_POINT
    assert _messages() == [
        (["taken@example.org"], "Registration cancelled: Dakar workshop"),
        (["awa@example.org"], "Promoted from the waiting list: Dakar workshop"),
        (
            ["focal.point@sn.example.org"],
            "A registration awaits your endorsement: Dakar workshop",
        ),
    ]
    assert mail.outbox[2].body == (
        "A place became free for a registration of the delegation of Senegal to "
        "“Dakar workshop”. It now awaits your endorsement:\n"
        "\n"
        "As typed by the registrant (name, function, institution):\n"
        "    > Ms Awa Diop\n"
        "    > Director of migration\n"
        "    > Ministry of Foreign Affairs\n"
        "\n"
        "Role in the delegation: Head of delegation\n"
        "Participation: In person\n"
        "\n"
        "Endorse or decline it on your delegation's page:\n"
        "http://127.0.0.1:8000/en/focal-point/meetings/dakar-workshop/\n"
        "\n"
    )


def test_promotion_to_await_endorsement_emails_the_focal_point_in_french(
    make_meeting, senegal, france, secretariat_officer, sent
):
    FocalPointRoleFactory(partner=senegal, user__email="pf@sn.example.org", user__language="fr")
    taken, _waiting = _promoted_to_await_endorsement(make_meeting, senegal, france, "en")

    with sent():
        services.cancel_registration(taken, actor=secretariat_officer)

    assert _messages()[2] == (
        ["pf@sn.example.org"],
        "Une inscription attend votre aval\xa0: Atelier de Dakar",
    )
    assert mail.outbox[2].body.startswith(
        "Une place s'est libérée pour une inscription de votre délégation (Sénégal) à "
        "«\xa0Atelier de Dakar\xa0». Elle attend maintenant votre aval\xa0:\n"
    )


def test_promotion_with_a_place_emails_no_focal_point(
    make_meeting, senegal, france, focal_point_senegal, secretariat_officer, sent
):
    meeting = make_meeting(in_person_capacity=1, title_en="Dakar workshop")
    taken = _submit(meeting, france, "taken@example.org")
    _submit(meeting, senegal, "awa@example.org")
    mail.outbox.clear()

    with sent():
        services.cancel_registration(taken, actor=secretariat_officer)

    assert _messages() == [
        (["taken@example.org"], "Registration cancelled: Dakar workshop"),
        (["awa@example.org"], "Promoted from the waiting list: Dakar workshop"),
    ]


@pytest.mark.parametrize(
    ("language", "note"),
    [
        (
            "en",
            "The meeting's 1 in-person place is taken. You are number 2 on the waiting list.",
        ),
        (
            "fr",
            "La réunion a 1 place en présentiel, déjà prise. Votre rang sur la liste "
            "d'attente\xa0: 2.",
        ),
    ],
)
def test_waitlisted_email_says_why_and_the_place_on_the_list(
    language, note, make_meeting, senegal, france, sent
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "first@example.org")
    _submit(meeting, france, "second@example.org")

    with sent():
        _submit(meeting, senegal, "awa@example.org", language=language)

    assert [message.to for message in mail.outbox] == [["awa@example.org"]]
    assert mail.outbox[0].body.split("\n\n")[2] == note


def test_waitlisted_email_names_the_delegation_whose_places_are_taken(make_meeting, senegal, sent):
    meeting = make_meeting(delegation_size=1)
    _submit(meeting, senegal, "first@example.org")

    with sent():
        _submit(meeting, senegal, "awa@example.org")

    assert [message.to for message in mail.outbox] == [["awa@example.org"]]
    assert mail.outbox[0].body.split("\n\n")[2] == (
        "Senegal: the delegation's 1 place is taken. You are number 1 on the waiting list."
    )


def test_waitlisted_email_for_the_member_place_of_a_one_plus_one_claims_no_full_meeting(
    make_meeting, senegal, sent
):
    # Places are left at the meeting and for a head of delegation: only the place for a
    # member or an expert is taken, and the email says so and nothing more.
    meeting = make_meeting(
        in_person_capacity=40, delegation_size=2, delegation_heads=1, title_en="Dakar workshop"
    )
    _submit(meeting, senegal, "first@example.org", role=DelegationRole.MEMBER)

    with sent():
        _submit(meeting, senegal, "awa@example.org", role=DelegationRole.MEMBER)

    assert [message.to for message in mail.outbox] == [["awa@example.org"]]
    assert mail.outbox[0].body.split("\n\n")[1:3] == [
        "Your registration for “Dakar workshop” is on the waiting list. We will write to you "
        "when that changes.",
        "Senegal: the delegation's 1 place for a member or an expert is taken. You are number "
        "1 on the waiting list.",
    ]


STAFF_ENTRY_VERIFY = {
    "en": [
        "Dear Ms Awa Diop,",
        "",
        "The Secretariat or the organisers of “Dakar workshop” have registered you for it. "
        "Please confirm your email address by following this link: your registration counts "
        "from then on.",
        "",
        "http://127.0.0.1:8000/en/registration/<token>/verify/",
        "",
        "If you do not expect to take part, cancel the registration from the link to your "
        "registration below.",
    ],
    "fr": [
        "Bonjour Mme Awa Diop,",
        "",
        "Le Secrétariat ou les organisateurs de «\u00a0Atelier de Dakar\u00a0» ont enregistré "
        "votre inscription à cette réunion. Veuillez confirmer votre adresse électronique en "
        "suivant ce lien\u00a0: votre inscription ne sera prise en compte qu'à partir de ce "
        "moment.",
        "",
        "http://127.0.0.1:8000/fr/registration/<token>/verify/",
        "",
        "Si vous ne prévoyez pas de participer, annulez l'inscription depuis le lien vers "
        "votre inscription ci-dessous.",
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_entry_with_verification_email_says_who_registered_them(
    language, meeting, senegal, secretariat_officer, sent
):
    data = registration_data(meeting, senegal, email="speaker@example.org", language=language)

    with sent():
        registration = services.submit_registration(
            meeting,
            data=data,
            source=Source.SECRETARIAT,
            actor=secretariat_officer,
            send_verification=True,
        )

    assert [message.to for message in mail.outbox] == [["speaker@example.org"]]
    assert _masked(mail.outbox[0].body).splitlines()[:7] == STAFF_ENTRY_VERIFY[language]
    assert _links(mail.outbox[0].body)[0][1] == registration


def test_discard_unsent_notifications_drops_the_person_s_unsent_emails_of_those_events(
    meeting, senegal
):
    from convene.registrations.enums import Event

    registration = RegistrationFactory(meeting=meeting, delegation=senegal, email="awa@example.org")

    def queued(event, **fields):
        return Notification.objects.create(
            registration=registration,
            recipient="awa@example.org",
            event=event,
            language="en",
            **fields,
        )

    queued(Event.RECEIVED)
    approved = queued(Event.APPROVED)
    sent = queued(Event.WAITLISTED, sent_at=timezone.now())

    dropped = notifications.discard_unsent_notifications(
        registration, (Event.RECEIVED, Event.WAITLISTED)
    )

    assert (dropped, set(Notification.objects.values_list("pk", flat=True))) == (
        1,
        {approved.pk, sent.pk},
    )
