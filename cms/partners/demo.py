"""Demo content of partner matching: cooperation profiles across the partner regions,
opportunities of every kind (some written in Polish or Italian by the organisations of those
regions), a partner search tied to an open funding call, expressions of interest, experts.
Idempotent: everything is looked up by organisation and title first."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.conversations.models import Conversation, Message, ReadMark
from cms.demo import DEMO_PASSWORD
from cms.directory.membership import organisation_members
from cms.directory.models import Organisation
from cms.models import FundingCallPage, TechnologyPage

from .models import (
    INTEREST_CONVERSATION,
    CooperationProfile,
    Expert,
    Interest,
    InterestState,
    Opportunity,
    ReviewState,
)

# slug: offer, seeking, NACE, value chain, S3, competences, certifications, languages, size
PROFILES = {
    "ift-lodz": (
        "Fibre identification, recycled-fibre quality testing, NIR sorting trials on our pilot line.",
        "Sorters and recyclers to validate automated sorting at industrial scale.",
        ["72.19"],
        ["research", "sorting"],
        ["circular_economy", "digital"],
        ["NIR sorting", "fibre testing", "pilot lines"],
        ["ISO/IEC 17025"],
        ["pl", "en"],
        "medium",
    ),
    "tessitura-bisenzio": (
        "Carded wool fabrics; 30 t a year of selvedges and roll ends for recyclers.",
        "Recyclers of wool blends and designers using regenerated wool.",
        ["13.20"],
        ["weaving_knitting"],
        ["sustainable_fashion", "circular_economy"],
        ["carded wool weaving", "regenerated wool"],
        ["GRS"],
        ["it", "en"],
        "small",
    ),
    "rigenera-lane": (
        "Sorting by colour, tearing and carding of wool and cashmere waste into regenerated fibre.",
        "Mills that supply pre-consumer wool waste; brands for take-back schemes.",
        ["13.10", "38.32"],
        ["recycling", "sorting"],
        ["circular_economy"],
        ["mechanical recycling", "regenerated wool", "colour sorting"],
        ["GRS", "RWS"],
        ["it", "en"],
        "small",
    ),
    "filatura-valle-cervo": (
        "Worsted and woollen spinning, including yarns with up to 50% regenerated wool.",
        "Suppliers of traceable regenerated fibre; partners for digital product passports.",
        ["13.10"],
        ["spinning"],
        ["sustainable_fashion", "digital"],
        ["woollen spinning", "traceability"],
        ["RWS"],
        ["it", "en", "de"],
        "medium",
    ),
    "ecosort-lombardia": (
        "Collection and sorting of post-consumer textiles for reuse and recycling (12,000 t a year).",
        "Recyclers for non-reusable fractions; technology for automated sorting.",
        ["38.11", "38.32"],
        ["collection", "sorting"],
        ["circular_economy"],
        ["manual sorting", "reuse grading", "NIR sorting"],
        ["ISO 14001"],
        ["it", "en"],
        "medium",
    ),
    "maribor-trc": (
        "Chemical recycling research: cotton dissolution and polyester glycolysis at lab and pilot scale.",
        "Industrial partners for pilots; project partners for Horizon Europe calls.",
        ["72.19", "85.42"],
        ["research", "training"],
        ["circular_economy", "advanced_materials"],
        ["chemical recycling", "LCA", "pilot lines"],
        [],
        ["sl", "en", "de"],
        "medium",
    ),
    "liberec-nonwovens": (
        "Needle-punched nonwovens from recycled blended fibre for automotive and insulation.",
        "Steady supply of torn fibre; partners in technical textiles.",
        ["13.95"],
        ["weaving_knitting", "recycling"],
        ["technical_textiles", "circular_economy"],
        ["nonwovens", "technical textiles"],
        ["ISO 9001", "IATF 16949"],
        ["cs", "en", "de"],
        "medium",
    ),
    "saechsische-faserverwertung": (
        "Tearing and garnetting of post-industrial textile waste into fibre for nonwovens.",
        "Cutting waste from garment makers; partners for fibre-to-fibre recycling.",
        ["38.32"],
        ["recycling"],
        ["circular_economy", "industry_40"],
        ["mechanical recycling", "garnetting"],
        ["ISO 14001"],
        ["de", "en", "pl"],
        "small",
    ),
    "widzew-knitwear": (
        "Knitwear and cut-and-sew production; 40 t a year of cutting waste.",
        "Recyclers for cutting waste; recycled yarns for new collections.",
        ["14.39", "13.91"],
        ["weaving_knitting", "garment"],
        ["sustainable_fashion"],
        ["knitting", "eco-design"],
        ["OEKO-TEX"],
        ["pl", "en"],
        "small",
    ),
    "stajerska-tekstil": (
        "Workwear manufacturing with take-back of used garments.",
        "Recyclers for polycotton workwear; research partners for chemical recycling.",
        ["14.12"],
        ["garment"],
        ["circular_economy", "health"],
        ["workwear take-back"],
        ["ISO 9001"],
        ["sl", "en", "hr"],
        "medium",
    ),
    "lodz-textile-cluster": (
        "Cluster of 80 clothing and technical-textile firms; regional roadmap for circular textiles.",
        "Partner clusters for joint actions and interregional projects.",
        ["94.11"],
        ["cluster"],
        ["circular_economy", "skills", "industry_40"],
        ["matchmaking", "training"],
        [],
        ["pl", "en"],
        "micro",
    ),
    "tti-liberec": (
        "Handheld fibre identification for sorters; testing of technical textiles.",
        "Sorting centres to field-test handheld identification.",
        ["72.19"],
        ["research"],
        ["technical_textiles", "digital"],
        ["fibre testing", "NIR sorting"],
        [],
        ["cs", "en"],
        "medium",
    ),
}

# organisation, kind, title, summary, description, sought, countries, NACE, S3, competences,
# days to deadline, extra fields, review state
OPPORTUNITIES = [
    (
        "rigenera-lane",
        "business_request",
        "Cerchiamo ritagli di lana pre-consumo",
        "Cerchiamo fornitori stabili di ritagli e cimose di lana e cashmere, selezionati per colore.",
        "Ritiro con nostri mezzi in Toscana ed Emilia-Romagna; contratti annuali.",
        ["weaving_knitting", "garment"],
        ["IT"],
        ["13.20"],
        ["circular_economy"],
        ["regenerated wool"],
        60,
        {},
        ReviewState.PUBLISHED,
    ),
    (
        "widzew-knitwear",
        "business_offer",
        "Odpady krojcze z dzianin bawełnianych do odbioru",
        "Oferujemy 40 t rocznie odpadów krojczych z dzianin bawełnianych, posortowanych według koloru.",
        "Odbiór z Łodzi co miesiąc; możliwa umowa długoterminowa z recyklerem.",
        ["recycling"],
        [],
        ["14.39"],
        ["circular_economy"],
        ["mechanical recycling"],
        45,
        {},
        ReviewState.PUBLISHED,
    ),
    (
        "ecosort-lombardia",
        "technology_request",
        "Automated sorting of post-consumer textiles by fibre",
        "We need automated sorting of non-reusable post-consumer textiles by fibre and colour.",
        "Throughput at least 1 t/h; cotton-rich and polyester-rich fractions for recyclers.",
        ["research", "recycling"],
        [],
        ["38.32"],
        ["circular_economy", "digital"],
        ["NIR sorting"],
        90,
        {
            "process": "sorting_automated",
            "fibres": ["cotton", "polyester"],
            "waste_codes": ["20 01 11"],
            "budget": 250000,
            "trl_wanted": 7,
        },
        ReviewState.PUBLISHED,
    ),
    (
        "maribor-trc",
        "partner_search",
        "Partners for a fibre-to-fibre recycling pilot proposal",
        "We coordinate a proposal on chemical recycling of polycotton workwear and look for a sorter, a spinner and a brand.",
        "Work packages on sorting, dissolution, spinning and market uptake. Letters of intent by the end of next month.",
        ["sorting", "spinning", "retail"],
        [],
        ["13.10", "38.32"],
        ["circular_economy", "advanced_materials"],
        ["chemical recycling"],
        40,
        {"funding_call": True},
        ReviewState.PUBLISHED,
    ),
    (
        "ift-lodz",
        "technology_offer",
        "NIR sorting trials on our pilot line",
        "Bring 500 kg of mixed post-consumer textiles and get a fibre-level sorting report.",
        "",
        ["collection", "sorting", "recycling"],
        [],
        ["72.19"],
        ["circular_economy"],
        ["NIR sorting"],
        None,
        {},
        ReviewState.PUBLISHED,
    ),
    (
        "lodz-textile-cluster",
        "joint_action",
        "Joint stand of circular-textile SMEs at Techtextil",
        "Clusters of the partner regions share a stand and a matchmaking programme for their SMEs.",
        "",
        ["cluster", "public_body"],
        [],
        [],
        ["circular_economy", "industry_40"],
        ["matchmaking"],
        75,
        {},
        ReviewState.PUBLISHED,
    ),
    (
        "liberec-nonwovens",
        "business_request",
        "Torn polyester-rich fibre, 20 t a month",
        "Steady supply of torn fibre with at least 60% polyester for needle-punched insulation.",
        "",
        ["recycling"],
        ["CZ", "DE", "PL", "SK"],
        ["38.32"],
        ["technical_textiles"],
        ["mechanical recycling"],
        30,
        {},
        ReviewState.PUBLISHED,
    ),
    (
        "saechsische-faserverwertung",
        "technology_request",
        "Opening line for blended post-industrial waste",
        "We look for a technology to open tightly woven blends before garnetting.",
        "",
        ["research"],
        [],
        ["38.32"],
        ["industry_40"],
        ["garnetting"],
        120,
        {
            "process": "mechanical",
            "fibres": ["polyester", "cotton"],
            "waste_codes": ["04 02 22"],
            "trl_wanted": 6,
        },
        ReviewState.SUBMITTED,
    ),
    (
        "stajerska-tekstil",
        "business_offer",
        "Used polycotton workwear from take-back",
        "Around 8 t a year of used workwear, washed and sorted by colour.",
        "",
        ["recycling", "research"],
        [],
        ["14.12"],
        ["circular_economy"],
        ["workwear take-back"],
        90,
        {},
        ReviewState.DRAFT,
    ),
]

# e-mail, display name, organisation, headline, expertise, languages, country, listed
EXPERTS = [
    ("expert.nowak@example.org", "Dr Anna Nowak", "ift-lodz", "Fibre identification and NIR sorting",
     ["NIR sorting", "fibre testing", "textile waste characterisation"], ["pl", "en"], "PL", True),
    ("expert.bianchi@example.org", "Marco Bianchi", "rigenera-lane", "Regenerated wool and carding",
     ["regenerated wool", "carding", "colour sorting"], ["it", "en"], "IT", True),
    ("expert.kovac@example.org", "Dr Maja Kovač", "maribor-trc", "Chemical recycling of cellulosic waste",
     ["chemical recycling", "dissolving pulp", "LCA"], ["sl", "en", "de"], "SI", True),
    ("expert.novak@example.org", "Petr Novák", "tti-liberec", "Testing of technical textiles",
     ["fibre testing", "technical textiles"], ["cs", "en"], "CZ", False),
]  # fmt: skip


def _user(email, name, organisation):
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "display_name": name,
            "organisation": organisation,
            "region": organisation.region if organisation else None,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Partner matching: profiles, opportunities, experts"))
    organisations = Organisation.objects.in_bulk(
        set(PROFILES) | {row[0] for row in OPPORTUNITIES} | {e[2] for e in EXPERTS},
        field_name="slug",
    )
    for slug, (offer, seeking, nace, chain, s3, skills, certs, languages, size) in PROFILES.items():
        if slug not in organisations:
            continue
        profile = CooperationProfile.objects.filter(organisation=organisations[slug]).first()
        profile = profile or CooperationProfile(organisation=organisations[slug])
        profile.offer, profile.seeking, profile.nace_codes = offer, seeking, nace
        profile.value_chain, profile.s3_areas, profile.competences = chain, s3, skills
        profile.certifications, profile.languages, profile.size_class = certs, languages, size
        profile.contact_name = "Partnership desk"
        profile.contact_email = f"partners@{slug}.example.org"
        profile.save()

    now = timezone.now()
    call = FundingCallPage.objects.live().filter(deadline__gte=now).order_by("deadline").first()
    posted = {}
    for row in OPPORTUNITIES:
        slug, kind, title, summary, description, sought, countries, nace, s3, skills, days = row[
            :11
        ]
        extra, state = dict(row[11]), row[12]
        if slug not in organisations:
            continue
        if extra.pop("funding_call", False):
            extra["funding_call"] = call
        opportunity = Opportunity.objects.filter(
            organisation=organisations[slug], title=title
        ).first()
        if opportunity is None:
            opportunity = Opportunity(organisation=organisations[slug], title=title)
        values = {
            "kind": kind,
            "summary": summary,
            "description": description,
            "sought_partners": sought,
            "sought_countries": countries,
            "nace_codes": nace,
            "s3_areas": s3,
            "competences": skills,
            "deadline": (now + timedelta(days=days)).date() if days else None,
            "review_state": state,
            "published_at": now - timedelta(days=len(posted))
            if state == ReviewState.PUBLISHED
            else None,
            **extra,
        }
        for name, value in values.items():
            setattr(opportunity, name, value)
        opportunity.save()
        posted[slug] = opportunity

    # Expressions of interest between organisations whose members the exchange demo created.
    members = organisation_members([o.pk for o in organisations.values()])
    conversations = [
        ("saechsische-faserverwertung", "widzew-knitwear",
         ["We can collect your knitted cotton cutting waste monthly from Łódź.",
          "Dziękujemy! Please send us a price per tonne for 2026."]),
        ("ecosort-lombardia", "maribor-trc",
         ["We sort 12,000 t a year and can run the sorting work package.",
          "Excellent, we put you on the shortlist and will call next week."]),
        ("filatura-valle-cervo", "rigenera-lane",
         ["We spin regenerated wool and could take your carded fibre.",
          "Ottimo, parliamone: we can offer 5 t a month."]),
    ]  # fmt: skip
    threads = 0
    for asking, owner, bodies in conversations:
        opportunity = posted.get(owner)
        asking_org = organisations.get(asking)
        if not (
            opportunity
            and asking_org
            and members.get(asking_org.pk)
            and members.get(opportunity.organisation_id)
        ):
            continue
        if Interest.objects.filter(opportunity=opportunity, organisation=asking_org).exists():
            continue
        sides = [
            (asking_org.pk, members[asking_org.pk][0]),
            (opportunity.organisation_id, members[opportunity.organisation_id][0]),
        ]
        _interest_thread(
            subject={"opportunity": opportunity},
            organisation=asking_org,
            owner_id=opportunity.organisation_id,
            state=InterestState.SHORTLISTED if owner == "maribor-trc" else InterestState.OPEN,
            messages=[
                (*sides[n % 2], body, now - timedelta(hours=len(bodies) - n))
                for n, body in enumerate(bodies)
            ],
        )
        threads += 1

    # A technology enquiry from an SME to a developer.
    technology = TechnologyPage.objects.live().filter(developer__slug="ift-lodz").first()
    sme = organisations.get("widzew-knitwear")
    if technology and sme and members.get(sme.pk):
        if not Interest.objects.filter(technology=technology, organisation=sme).exists():
            _interest_thread(
                subject={"technology": technology},
                organisation=sme,
                owner_id=technology.developer_id,
                state=InterestState.OPEN,
                messages=[
                    (
                        sme.pk,
                        members[sme.pk][0],
                        "Czy możemy przetestować 500 kg naszych odpadów na Państwa linii NIR?",
                        now,
                    )
                ],
            )

    for email, name, slug, headline, expertise, languages, country, listed in EXPERTS:
        organisation = organisations.get(slug)
        user = _user(email, name, organisation)
        expert = Expert.objects.filter(user=user).first() or Expert(user=user)
        expert.organisation, expert.headline, expert.expertise = organisation, headline, expertise
        expert.languages, expert.country = languages, country
        expert.bio = f"{headline}. Happy to advise SMEs of the partner regions."
        expert.opted_in_at = expert.opted_in_at or (now if listed else None)
        if not listed:
            expert.opted_in_at = None
        expert.save()

    stdout.write(
        f"  {CooperationProfile.objects.count()} cooperation profiles, "
        f"{Opportunity.objects.count()} opportunities, {Interest.objects.count()} expressions of "
        f"interest, {Expert.objects.public().count()} listed experts"
    )


def _interest_thread(*, subject, organisation, owner_id, state, messages):
    """An expression of interest with its conversation and dated messages, as if written over
    the past hours (the services would date them all now)."""
    conversation = Conversation.objects.create(
        kind=INTEREST_CONVERSATION,
        starter_organisation=organisation,
        owner_organisation_id=owner_id,
        started_by=messages[0][1],
        created_at=messages[0][3],
        last_message_at=messages[-1][3],
    )
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            author_organisation_id=organisation_id,
            author=author,
            body=body,
            created_at=created_at,
        )
        for organisation_id, author, body, created_at in messages
    )
    for _organisation_id, author, _body, created_at in messages:
        ReadMark.objects.update_or_create(
            conversation=conversation, user=author, defaults={"read_at": created_at}
        )
    return Interest.objects.create(
        conversation=conversation,
        organisation=organisation,
        owner_organisation_id=owner_id,
        state=state,
        created_at=messages[0][3],
        updated_at=messages[-1][3],
        **subject,
    )
