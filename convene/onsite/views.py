import datetime
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from convene.core.bilingual import LANGUAGE_CODES, active_language
from convene.core.errors import TryAgainLater
from convene.core.formatting import format_date, format_date_range
from convene.meetings.models import Meeting
from convene.meetings.permissions import can_manage_meeting
from convene.registrations.admin import PARTICIPATION_FIELDS, PERSON_FIELDS
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration
from convene.registrations.ratelimits import limit_public_posts
from convene.registrations.tokens import registration_from_token

from . import selectors, services
from .attendance import attendance_sheet_filename, attendance_sheet_pdf
from .certificates import (
    certificate_days,
    certificate_filename,
    certificate_number,
    certificate_pdf,
    certificates_open,
    format_days,
    reference_of_certificate_code,
)
from .checkin import REFUSALS, answer_payload, roster_of
from .confirmation import confirmation_filename, confirmation_pdf
from .enums import CheckinOutcome, VisaLetterStatus
from .errors import CheckinError, FundingError, PassportError, TravelError, WalkInError
from .forms import PassportForm, TravelForm, WalkInForm
from .models import Attendance, CheckinDevice, VisaLetter
from .permissions import (
    can_register_walk_in,
    can_request_funding,
    can_use_checkin,
    can_view_attendance,
)
from .ratelimits import limit_certificate_verification_reads, limit_verification_reads
from .selectors import expects_travel_details, is_funded, passport_receipt, travel_details_of
from .tokens import TokenRefused, sha256_hex
from .travel import venue_day


def confirmation_download(request, token):
    """The confirmation PDF, behind the personal link the registration page uses; a page
    saying why when the registration is not (or no longer) approved."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        content = confirmation_pdf(registration)
    except TokenRefused as refusal:
        return render(
            request,
            "onsite/confirmation_refused.html",
            {"registration": registration, "meeting": registration.meeting, "refusal": refusal},
            status=404,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{confirmation_filename(registration)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@limit_public_posts("funding")
def personal_funding_request(request, token):
    """The delegate asks for a funded place from their personal page (when the meeting
    lets delegates ask; request_funding decides) and is sent back to it."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        services.request_funding(registration, actor=None)
    except (FundingError, TryAgainLater) as error:
        # Nothing was saved: the page says why, and a busy moment may be tried again.
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Your request for a funded place is sent: you will be emailed the decision."),
        )
    return redirect(reverse("registrations:personal", kwargs={"token": token}) + "#funding")


@login_required
@require_POST
def focal_point_funding_request(request, slug):
    """The focal point asks for a funded place for a delegate of theirs (by reference)
    and is sent back to the delegation's page."""
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    reference = request.POST.get("reference", "")
    registration = (
        Registration.objects.select_related("meeting", "delegation")
        .filter(meeting=meeting, reference=reference[:12])
        .first()
    )
    # Another delegation's registration answers as an unknown one would: no hint of it.
    if registration is None or not can_request_funding(request.user, registration):
        raise PermissionDenied
    try:
        services.request_funding(registration, actor=request.user)
    except (FundingError, TryAgainLater) as error:
        # Nothing was saved: the page says why, and a busy moment may be tried again.
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("A funded place is requested for %(name)s.") % {"name": registration.full_name},
        )
    back = reverse("registrations:focal_point_meeting", kwargs={"slug": meeting.slug})
    return redirect(f"{back}#registration-{registration.reference}")


