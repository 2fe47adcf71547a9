"""Demo content of the training platform (LOAD_DEMO hook, order 200; idempotent).

The catalogue at /courses/, four courses (English, Polish, Italian) with modules ``module-1``,
``module-2``… and lessons, and trainees at different stages: one with a certificate. The quiz
app's loader (order 210) adds quizzes to these courses by slug."""

import io
import json
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.accounts import roles
from cms.accounts.services import user_assign_role
from cms.demo import DEMO_PASSWORD
from cms.directory.models import Organisation, Region
from cms.models import HomePage, Topic

from . import services
from .models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    DeliveryMode,
    Enrolment,
    ExternalCoursePage,
    LessonPage,
    ModulePage,
)
from .providers import provider_add_member, training_providers_setup
from .scorm.demo import demo_package_zip
from .scorm.models import ScormPackage
from .scorm.services import package_store


def text(*paragraphs):
    return {"type": "text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def key_points(*points, heading="Key points"):
    return {"type": "key_points", "value": {"heading": heading, "points": list(points)}}


# slug, title, language, provider slug, region slug, hours, validity, design, featured, key,
# topics, summary, outcomes, prerequisites, modules: [(title, summary, [(lesson, minutes, required, body)])]
COURSES = [
    (
        "sorting-post-consumer-textiles",
        "Sorting post-consumer textiles",
        "en",
        "lodz-textile-cluster",
        "lodzkie",
        Decimal("6"),
        24,
        "classic",
        True,
        "",
        [("sorting", "Sorting"), ("collection", "Collection")],
        "How collected clothing and household textiles are graded for reuse and recycling: "
        "fractions, quality grades, manual and NIR-assisted sorting, and what recyclers need.",
        "Name the main output fractions of a textile sorting plant\n"
        "Grade garments for reuse by condition and market\n"
        "Explain what NIR sorting can and cannot detect\n"
        "Prepare a recycling fraction to a recycler's specification",
        "None: the course is for sorting operators, collectors and SME staff new to textile waste.",
        [
            (
                "From container to sorting plant",
                "What arrives, in what state, and why the first minutes decide its value.",
                [
                    (
                        "What is in a collection container",
                        12,
                        True,
                        [
                            text(
                                "Separately collected municipal textiles (waste code 20 01 11) and clothes (20 01 10) arrive in bags of mixed quality. Typically 50–60 % is wearable, 30–40 % is recyclable, and up to 10 % is non-textile contamination or wet and mouldy material.",
                                "Moisture is the first enemy: a wet bag contaminates its neighbours, so plants reject or dry wet loads on arrival.",
                            ),
                            key_points(
                                "Check bags for moisture and non-textiles on arrival",
                                "Record the origin of each load for traceability",
                                "Separate shoes and accessories before the grading line",
                            ),
                        ],
                    ),
                    (
                        "Pre-sorting and safety",
                        10,
                        True,
                        [
                            text(
                                "Pre-sorting removes the obviously non-textile items and splits the flow into clothing, household textiles and shoes. Operators wear cut-resistant gloves: needles, glass and batteries are found every day.",
                            )
                        ],
                    ),
                ],
            ),
            (
                "Grading for reuse and recycling",
                "Quality grades, fibre fractions and the recycler's specification.",
                [
                    (
                        "Reuse grades: cream, A, B",
                        15,
                        True,
                        [
                            text(
                                "The 'cream' (about 5 % of the input) goes to second-hand shops in Europe; grade A and B garments are exported to markets that accept them by season and style.",
                                "Grading is fast — 2 to 3 seconds per garment — so operators learn by examples, not rules.",
                            ),
                            key_points(
                                "Condition, brand and season decide the grade",
                                "Stained or torn items go to the recycling fractions",
                            ),
                        ],
                    ),
                    (
                        "Recycling fractions and NIR sorting",
                        15,
                        True,
                        [
                            text(
                                "Non-rewearable textiles are sorted by fibre and colour for recyclers: 100 % cotton for chemical pulp, wool by colour for carded yarn, polyester for thermomechanical recycling. Near-infrared scanners identify the main fibre of a garment in milliseconds but are blind to black items and multilayer garments.",
                            )
                        ],
                    ),
                    (
                        "Further reading: sorting plant case studies",
                        10,
                        False,
                        [
                            text(
                                "Optional: compare the sorting lines of the pilot cases in the Virtual Centre's pilot cases section."
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "fibre-identification",
        "Identyfikacja włókien w odpadach tekstylnych",
        "pl",
        "ift-lodz",
        "lodzkie",
        Decimal("8"),
        None,
        "modern",
        True,
        "",
        [("fibre-identification", "Fibre identification"), ("sorting", "Sorting")],
        "Jak rozpoznać skład surowcowy odpadów tekstylnych: etykiety, próba palenia, mikroskopia "
        "i spektroskopia NIR — oraz dlaczego skład decyduje o ścieżce recyklingu.",
        "Odczytać etykietę zgodnie z rozporządzeniem (UE) nr 1007/2011\n"
        "Przeprowadzić próbę palenia i zinterpretować wynik\n"
        "Rozpoznać podstawowe włókna pod mikroskopem\n"
        "Ocenić, kiedy potrzebne jest badanie laboratoryjne",
        "Podstawowa wiedza o materiałach włókienniczych.",
        [
            (
                "Szybkie metody",
                "Etykieta, dotyk i próba palenia.",
                [
                    (
                        "Etykieta i jej ograniczenia",
                        10,
                        True,
                        [
                            text(
                                "Etykieta podaje skład według nazw z załącznika I rozporządzenia (UE) nr 1007/2011. W odpadach pokonsumenckich etykieta często jest wycięta lub nieczytelna, a jej dokładność wynosi ±3 punkty procentowe.",
                            ),
                            key_points(
                                "Etykieta to pierwsza wskazówka, nie dowód",
                                "Brak etykiety: przejdź do próby palenia lub NIR",
                                heading="Najważniejsze",
                            ),
                        ],
                    ),
                    (
                        "Próba palenia",
                        15,
                        True,
                        [
                            text(
                                "Bawełna pali się szybko, pachnie papierem i zostawia miękki popiół. Wełna tli się, pachnie spalonym włosem. Poliester topi się, kapie i tworzy twardą kulkę.",
                            )
                        ],
                    ),
                ],
            ),
            (
                "Metody instrumentalne",
                "Mikroskopia i spektroskopia w bliskiej podczerwieni.",
                [
                    (
                        "Spektroskopia NIR w sortowni",
                        20,
                        True,
                        [
                            text(
                                "Skanery NIR porównują widmo odbicia z biblioteką wzorców. Działają dla jasnych tkanin o dominującym włóknie; mieszanki poniżej 10 % składnika i czarne barwniki sadzowe są dla nich niewidoczne.",
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "eu-textile-waste-legislation",
        "EU legislation on textile waste",
        "en",
        "lombardia-moda-circolare",
        "lombardy",
        Decimal("5"),
        36,
        "classic",
        False,
        "",
        [("legislation", "Legislation"), ("epr", "Extended producer responsibility")],
        "Separate collection from 2025, extended producer responsibility for textiles, the "
        "ecodesign regulation and the ban on destroying unsold goods: what each means for SMEs.",
        "Explain the separate collection obligation of the Waste Framework Directive\n"
        "Describe how EPR schemes for textiles are financed\n"
        "Identify the ecodesign requirements that will apply to textiles",
        "None.",
        [
            (
                "The Waste Framework Directive",
                "Separate collection and the waste hierarchy.",
                [
                    (
                        "Separate collection from 1 January 2025",
                        15,
                        True,
                        [
                            text(
                                "Directive 2008/98/EC as amended in 2018 requires Member States to set up separate collection of textiles by 1 January 2025. The 2025 revision adds mandatory extended producer responsibility schemes for textiles and footwear.",
                            ),
                            key_points(
                                "Waste hierarchy: prevention, reuse, recycling, recovery, disposal",
                                "Textiles are a separate municipal fraction since 2025",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Producer responsibility and ecodesign",
                "EPR fees, eco-modulation and the ESPR.",
                [
                    (
                        "Extended producer responsibility for textiles",
                        20,
                        True,
                        [
                            text(
                                "Producers placing textiles on the market pay fees to a producer responsibility organisation, modulated by durability and recyclability. France has run such a scheme since 2007 (Refashion).",
                            )
                        ],
                    ),
                    (
                        "Ecodesign and the ban on destroying unsold goods",
                        15,
                        True,
                        [
                            text(
                                "The Ecodesign for Sustainable Products Regulation (EU) 2024/1781 prohibits large companies from destroying unsold apparel and footwear from July 2026, and prepares a digital product passport for textiles.",
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "lana-rigenerata-prato",
        "La lana rigenerata del distretto di Prato",
        "it",
        "rigenera-lane",
        "prato",
        Decimal("4"),
        None,
        "modern",
        False,
        "PRATO2026",
        [("mechanical-recycling", "Mechanical recycling")],
        "Dalla cernita degli stracci per colore alla sfilacciatura e alla cardatura: il "
        "processo che da oltre un secolo trasforma gli scarti di lana in nuovo filato.",
        "Descrivere le fasi della rigenerazione meccanica della lana\n"
        "Spiegare perché la cernita per colore evita la ritintura",
        "Corso riservato alle imprese del distretto: chiedere la chiave di iscrizione.",
        [
            (
                "Dalla cernita al filato",
                "Cernita, sfilacciatura, cardatura.",
                [
                    (
                        "La cernita per colore",
                        15,
                        True,
                        [
                            text(
                                "Gli stracci vengono divisi a mano per composizione e per colore: così il filato rigenerato non richiede ritintura, con un forte risparmio di acqua ed energia.",
                            )
                        ],
                    ),
                    (
                        "Sfilacciatura e cardatura",
                        15,
                        True,
                        [
                            text(
                                "La sfilacciatrice riduce i tessuti in fibre; la fibra rigenerata, più corta della vergine, viene miscelata e cardata per ottenere il filato cardato tipico di Prato.",
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
]

# email, display name, region slug, preferred language
DEMO_TRAINEES = [
    ("zofia.trainee@example.org", "Zofia Kowalska", "lodzkie", "pl"),
    ("luca.trainee@example.org", "Luca Bianchi", "prato", "it"),
]


def _signature_image():
    """A hand-drawn-looking signature image for the demo certificates (drawn with Pillow)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    image = Image.objects.filter(title="Demo signature (training)").first()
    if image:
        return image
    canvas = PILImage.new("RGBA", (480, 140), (255, 255, 255, 0))
    draw = ImageDraw.Draw(canvas)
    points = [
        (20, 100),
        (60, 40),
        (90, 110),
        (130, 50),
        (170, 95),
        (210, 45),
        (260, 100),
        (300, 60),
        (350, 90),
        (400, 55),
        (460, 80),
    ]
    draw.line(points, fill=(20, 40, 90, 255), width=5, joint="curve")
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return Image.objects.create(
        title="Demo signature (training)",
        file=ImageFile(buffer, name="demo-signature.png"),
    )


def _catalogue():
    catalogue = CourseIndexPage.objects.first()
    if catalogue:
        return catalogue
    home = HomePage.objects.first() or Page.objects.get(depth=1).get_children().first()
    catalogue = CourseIndexPage(
        title="Training",
        slug="courses",
        intro="<p>Training modules of the partner regions on textile recycling and the circular economy. Enrol, learn at your pace and earn a verifiable certificate.</p>",
    )
    home.add_child(instance=catalogue)
    return catalogue


def _course(catalogue, spec, signature):
    (
        slug,
        title,
        language,
        provider,
        region,
        hours,
        validity,
        design,
        featured,
        key,
        topics,
        summary,
        outcomes,
        prerequisites,
        modules,
    ) = spec
    existing = CoursePage.objects.child_of(catalogue).filter(slug=slug).first()
    if existing:
        return existing
    course = CoursePage(
        title=title,
        slug=slug,
        language=language,
        provider=Organisation.objects.get(slug=provider),
        region=Region.objects.get(slug=region),
        estimated_hours=hours,
        certificate_validity_months=validity,
        certificate_design=design,
        featured=featured,
        enrolment_key=key,
        summary=summary,
        search_description=summary[:300],
        learning_outcomes=outcomes,
        prerequisites=prerequisites,
        signature_image=signature,
        signatory_name="Dr Katarzyna Nowak" if language == "pl" else "Maria Rossi",
        signatory_title="Training coordinator",
    )
    catalogue.add_child(instance=course)
    course.topics.set(
        [
            Topic.objects.get_or_create(slug=t_slug, defaults={"name": name})[0]
            for t_slug, name in topics
        ]
    )
    course.save()
    for number, (module_title, module_summary, lessons) in enumerate(modules, start=1):
        module = ModulePage(title=module_title, slug=f"module-{number}", summary=module_summary)
        course.add_child(instance=module)
        for lesson_number, (lesson_title, minutes, required, body) in enumerate(lessons, start=1):
            module.add_child(
                instance=LessonPage(
                    title=lesson_title,
                    slug=f"lesson-{number}-{lesson_number}",
                    estimated_minutes=minutes,
                    required=required,
                    body=json.dumps(body),
                )
            )
    return course


def _trainees():
    User = get_user_model()
    regions = {region.slug: region for region in Region.objects.all()}
    users = {}
    for email, name, region, language in DEMO_TRAINEES:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "region": regions.get(region),
                "preferred_language": language,
            },
        )
        if created:
            from allauth.account.models import EmailAddress

            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        user_assign_role(user=user, role=roles.TRAINEE)
        users[email] = user
    users["trainee@example.org"] = User.objects.filter(email="trainee@example.org").first()
    return users


def _learn(user, course, lessons_done, *, key=""):
    """Enrol ``user`` and complete the first ``lessons_done`` lessons (all if None)."""
    if user is None or Enrolment.objects.filter(user=user, course=course).exists():
        return
    services.course_enrol(user=user, course=course, key=key or course.enrolment_key)
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    if lessons_done is not None:
        lessons = lessons[:lessons_done]
    for lesson in lessons:
        services.lesson_complete(user=user, lesson=lesson)
    if lessons:
        enrolment = Enrolment.objects.get(user=user, course=course)
        services.enrolment_record_visit(enrolment=enrolment, page=lessons[-1])


def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Training: catalogue, courses, trainees, a certificate"))
    catalogue = _catalogue()
    signature = _signature_image()
    courses = {spec[0]: _course(catalogue, spec, signature) for spec in COURSES}
    users = _trainees()
    tomasz = users["trainee@example.org"]
    # Tomasz finished the sorting course (certificate) and is half-way through the legislation one.
    _learn(tomasz, courses["sorting-post-consumer-textiles"], None)
    _learn(tomasz, courses["eu-textile-waste-legislation"], 1)
    _learn(users["zofia.trainee@example.org"], courses["fibre-identification"], 2)
    _learn(users["luca.trainee@example.org"], courses["lana-rigenerata-prato"], 0)
    for email, _name, _region, _language in DEMO_TRAINEES:
        stdout.write(f"  Trainee          {email:<28} password: {DEMO_PASSWORD}")
    load_training_extras(stdout=stdout, style=style, courses=courses, catalogue=catalogue)


DEMO_PROVIDER_EMAIL = "provider@example.org"

# slug, title, language, provider slug, region slug, mode, venue, platform, start, end, cost,
# cost note, schedule, summary, registration link
EXTERNAL_COURSES = [
    (
        "carding-regenerated-wool-prato",
        "Cardatura e filatura della lana rigenerata",
        "it",
        "rigenera-lane",
        "prato",
        DeliveryMode.IN_PERSON,
        "Laboratorio tessile, Prato",
        "",
        date(2027, 3, 10),
        date(2027, 3, 11),
        Decimal("120"),
        "Gratuito per le PMI del distretto",
        "",
        "Two days in the lab: carding, spinning and testing yarn made from regenerated wool, "
        "with the technicians of the Prato district.",
        "https://www.example.org/prato/corsi/cardatura",
    ),
    (
        "nir-sorting-online",
        "NIR sorting of textiles: an online workshop",
        "en",
        "ift-lodz",
        "lodzkie",
        DeliveryMode.ONLINE,
        "",
        "The institute's Moodle",
        None,
        None,
        None,
        "",
        "Self-paced, start any time",
        "Six short units on near-infrared identification of fibres in sorting lines, run on "
        "the institute's own learning platform.",
        "https://www.example.org/ift/moodle/nir-sorting",
    ),
]


def _external_courses(catalogue):
    for (
        slug,
        title,
        language,
        provider,
        region,
        mode,
        venue,
        platform,
        start,
        end,
        cost,
        cost_note,
        schedule,
        summary,
        url,
    ) in EXTERNAL_COURSES:
        if ExternalCoursePage.objects.filter(slug=slug).exists():
            continue
        catalogue.add_child(
            instance=ExternalCoursePage(
                title=title,
                slug=slug,
                language=language,
                provider=Organisation.objects.get(slug=provider),
                region=Region.objects.get(slug=region),
                delivery_mode=mode,
                venue=venue,
                platform_name=platform,
                start_date=start,
                end_date=end,
                cost=cost,
                cost_note=cost_note,
                schedule_note=schedule,
                summary=summary,
                search_description=summary[:300],
                registration_url=url,
            )
        )


def _provider_account(course):
    """A training provider of the sorting course's organisation (Łódź Textile Cluster)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=DEMO_PROVIDER_EMAIL, defaults={"display_name": "Piotr Provider"}
    )
    if created:
        from allauth.account.models import EmailAddress

        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    provider_add_member(user=user, organisation=course.provider)
    user_assign_role(user=user, role=roles.TRAINEE)
    return user


def _scorm_lesson(course, uploader):
    """An optional SCORM 1.2 lesson in the sorting course's second module."""
    if LessonPage.objects.descendant_of(course).filter(scorm_package__isnull=False).exists():
        return
    package = ScormPackage.objects.filter(title="Grade three garments").first()
    if package is None:
        package = package_store(
            package=ScormPackage(title="Grade three garments", organisation=course.provider),
            upload=io.BytesIO(demo_package_zip()),
            user=uploader,
        )
    module = ModulePage.objects.child_of(course).filter(slug="module-2").first()
    if module is None:
        return
    module.add_child(
        instance=LessonPage(
            title="Interactive check: grade three garments",
            slug="interactive-grading-check",
            estimated_minutes=5,
            required=False,
            scorm_package=package,
            body=json.dumps(
                [
                    text(
                        "A short interactive module (SCORM 1.2): your score is saved with your progress."
                    )
                ]
            ),
        )
    )


def load_training_extras(*, stdout, style, courses, catalogue):
    stdout.write(
        style.MIGRATE_HEADING("Training: provider, external courses, SCORM lesson, badges")
    )
    sorting = courses["sorting-post-consumer-textiles"]
    provider = _provider_account(sorting)
    training_providers_setup()
    _external_courses(catalogue)
    _scorm_lesson(sorting, provider)
    for certificate in Certificate.objects.filter(badge_credential=""):
        services.certificate_badge_issue(certificate=certificate)
    stdout.write(f"  Training provider {DEMO_PROVIDER_EMAIL:<27} password: {DEMO_PASSWORD}")
