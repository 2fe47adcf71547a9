"""The working-groups part of `manage.py seed_scale` (SEED_SCALE hook): groups made by the
service (forum, auth groups, permissions), one private in five, their members, and the posts
in bulk — in each group one topic of 100 posts, the rest in topics of about 20 — with machina's
denormalised counters (topic and forum post counts, first and last post) set as machina
would."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from machina.apps.forum_conversation.models import Post, Topic

from cms.seed_scale import bulk_insert

from . import services
from .models import Membership, WorkingGroup

MEMBERS_PER_GROUP = 200
LONG_TOPIC_POSTS = 100
POSTS_PER_TOPIC = 20


def seed_groups(*, seed):
    size, rng = seed.size, seed.rng
    if not size.groups:
        return
    User = get_user_model()
    UserGroup = User.groups.through
    with seed.step(f"{size.groups:,} working groups, {size.posts:,} posts"):
        groups = []
        for n in range(size.groups):
            group = services.working_group_save(
                group=WorkingGroup(
                    name=f"Seed working group {n}",
                    slug=f"seed-working-group-{n}",
                    description="Sorting, recycling and traceability of textile waste.",
                    visibility=(
                        WorkingGroup.Visibility.PRIVATE
                        if n % 5 == 4
                        else WorkingGroup.Visibility.PUBLIC
                    ),
                )
            )
            groups.append(group)
        memberships, auth_links, members_of = [], [], {}
        for group in groups:
            members = rng.sample(seed.user_ids, min(MEMBERS_PER_GROUP, len(seed.user_ids)))
            members_of[group.pk] = members
            for position, user_id in enumerate(members):
                role = Membership.Role.COORDINATOR if position == 0 else Membership.Role.MEMBER
                memberships.append(
                    Membership(group=group, user_id=user_id, role=role, state="active")
                )
                auth_links.append(UserGroup(user_id=user_id, group_id=group.member_group_id))
                if position == 0:
                    auth_links.append(
                        UserGroup(user_id=user_id, group_id=group.coordinator_group_id)
                    )
        bulk_insert(Membership, memberships)
        bulk_insert(UserGroup, auth_links)

        posts_per_group = max(LONG_TOPIC_POSTS, size.posts // len(groups))
        topics, topic_sizes = [], []
        for group in groups:
            remaining, number = posts_per_group, 0
            while remaining > 0:
                count = LONG_TOPIC_POSTS if number == 0 else min(POSTS_PER_TOPIC, remaining)
                topics.append(
                    Topic(
                        forum_id=group.forum_id,
                        poster_id=members_of[group.pk][number % len(members_of[group.pk])],
                        subject=f"Sorting thresholds, batch {number}",
                        slug=f"sorting-thresholds-batch-{number}",
                        type=Topic.TOPIC_POST,
                        status=Topic.TOPIC_UNLOCKED,
                        approved=True,
                    )
                )
                topic_sizes.append((group.pk, count))
                remaining -= count
                number += 1
        topics = bulk_insert(Topic, topics)
        posts = []
        for topic, (group_id, count) in zip(topics, topic_sizes, strict=True):
            members = members_of[group_id]
            for n in range(count):
                text = f"Reply {n}: NIR sorting of post-consumer cotton and polyester blends."
                posts.append(
                    Post(
                        topic_id=topic.pk,
                        poster_id=members[rng.randrange(len(members))],
                        subject=topic.subject if n == 0 else f"Re: {topic.subject}",
                        content=text,
                        _content_rendered=f"<p>{text}</p>",
                        approved=True,
                    )
                )
        posts = bulk_insert(Post, posts, batch_size=5000)
        now = timezone.now()
        first, last = {}, {}
        for post in posts:
            first.setdefault(post.topic_id, post)
            last[post.topic_id] = post
        for topic, (_group, count) in zip(topics, topic_sizes, strict=True):
            topic.posts_count = count
            topic.first_post_id = first[topic.pk].pk
            topic.last_post_id = last[topic.pk].pk
            topic.last_post_on = now
        Topic.objects.bulk_update(
            topics, ["posts_count", "first_post", "last_post", "last_post_on"], batch_size=1000
        )
        for group in groups:
            group.forum.update_trackers()
    seed.counts["working_groups"] = len(groups)
    seed.counts["posts"] = len(posts)
