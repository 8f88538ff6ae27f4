"""Badges of `make bench`: 500 badges rendered with the application's render_badges, and
the same names and QR codes in a minimal WeasyPrint page, each in its own process.

`python -m bench.badges SLUG [--count 500] [--bare]` prints one JSON object:
{count, seconds, cpu_seconds, pages, pages_per_s, peak_mb}. cpu_seconds is the process's
own CPU time over the same span: on a machine shared with other work it moves less than
the wall-clock seconds. The registrations are built in memory
(approved, for the meeting SLUG, names of every length, some in Arabic) and never saved:
what is timed is the rendering, not the database. Peak memory is the process's own
high-water mark (ru_maxrss), which is why each mode runs in a fresh process.
"""

import argparse
import io
import json
import os
import resource
import time

NAMES = (
    ("Awa", "Ndiaye"),
    ("Maria Fernanda Alejandra Guadalupe", "de los Santos Villanueva Ortega"),
    ("محمد الأمين", "عبد الرحمن"),
    ("Ngozi", "Şahin"),
    ("Jean-Baptiste", "Ouédraogo"),
)


def registrations(meeting, count: int) -> list:
    from convene.dialogues.models import Partner
    from convene.meetings.enums import Category
    from convene.registrations.enums import RegistrationStatus
    from convene.registrations.models import Registration

    partners = list(Partner.objects.filter(dialogue=meeting.dialogue).order_by("code"))
    made = []
    for n in range(count):
        first, last = NAMES[n % len(NAMES)]
        made.append(
            Registration(
                meeting=meeting,
                status=RegistrationStatus.APPROVED,
                category=Category.PARTNER_COUNTRY,
                delegation=partners[n % len(partners)],
                first_name=first,
                last_name=last,
                email=f"badge{n:05d}@bench.convene.test",
                function="Adviser",
                institution="Ministry of Foreign Affairs",
                language=("en", "fr")[n % 2],
                reference=f"BENCH{n:05d}",
            )
        )
    return made


def bare_pdf(people: list) -> bytes:
    """Name and QR code on an A6 page each, no fonts nor layout: WeasyPrint's floor."""
    from weasyprint import HTML

    from convene.onsite.confirmation import confirmation_qr

    pages = "".join(
        f'<section><p>{person.full_name}</p><img src="{confirmation_qr(person).svg_data_uri()}">'
        "</section>"
        for person in people
    )
    style = "@page { size: A6; } section { page-break-after: always; } img { width: 30mm; }"
    return HTML(string=f"<style>{style}</style>{pages}").write_pdf()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("slug")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import pypdf

    from convene.meetings.models import Meeting
    from convene.onsite.badges import render_badges

    meeting = Meeting.objects.select_related("dialogue").get(slug=args.slug)
    people = registrations(meeting, args.count)
    started, cpu_started = time.perf_counter(), time.process_time()
    content = bare_pdf(people) if args.bare else render_badges(people, layout="a6")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    print(
        json.dumps(
            {
                "count": args.count,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "pages": pages,
                "pages_per_s": round(pages / seconds, 1),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
