"""Demo registrations for ``manage.py load_demo`` (idempotent): event types and networks, on-site
registration with questions, a waiting list, and B2B meetings at the Prato days."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale

from cms.demo import _translate
from cms.directory.models import Organisation
from cms.models import EventPage, EventQuestion

from . import services
from .models import Meeting, MeetingProfile, Registration

# slug: (type, networks, on-site registration?, capacity, B2B meetings?)
EVENT_SETTINGS = {
    "textile-circularity-days-prato": ("matchmaking", ["tex4im", "textranet"], True, 120, True),
    "webinar-textile-epr": ("webinar", ["enter-network"], True, 300, False),
    "nir-sorting-demo-lodz": ("open_day", ["enter-network"], True, 2, False),
    "nonwovens-workshop-liberec": ("workshop", ["enter-network"], False, None, False),
    "enter-kickoff-2025": ("conference", ["enter-network"], False, None, False),
    "chemical-recycling-conference": ("conference", ["textranet"], False, None, False),
    "webinar-digital-product-passport": ("webinar", ["textranet", "tex4im"], False, None, False),
}

# Polish and Italian titles and summaries of the events the partner networks share
# ({slug: {language: (title, summary)}}); registrations stay with the English original.
TRANSLATIONS = {
    "textile-circularity-days-prato": {
        "pl": (
            "Dni Obiegu Zamkniętego Tekstyliów w Prato",
            "Dwa dni wizyt w zakładach, kojarzenia wytwórców odpadów z recyklerami oraz "
            "spotkanie partnerów TEX4IM.",
        ),
        "it": (
            "Giornate della circolarità tessile a Prato",
            "Due giorni di visite agli stabilimenti, incontri tra produttori di scarti e "
            "riciclatori e la riunione dei partner TEX4IM.",
        ),
    },
    "webinar-textile-epr": {
        "pl": (
            "Webinar: przygotowanie do ROP dla tekstyliów",
            "Czego dyrektywa (UE) 2025/1892 wymaga od producentów i jak powstają pierwsze "
            "krajowe systemy.",
        ),
        "it": (
            "Webinar: prepararsi alla EPR tessile",
            "Cosa chiede ai produttori la direttiva (UE) 2025/1892 e come si stanno "
            "progettando i primi sistemi nazionali.",
        ),
    },
    "nir-sorting-demo-lodz": {
        "pl": (
            "Dzień otwarty linii sortowania NIR",
            "Zobacz pracę hiperspektralnej linii sortującej odzież poużytkową i przynieś próbki "
            "do testów.",
        ),
        "it": (
            "Giornata aperta della linea di selezione NIR",
            "Guarda la linea di selezione iperspettrale al lavoro sugli indumenti post-consumo "
            "e porta campioni da provare.",
        ),
    },
    "nonwovens-workshop-liberec": {
        "pl": (
            "Warsztaty: włókno z recyklingu w włókninach",
            "Praktyczne warsztaty z przygotowania włókien, igłowania i badań jakości mieszanek "
            "z recyklingu.",
        ),
        "it": (
            "Workshop: fibra riciclata nei tessuti non tessuti",
            "Workshop pratico su preparazione delle fibre, agugliatura e prove di qualità delle "
            "miscele riciclate.",
        ),
    },
    "chemical-recycling-conference": {
        "pl": (
            "Recykling chemiczny tekstyliów: konferencja Europy Środkowej",
            "Wystąpienia nauki i przemysłu o rozpuszczaniu i depolimeryzacji, z wizytą w "
            "instalacji pilotażowej.",
        ),
        "it": (
            "Riciclo chimico dei tessili: conferenza centroeuropea",
            "Interventi di ricerca e industria su dissoluzione e depolimerizzazione, con visita "
            "all'impianto pilota.",
        ),
    },
    "webinar-digital-product-passport": {
        "pl": (
            "Webinar: cyfrowy paszport produktu dla tekstyliów",
            "Cyfrowy paszport produktu z rozporządzenia ESPR na przykładzie pilotażu "
            "identyfikowalności z Bielli.",
        ),
        "it": (
            "Webinar: il passaporto digitale dei prodotti tessili",
            "Il passaporto digitale del prodotto dell'ESPR spiegato con l'esempio del progetto "
            "pilota di tracciabilità di Biella.",
        ),
    },
}

PROFILES = {
    "exchange@example.org": (
        "Wool and cashmere selvedges, 20 t a year, sorted by colour.",
        "Recyclers who card selvedges into yarn; buyers of regenerated wool.",
    ),
    "editor@example.org": (
        "The Łódź cluster's sorting hub plans and a network of 40 garment makers.",
        "Partners for an Interreg project on automated sorting.",
    ),
    "moderator@example.org": (
        "Fibre testing and traceability of regenerated wool.",
        "Spinners and weavers to pilot a digital product passport.",
    ),
    "trainee@example.org": (
        "A young designer's collection made of deadstock fabric.",
        "Mills with deadstock fabric and recycled yarn.",
    ),
}


def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Event registration and B2B meetings"))
    networks = {o.slug: o for o in Organisation.objects.filter(kind="network")}
    users = {user.email: user for user in get_user_model().objects.filter(email__in=PROFILES)}
    for slug, (kind, network_slugs, on_site, capacity, b2b) in EVENT_SETTINGS.items():
        page = EventPage.objects.filter(slug=slug, locale=Locale.get_default()).first()
        if page is None:
            continue
        with transaction.atomic():
            page.kind = kind
            page.networks.set([networks[n] for n in network_slugs if n in networks])
            if on_site and not page.is_past:
                page.registration_mode = "on_site"
                page.capacity = capacity
                page.b2b_meetings = b2b
                page.registration_deadline = page.start - datetime.timedelta(days=1)
                if not page.registration_questions.exists():
                    page.registration_questions = [
                        EventQuestion(
                            label="Organisation type",
                            kind="choice",
                            required=True,
                            options="Company\nRecycler\nResearch centre\nCluster or association\nPublic body",
                        ),
                        EventQuestion(label="Dietary needs", kind="short_text"),
                    ]
            page.save()
        if not page.registers_on_site or page.is_past:
            continue
        for email, user in users.items():
            if Registration.objects.filter(event=page, user=user).exists():
                continue
            try:
                services.registration_create(event=page, user=user)
            except services.RegistrationError:
                continue
            if page.b2b_meetings:
                offer, seek = PROFILES[email]
                services.meeting_profile_save(event=page, user=user, offer=offer, seek=seek)
        if page.b2b_meetings and not page.meeting_slots.exists():
            local = page.local_start.replace(hour=14, minute=0, second=0, microsecond=0)
            services.timetable_create(
                event=page,
                first_start=local,
                last_end=local + datetime.timedelta(hours=2),
                minutes=20,
                break_minutes=5,
                tables=8,
            )
            profiles = list(
                MeetingProfile.objects.filter(registration__event=page).select_related(
                    "registration__user"
                )
            )
            if len(profiles) >= 3 and not Meeting.objects.filter(event=page).exists():
                first, second, third = (profile.registration for profile in profiles[:3])
                meeting = services.meeting_request(
                    event=page,
                    user=first.user,
                    recipient=second,
                    message="Could we talk about selvedges?",
                )
                services.meeting_accept(meeting=meeting, user=second.user)
                services.meeting_request(event=page, user=third.user, recipient=first)
    for slug, languages in TRANSLATIONS.items():
        page = EventPage.objects.filter(slug=slug, locale=Locale.get_default()).first()
        if page is None:
            continue
        for language, (title, summary) in languages.items():
            _translate(page, language, title, summary)
    stdout.write(
        f"  {Registration.objects.count()} registrations, {Meeting.objects.count()} B2B meetings"
    )
