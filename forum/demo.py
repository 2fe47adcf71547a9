"""Demo working groups with realistic threads in English, Polish and Italian. Idempotent: a group
that exists is left alone, threads are only added to an empty forum."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from machina.apps.forum_conversation.models import Post, Topic

from cms.models import Topic as CmsTopic

from . import services
from .models import Membership, PostLike, TopicQuestion, WorkingGroup

ADMIN = "admin@example.org"
EDITOR = "editor@example.org"
EDITOR_PRATO = "editor.prato@example.org"
MODERATOR = "moderator@example.org"
COMPANY = "exchange@example.org"
TRAINEE = "trainee@example.org"

GROUPS = [
    {
        "name": "Sorting technology",
        "slug": "sorting-technology",
        "topic": "sorting",
        "visibility": WorkingGroup.Visibility.PUBLIC,
        "description": (
            "Automated sorting of post-consumer textiles by fibre and colour: NIR and "
            "hyperspectral sorters, pre-sorting for reuse, removal of hard parts, and what "
            "recyclers need from sorters. Open to sorters, recyclers, research centres and "
            "machine builders."
        ),
        "coordinators": [MODERATOR],
        "members": [EDITOR, COMPANY, TRAINEE],
        "threads": [
            (
                EDITOR,
                "NIR sorting of blends: where do you set the cotton threshold?",
                "Our pilot line in Łódź sorts post-consumer garments with an NIR sorter. "
                "Pure cotton is easy, but polycotton blends end up in the cotton fraction "
                "when the polyester share is under ~15 %.\n\nWhat threshold do your chemical "
                "recyclers accept? Ours asks for **≥ 95 % cotton**.",
                [
                    (
                        MODERATOR,
                        "Biella Wool Lab measured the same: NIR reads the surface, so "
                        "a cotton face with a polyester back passes as cotton. We now add a "
                        "second scan of the reverse side.",
                    ),
                    (
                        COMPANY,
                        "For mechanical recycling of wool we care less about the threshold "
                        "and more about colour consistency. Would a shared colour grading "
                        "sheet help?",
                    ),
                ],
                1,
            ),
            (
                TRAINEE,
                "Sortowanie ręczne przed NIR – czy warto?",
                "W naszym regionie wiele firm nadal sortuje ręcznie odzież do ponownego "
                "użycia przed automatycznym sortowaniem. Czy ktoś ma dane o kosztach na "
                "tonę przy takim dwuetapowym procesie?",
                [
                    (
                        EDITOR,
                        "Klaster łódzki liczył to w 2025 r.: ręczne wstępne sortowanie "
                        "kosztuje ok. 90–120 EUR/t, ale podnosi wartość frakcji do ponownego "
                        "użycia prawie dwukrotnie.",
                    )
                ],
                1,
            ),
        ],
    },
    {
        "name": "EPR legislation",
        "slug": "epr-legislation",
        "topic": "epr",
        "visibility": WorkingGroup.Visibility.PUBLIC,
        "description": (
            "Extended producer responsibility for textiles under the revised Waste Framework "
            "Directive: national schemes, eco-modulation of fees, separate collection since "
            "2025, and what producers' responsibility organisations will fund."
        ),
        "coordinators": [EDITOR_PRATO],
        "members": [EDITOR, COMPANY, ADMIN],
        "threads": [
            (
                EDITOR_PRATO,
                "Eco-modulation criteria in the draft Italian EPR decree",
                "The draft decree lists durability, recycled content and recyclability as "
                "criteria for modulating the fees. Has anyone seen how recyclability will be "
                "measured? Mono-material garments seem favoured.",
                [
                    (
                        ADMIN,
                        "The Commission's study on eco-design for textiles proposes a "
                        "disassembly score. Worth comparing with the French Refashion grid.",
                    )
                ],
            ),
            (
                COMPANY,
                "Obblighi EPR per i tessuti a metraggio: siamo produttori?",
                "Produciamo tessuti cardati venduti ad aziende di confezione. Secondo la "
                "bozza, il produttore è chi immette sul mercato il prodotto finito, ma alcune "
                "associazioni dicono che anche i tessuti a metraggio rientrano. Qualcuno ha "
                "chiarimenti dal Ministero?",
                [
                    (
                        EDITOR_PRATO,
                        "Da quanto sappiamo il campo di applicazione riguarda i prodotti "
                        "finiti (abbigliamento, calzature, tessili per la casa). I tessuti a "
                        "metraggio venduti B2B dovrebbero restare esclusi.",
                    )
                ],
                0,
            ),
        ],
    },
    {
        "name": "Recycled-fibre quality",
        "slug": "recycled-fibre-quality",
        "topic": "recycled-fibre",
        "visibility": WorkingGroup.Visibility.PUBLIC,
        "description": (
            "Testing and specifying recycled fibres: fibre length after tearing, neps, "
            "residual dyes, blending ratios for spinning, and certification of recycled "
            "content (GRS, RCS)."
        ),
        "coordinators": [MODERATOR],
        "members": [COMPANY, EDITOR_PRATO],
        "threads": [
            (
                COMPANY,
                "Mean fibre length after tearing: what do spinners accept?",
                "Our torn wool comes out at 18–22 mm mean length. The spinning mill in "
                "Biella asks for at least 25 mm for a 70/30 blend with virgin wool. Is "
                "gentler tearing worth the lower throughput?",
                [
                    (
                        MODERATOR,
                        "In our trials two passes at lower drum speed gained 4 mm but cut "
                        "throughput by 30 %. Pre-conditioning with a lubricant helped more.",
                    )
                ],
                0,
            ),
        ],
    },
    {
        "name": "Prato wool regeneration pilot",
        "slug": "prato-wool-pilot",
        "topic": "",
        "visibility": WorkingGroup.Visibility.PRIVATE,
        "description": (
            "Closed group of the partners of the Prato pilot: shared test results, supplier "
            "prices and the pilot's internal planning."
        ),
        "coordinators": [EDITOR_PRATO],
        "members": [COMPANY, MODERATOR],
        "threads": [
            (
                EDITOR_PRATO,
                "Risultati delle prove di filatura – lotto 3",
                "Il lotto 3 (60 % lana rigenerata) ha dato un titolo Nm 1/14 senza rotture "
                "significative. Allego la scheda completa alla prossima riunione.",
                [],
            ),
        ],
    },
]


def _thread(*, forum, users, author, subject, text, replies, start, question=None):
    """A topic with its opening post at ``start`` and each reply five hours after the one
    before (replies have no subject of their own). ``question``: the index of the accepted
    reply (1 = the first), 0 for a question still open, None for a plain discussion."""
    topic = Topic.objects.create(
        forum=forum,
        poster=users[author],
        subject=subject,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )
    opening = Post.objects.create(
        topic=topic, poster=users[author], subject=subject, content=text, approved=True
    )
    dated = [(opening, start)]
    for index, (reply_author, reply_text) in enumerate(replies, start=1):
        post = Post.objects.create(
            topic=topic, poster=users[reply_author], subject="", content=reply_text, approved=True
        )
        dated.append((post, start + timedelta(hours=5 * index)))
    for post, created in dated:
        Post.objects.filter(pk=post.pk).update(created=created, updated=created)
    # machina's trackers (first and last post, last activity) from the dates just set
    topic.refresh_from_db()
    topic.update_trackers()
    Topic.objects.filter(pk=topic.pk).update(created=start, updated=dated[-1][1])
    if question is not None:
        answer = dated[question][0] if question else None
        TopicQuestion.objects.create(
            topic=topic,
            answer=answer,
            accepted_by=users[author] if answer else None,
            accepted_at=dated[-1][1] if answer else None,
        )
    # Readers liked what others wrote: the author likes each reply, repliers like the question.
    for post, _created in dated[1:]:
        if post.poster_id != topic.poster_id:
            PostLike.objects.get_or_create(post=post, user=topic.poster)
            PostLike.objects.get_or_create(post=opening, user=post.poster)
    return topic


def load(*, stdout, style):
    stdout.write(style.MIGRATE_HEADING("Working groups"))
    services.site_moderator_permissions_sync()
    User = get_user_model()
    users = {user.email: user for user in User.objects.all()}
    for user in users.values():
        # Demo accounts are established: their posts need no approval.
        services.user_trust(user=user)
    for index, spec in enumerate(GROUPS):
        group = WorkingGroup.objects.filter(slug=spec["slug"]).first()
        if group is None:
            group = WorkingGroup(
                name=spec["name"],
                slug=spec["slug"],
                description=spec["description"],
                visibility=spec["visibility"],
                topic=CmsTopic.objects.filter(slug=spec["topic"]).first()
                if spec["topic"]
                else None,
            )
            services.working_group_save(
                group=group,
                coordinators=[users[email] for email in spec["coordinators"] if email in users],
            )
            for email in spec["members"]:
                if email in users:
                    services.membership_add(group=group, user=users[email])
        if group.forum.topics.exists():
            continue
        start = timezone.now() - timedelta(days=12 - index * 2)
        for author, subject, text, replies, *question in spec["threads"]:
            if author in users and all(reply[0] in users for reply in replies):
                _thread(
                    forum=group.forum,
                    users=users,
                    author=author,
                    subject=subject,
                    text=text,
                    replies=replies,
                    start=start,
                    question=question[0] if question else None,
                )
            start += timedelta(days=1)
        stdout.write(f"  {group.name} ({group.get_visibility_display()})")
    # A pending request for the coordinators' queue.
    pilot = WorkingGroup.objects.filter(slug="prato-wool-pilot").first()
    if (
        pilot
        and TRAINEE in users
        and not Membership.objects.filter(group=pilot, user=users[TRAINEE]).exists()
    ):
        Membership.objects.create(
            group=pilot,
            user=users[TRAINEE],
            state=Membership.State.REQUESTED,
            message="I study wool recycling at the Łódź university and would like to follow the pilot.",
        )