@require_http_methods(["GET", "POST"])
def passport_entry(request, token):
    """The delegate's passport data for a visa support letter, behind the personal link:
    a receipt of what was sent (never the whole number) and the form to send or correct
    it; a page saying why when the registration is not asked for it."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        services.check_passport_entry(registration)
    except PassportError as refusal:
        return _passport_refused(request, registration, refusal)
    form = PassportForm(request.POST or None, meeting=registration.meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_passport_details(registration, data=form.cleaned_data, actor=None)
            except TryAgainLater as error:
                # Nothing was saved: the form again, with what was typed.
                form.add_error(None, error.message)
                status = 503
            except PassportError as error:
                if error.field is None:
                    return _passport_refused(request, registration, error)
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    gettext("Thank you: your passport data is received for your letter."),
                )
                return redirect(request.path)
    return render(
        request,
        "onsite/passport.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "form": form,
            "receipt": passport_receipt(registration),
        },
        status=status,
    )


def _passport_refused(request, registration, refusal: PassportError):
    return render(
        request,
        "onsite/passport_refused.html",
        {"registration": registration, "meeting": registration.meeting, "refusal": refusal},
        status=404,
    )


def _verification_section(letter: VisaLetter, language: str) -> dict:
    """What the page says of `letter` in `language`: the number, the name, the meeting, its
    dates and the status, and nothing else (no passport data, no contact, no function)."""
    with translation.override(language):
        if letter.is_valid:
            status = str(VisaLetterStatus.VALID.label)
        else:
            status = gettext("Withdrawn on %(date)s") % {
                "date": format_date(timezone.localdate(letter.withdrawn_at), "j F Y")
            }
        return {
            "language": language,
            "heading": gettext("Visa support letter"),
            "rows": [
                (gettext("Number"), letter.number),
                (gettext("Name"), letter.holder_name),
                (gettext("Meeting"), letter.meeting_title),
                (
                    gettext("Dates"),
                    format_date_range(letter.meeting_starts_on, letter.meeting_ends_on),
                ),
                (gettext("Status"), status),
            ],
        }


def _page_languages() -> list[str]:
    """The page's language first, then the other: a consulate reads either."""
    first = active_language()
    return [first, *(code for code in LANGUAGE_CODES if code != first)]


