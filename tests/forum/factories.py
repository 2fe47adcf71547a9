import factory
from machina.apps.forum_conversation.models import Post, Topic

from forum import services
from forum.models import Membership, WorkingGroup
from tests.factories import UserFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    """A working group with its machina forum and permissions, built by the service."""

    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    description = "Sorting post-consumer textiles by fibre."
    visibility = WorkingGroup.Visibility.PUBLIC

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        coordinators = kwargs.pop("coordinators", ())
        return services.working_group_save(group=model_class(**kwargs), coordinators=coordinators)


def member(group, user=None, role=Membership.Role.MEMBER):
    user = user or UserFactory()
    services.membership_add(group=group, user=user, role=role)
    return user


def topic_with_posts(group, poster, subject="NIR sorting thresholds", posts=1, content="Text"):
    topic = Topic.objects.create(
        forum=group.forum,
        poster=poster,
        subject=subject,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )
    for index in range(posts):
        Post.objects.create(
            topic=topic,
            poster=poster,
            subject=subject if index == 0 else f"Re: {subject}",
            content=content if index == 0 else f"Reply {index}",
        )
    topic.refresh_from_db()
    return topic


def topic_url(topic):
    from django.urls import reverse

    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def forum_url(forum):
    from django.urls import reverse

    return reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})


def post_form_data(subject, content, **extra):
    """What machina's topic/post form posts: the fields plus its two formsets' management data."""
    data = {"subject": subject, "content": content, "topic_type": 0, "enable_signature": ""}
    for prefix, total in (("attachment", 0), ("poll", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": total,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(extra)
    return data


def watch(user, target, level="watching"):
    """Set ``user``'s notification level of a group's forum or a topic (watching by default)."""
    services.watch_level_set(user=user, target=target, level=level)