@limit_verification_reads
def verify_visa_letter(request, code):
    """The public page a letter's QR code opens: is this letter genuine and still valid?
    Unknown codes answer 404 with a sentence, never a hint of which codes exist."""
    letter = selectors.visa_letter_for_verification(code)
    if letter is None:
        response = render(request, "onsite/visa_letter_unknown.html", status=404)
    else:
        response = render(
            request,
            "onsite/visa_letter_verification.html",
            {
                "letter": letter,
                "sections": [
                    _verification_section(letter, language) for language in _page_languages()
                ],
            },
        )
    # Neither indexed nor kept by a shared cache: the page names a person.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def travel(request, token):
    """The delegate's travel details, behind the personal link: the form (GET), saved
    (POST) then back to the personal page; the form again with what was typed and the
    errors when refused. A page saying why for a registration not approved or not
    attending in person."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    meeting = registration.meeting
    if not expects_travel_details(registration):
        return _travel_refused(request, registration)
    details = travel_details_of(registration)
    form = TravelForm(
        request.POST if request.method == "POST" else None,
        meeting=meeting,
        funded=is_funded(registration),
        details=details,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_travel_details(registration, data=form.travel_values(), actor=None)
            except TravelError as error:
                if error.code in ("not_approved", "meeting_cancelled", "not_in_person"):
                    return _travel_refused(request, registration, error.message)
                form.add_error(form.field_for_problem(error.field), error.message)
            except TryAgainLater as error:
                form.add_error(None, error.message)
                status = 503
            else:
                messages.success(request, gettext("Your travel details are saved."))
                return redirect("registrations:personal", token=token)
    return render(
        request,
        "onsite/travel.html",
        {"registration": registration, "meeting": meeting, "form": form, "details": details},
        status=status,
    )


def _travel_refused(request, registration, message: str = ""):
    if not message:
        if registration.status != RegistrationStatus.APPROVED:
            message = gettext("Travel details are asked once the registration is approved.")
        elif registration.meeting.is_cancelled:
            message = gettext("This meeting is cancelled: no travel details are needed.")
        else:
            message = gettext("Travel details are asked only of those who attend in person.")
    return render(
        request,
        "onsite/travel_refused.html",
        {"registration": registration, "meeting": registration.meeting, "message": message},
        status=403,
    )


# --- The check-in page at the door ---------------------------------------------------

# Where the page keeps the device named in this session, per meeting: signing out ends
# the session and with it the device, so a revoked device is left only by signing in
# again (the revoked screen offers to) and naming a new one.
CHECKIN_DEVICE_SESSION_KEY = "onsite.checkin_device.{meeting_id}"
# At most this many check-ins in one sync request: a long queue goes in several.
CHECKIN_SYNC_MAX_ITEMS = 200


def _checkin_meeting(request, slug) -> Meeting:
    """The meeting whose door `request.user` works at: 404 for a meeting that does not
    exist or is not published (unless the user manages it), 403 without the right."""
    meeting = Meeting.objects.filter(slug=slug).select_related("dialogue").first()
    if meeting is None or not (meeting.is_published or can_manage_meeting(request.user, meeting)):
        raise Http404
    if not can_use_checkin(request.user, meeting):
        raise PermissionDenied
    return meeting


def _session_device(request, meeting: Meeting) -> CheckinDevice | None:
    """The device named in this session for `meeting` (revoked or not), else None."""
    device_id = request.session.get(CHECKIN_DEVICE_SESSION_KEY.format(meeting_id=meeting.pk))
    if not isinstance(device_id, int):
        return None
    return (
        CheckinDevice.objects.select_related("meeting")
        .filter(pk=device_id, meeting=meeting, token_hash__isnull=True)
        .first()
    )


def _checkin_words() -> dict:
    """Every word the page's script says, in the active language: the script holds no
    text of its own. Placeholders are %(name)s-style, filled in by the script."""
    return {
        "welcome": gettext("Welcome, %(name)s (%(delegation)s)"),
        "already_in": gettext("%(name)s: already checked in at %(time)s by %(device)s"),
        "garbage": gettext(REFUSALS[CheckinOutcome.GARBAGE]),
        "not_on_list": gettext(
            "Not on this device's list: it will be checked when the network returns."
        ),
        "waiting": [
            ngettext(
                "%(count)s check-in waiting to be sent",
                "%(count)s check-ins waiting to be sent",
                count,
            )
            for count in (0, 1, 2)
        ],
        "online": gettext("Online"),
        "offline": gettext("Offline: check-ins are kept on this device."),
        "no_match": gettext("No one on this device's list matches."),
        "no_roster": gettext("The list of delegates is not on this device yet."),
        "roster": gettext("%(count)s delegates on this device's list, updated at %(time)s"),
        "check_in": gettext("Check in"),
        "check_in_person": gettext("Check in %(name)s"),
        "camera_refused": gettext("The camera could not be opened: search by name instead."),
        "scan_hint": gettext("Point the camera at the QR code of the badge."),
        "scan": gettext("Scan"),
        "stop": gettext("Stop scanning"),
        "revoked": gettext("This device has been revoked by the Secretariat."),
    }


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, slug):
    """The page at the door (phone first): name this device (POST), then search the
    roster or scan a QR code to check people in, online or not. A revoked device gets
    a screen saying so, until its user signs out and in again."""
    meeting = _checkin_meeting(request, slug)
    device = _session_device(request, meeting)
    error = ""
    name = ""
    status = 200
    if request.method == "POST" and (device is None or device.is_revoked):
        # A revoked device's session names no new one: sign out first (see above).
        if device is None:
            name = request.POST.get("name", "")[:200]
            try:
                device = services.add_checkin_device(meeting, actor=request.user, name=name)
            except CheckinError as refusal:
                error = refusal.message
                status = 400
            else:
                key = CHECKIN_DEVICE_SESSION_KEY.format(meeting_id=meeting.pk)
                request.session[key] = device.pk
                return redirect("onsite:checkin", slug=meeting.slug)
    elif request.method == "POST":
        return redirect("onsite:checkin", slug=meeting.slug)
    if device is not None and device.is_revoked:
        status = 403
    response = render(
        request,
        "onsite/checkin.html",
        {
            "meeting": meeting,
            "device": device,
            "error": error,
            "name": name,
            "words": _checkin_words(),
            # Links to the desk's other pages, for those the predicates let in.
            "may_register_walk_in": can_register_walk_in(request.user, meeting),
            "may_view_attendance": can_view_attendance(request.user, meeting),
            # Said before the first scan rather than learnt from a row of refusals.
            "meeting_dates": format_date_range(meeting.starts_on, meeting.ends_on),
            "held_today": meeting.is_held_on(venue_day(timezone.now(), meeting)),
            "config": {
                "meeting": meeting.slug,
                "device": device.pk if device is not None else None,
                "deviceName": device.name if device is not None else "",
                "timeZone": str(meeting.tzinfo),
                "language": active_language(),
                "rosterUrl": reverse("onsite:checkin_roster", kwargs={"slug": meeting.slug}),
                "syncUrl": reverse("onsite:checkin_sync", kwargs={"slug": meeting.slug}),
                "workerUrl": reverse("onsite:checkin_worker", kwargs={"slug": meeting.slug}),
            },
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    response["Permissions-Policy"] = "camera=(self)"
    return response


def _json_refusal(code: str, message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _checkin_device_or_refusal(request, slug):
    """(meeting, device, None) for a signed-in user of the meeting's door with a named,
    unrevoked device in this session; else (None, None, a JSON refusal)."""
    if not request.user.is_authenticated:
        message = gettext("Sign in to check people in.")
        return None, None, _json_refusal("signed_out", message, 403)
    try:
        meeting = _checkin_meeting(request, slug)
    except Http404:
        return None, None, _json_refusal("not_found", gettext("There is no such meeting."), 404)
    except PermissionDenied:
        message = gettext("You do not check people in at this meeting.")
        return None, None, _json_refusal("forbidden", message, 403)
    device = _session_device(request, meeting)
    if device is None:
        message = gettext("Name this device first: reload the check-in page.")
        return None, None, _json_refusal("no_device", message, 403)
    if device.is_revoked:
        return None, None, _json_refusal("revoked", _checkin_words()["revoked"], 403)
    return meeting, device, None


@require_http_methods(["GET"])
def checkin_roster(request, slug):
    """The meeting's roster for the device of this session (checkin.roster_of: name,
    delegation, reference, hash of the code; nothing more). Never kept by a cache."""
    meeting, device, refusal = _checkin_device_or_refusal(request, slug)
    if refusal is not None:
        return refusal
    services.record_device_contact(device)
    response = JsonResponse({"roster": roster_of(meeting)})
    response["Cache-Control"] = "private, no-store"
    return response


def _sync_item(item, number: int) -> dict | str:
    """The keyword arguments of record_checkin for one queued check-in, or the sentence
    saying what is wrong with it."""
    problem = gettext("Check-in %(number)s is not valid: %(problem)s")

    def wrong(text: str) -> str:
        return problem % {"number": number, "problem": text}

    if not isinstance(item, dict):
        return wrong(gettext("it is not an object."))
    try:
        client_id = uuid.UUID(str(item.get("id", "")))
    except ValueError:
        return wrong(gettext("its id is not a UUID."))
    code = item.get("code", "") or ""
    reference = item.get("reference", "") or ""
    if not isinstance(code, str) or not isinstance(reference, str):
        return wrong(gettext("its code and reference must be text."))
    if bool(code) == bool(reference) or len(code) > 500 or len(reference) > 40:
        return wrong(gettext("it needs either a code or a reference."))
    scanned_at = item.get("scanned_at")
    try:
        scanned_at = parse_datetime(scanned_at) if isinstance(scanned_at, str) else None
    except ValueError:
        scanned_at = None
    if scanned_at is None or timezone.is_naive(scanned_at):
        return wrong(gettext("its time is not an ISO 8601 date and time with an offset."))
    return {"client_id": client_id, "code": code, "reference": reference, "scanned_at": scanned_at}


@require_POST
def checkin_sync(request, slug):
    """Check-ins queued on the device, sent in a batch (JSON, session and CSRF header):
    `{"device": id, "queued": n, "checkins": [{"id", "code" or "reference",
    "scanned_at"}]}`. Every item is checked before any is recorded; each answers with
    checkin.answer_payload, in order. Idempotent by the items' ids: a batch sent again
    changes nothing and answers the same."""
    _meeting, device, refusal = _checkin_device_or_refusal(request, slug)
    if refusal is not None:
        return refusal
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _json_refusal("invalid", gettext("The request is not valid JSON."), 400)
    if not isinstance(body, dict) or not isinstance(body.get("checkins"), list):
        message = gettext("The request must be an object with a list of check-ins.")
        return _json_refusal("invalid", message, 400)
    if body.get("device") != device.pk:
        message = gettext("This device is not the one named on this page: reload the page.")
        return _json_refusal("other_device", message, 403)
    items = body["checkins"]
    if len(items) > CHECKIN_SYNC_MAX_ITEMS:
        message = gettext("Send at most %(count)s check-ins at once.") % {
            "count": CHECKIN_SYNC_MAX_ITEMS
        }
        return _json_refusal("too_many", message, 400)
    queued = body.get("queued")
    if queued is not None and (not isinstance(queued, int) or isinstance(queued, bool)):
        message = gettext("The number of check-ins waiting must be a whole number.")
        return _json_refusal("invalid", message, 400)
    checkins = []
    for number, item in enumerate(items, start=1):
        values = _sync_item(item, number)
        if isinstance(values, str):
            return _json_refusal("invalid", values, 400)
        checkins.append(values)
    results = []
    try:
        for values in checkins:
            answer = services.record_checkin(device, actor=request.user, **values)
            results.append(answer_payload(answer))
    except CheckinError as error:
        # Revoked (or the role withdrawn) between two items: nothing more is accepted.
        return _json_refusal(error.code, error.message, 403)
    services.record_device_contact(device, queued_count=queued)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def checkin_worker(request, slug):
    """The check-in page's service worker. Served from under the page's own path
    (…/check-in/sw.js) rather than /static/: a worker's scope can be no wider than the
    folder its script is served from, and this one must control …/check-in/ (the page)
    and nothing else of the site. It keeps the page's shell and static files, never the
    roster or a sync answer (personal data stays in the page's storage, under the
    page's control)."""
    if not request.user.is_authenticated:
        raise Http404
    meeting = _checkin_meeting(request, slug)
    page_url = reverse("onsite:checkin", kwargs={"slug": meeting.slug})
    config = {
        "page": page_url,
        "assets": [
            static("convene/site.css"),
            static("convene/checkin.css"),
            static("convene/checkin.js"),
            static("convene/vendor/jsQR.js"),
            static("convene/favicon.svg"),
        ],
        # A new name when the static files change (hashed names), so the old cache goes.
        "cache": f"convene-checkin-{meeting.pk}-{sha256_hex(static('convene/checkin.js'))[:12]}",
    }
    response = render(
        request,
        "onsite/checkin_sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = page_url
    return response


# --- Attendance: live panel, sheets ---------------------------------------------------


def _attendance_meeting(request, slug):
    """The meeting of an attendance page, for those who may read its attendance."""
    meeting = get_object_or_404(Meeting, slug=slug)
    if not can_view_attendance(request.user, meeting):
        raise PermissionDenied
    return meeting


def _meeting_day(meeting, text: str | None):
    """The day of `meeting` named by `text` ("2031-09-01"); without one, today if the
    meeting is held today (venue time), else its first day. None for anything else."""
    if text is None:
        today = venue_day(timezone.now(), meeting)
        return today if meeting.is_held_on(today) else meeting.starts_on
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if meeting.is_held_on(day) else None


def _not_a_meeting_day(request, meeting):
    return render(request, "onsite/attendance_unknown_day.html", {"meeting": meeting}, status=404)


def _attendance_context(meeting, day) -> dict:
    return {
        "meeting": meeting,
        "day": day,
        "figures": selectors.attendance_figures(meeting, day),
        "updated_at": timezone.localtime(timezone.now(), meeting.tzinfo),
    }


@login_required
def attendance(request, slug, day=None):
    """The live figures of a day of the meeting (present against expected, by
    delegation, category and level of government), refreshing themselves every 15
    seconds (attendance_figures), with links to each day and its sheet."""
    meeting = _attendance_meeting(request, slug)
    chosen = _meeting_day(meeting, day)
    if chosen is None:
        return _not_a_meeting_day(request, meeting)
    context = _attendance_context(meeting, chosen)
    context["days"] = meeting.days
    context["may_check_in"] = can_use_checkin(request.user, meeting)
    return render(request, "onsite/attendance.html", context)


def attendance_figures(request, slug, day):
    """The figures alone, as the live panel fetches them: the same include. Refused
    (403) rather than sent to sign in once the session has ended: htmx swaps no error,
    so the panel keeps its last figures and their time instead of showing a form."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    meeting = _attendance_meeting(request, slug)
    chosen = _meeting_day(meeting, day)
    if chosen is None:
        return _not_a_meeting_day(request, meeting)
    return render(request, "onsite/_attendance_figures.html", _attendance_context(meeting, chosen))


@login_required
def attendance_sheet(request, slug, day):
    """The attendance sheet of `day` as a PDF in the page's language; audited."""

    meeting = _attendance_meeting(request, slug)
    chosen = _meeting_day(meeting, day)
    if chosen is None:
        return _not_a_meeting_day(request, meeting)
    content, rows = attendance_sheet_pdf(meeting, chosen)
    services.record_attendance_sheet_download(meeting, actor=request.user, day=chosen, rows=rows)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{attendance_sheet_filename(meeting, chosen)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Certificates of attendance ---------------------------------------------------------


def _certificate_refusal(registration) -> str:

    if registration.status != RegistrationStatus.APPROVED:
        return gettext("A certificate of attendance is issued only for an approved registration.")
    if not certificates_open(registration.meeting):
        return gettext(
            "Certificates of attendance can be downloaded from the last day of the meeting."
        )
    return gettext("There is no certificate of attendance: you were not checked in at the meeting.")


def certificate_download(request, token):
    """The certificate of attendance PDF, behind the personal link, in the
    registration's language; a page saying why there is none (not approved, before the
    last day, never checked in)."""

    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    days = certificate_days(registration)
    if not days:
        return render(
            request,
            "onsite/certificate_refused.html",
            {
                "meeting": registration.meeting,
                "token": token,
                "message": _certificate_refusal(registration),
            },
            status=404,
        )
    response = HttpResponse(certificate_pdf(registration, days), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(registration)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@limit_certificate_verification_reads
def verify_certificate(request, code):
    """The public page a certificate's QR code opens: is it genuine, whom and which days
    does it name? A code that was not signed by Convene, or whose registration has no
    certificate (any more), answers 404 with a sentence."""

    reference = reference_of_certificate_code(code)
    registration = (
        Registration.objects.select_related("meeting", "delegation")
        .filter(reference=reference)
        .first()
        if reference
        else None
    )
    days = certificate_days(registration) if registration is not None else []
    if not days:
        response = render(request, "onsite/certificate_unknown.html", status=404)
    else:
        meeting = registration.meeting
        response = render(
            request,
            "onsite/certificate_verification.html",
            {
                "registration": registration,
                "meeting": meeting,
                "number": certificate_number(registration),
                "dates": format_date_range(meeting.starts_on, meeting.ends_on),
                "days": format_days(days),
            },
        )
    # Neither indexed nor kept by a shared cache: the page names a person.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- walk-ins -----------------------------------------------------------------------
# Imported here so that this part merges as one block with the other parts of check-in.


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request, slug):
    """A person who turns up unregistered, registered and approved at the desk in one
    step (services.register_walk_in), and checked in for today unless unticked; then the
    empty form again for the next one, with what was done said above it. The
    Secretariat only (can_register_walk_in)."""
    meeting = get_object_or_404(Meeting.objects.select_related("dialogue"), slug=slug)
    if not can_register_walk_in(request.user, meeting):
        raise PermissionDenied
    form = WalkInForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                registration = services.register_walk_in(
                    meeting,
                    actor=request.user,
                    data=form.registration_data(),
                    check_in=form.cleaned_data["check_in_now"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except TryAgainLater as error:
                form.add_error(None, error.message)
                status = 503
            except WalkInError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _walk_in_done(
                        registration, meeting, check_in=form.cleaned_data["check_in_now"]
                    ),
                )
                return redirect(request.path)
    return render(
        request,
        "onsite/walk_in.html",
        {
            "meeting": meeting,
            "form": form,
            "person_fields": PERSON_FIELDS,
            "participation_fields": PARTICIPATION_FIELDS,
        },
        status=status,
    )


def _walk_in_done(registration: Registration, meeting: Meeting, *, check_in: bool) -> str:
    values = {"name": registration.full_name, "reference": registration.reference}
    today = venue_day(timezone.now(), meeting)
    if Attendance.objects.filter(registration=registration, day=today).exists():
        return (
            gettext("%(name)s is registered and approved (%(reference)s), and checked in today.")
            % values
        )
    if check_in:
        return (
            gettext(
                "%(name)s is registered and approved (%(reference)s); not checked in: the "
                "meeting is not held today."
            )
            % values
        )
    return gettext("%(name)s is registered and approved (%(reference)s).") % values
