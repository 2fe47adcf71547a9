"""Receivers connected in ForumConfig.ready(). They only hand work to services and tasks."""

from django.db import transaction
from django.db.models.signals import post_init, post_migrate, post_save
from machina.apps.forum_conversation.models import Post

from cms.analytics.services import counter_record, counter_register
from cms.pagecache import count_on_hit, hit_counter_register
from cms.ratelimit import ratelimit_hit

from . import selectors, services
from .models import Report
from .tasks import notify_new_post


def remember_approval(sender, instance, **kwargs):
    instance._forum_was_approved = instance.approved if instance.pk else None


def post_saved(sender, instance, created, **kwargs):
    if kwargs.get("raw"):
        return
    was_approved = getattr(instance, "_forum_was_approved", None)
    instance._forum_was_approved = instance.approved
    if created and instance.poster_id:
        ratelimit_hit(scope="forum.post", key=instance.poster_id)
    newly_visible = instance.approved and (created or was_approved is False)
    if not newly_visible:
        return
    if not created and Report.objects.filter(post=instance, resolution="hidden").exists():
        # A post hidden after a report and shown again: its readers already had it.
        return
    if not created and instance.poster_id:
        # A moderator approved a held post: the author is trusted from now on.
        services.user_trust(user=instance.poster)
    post_id = instance.pk
    transaction.on_commit(lambda: notify_new_post.delay(post_id))


def email_confirmed(request, email_address, **kwargs):
    services.invitations_accept_for_email(user=email_address.user, email=email_address.email)


def sync_site_moderators(sender, **kwargs):
    # After migrate (machina's post_migrate has created its permissions by then, its apps come
    # first): the Moderator role moderates every forum.
    services.site_moderator_permissions_sync()


TOPIC_VIEWS = "forum.topic_views"


def topic_viewed(sender, topic, request, **kwargs):
    # Counted through cms.analytics' buffer (one Redis increment, added to the topic every
    # minute) instead of machina's UPDATE on every view; a topic page served from the anonymous
    # page cache counts too (cms/pagecache.py).
    counter_record(TOPIC_VIEWS, topic.pk)
    count_on_hit(request, "forum.topic_view", topic.pk)


def topic_read(sender, topic, user, **kwargs):
    # machina marks the topic read on every view (six queries and a write); a topic the member's
    # read marks already cover is left as it is (one query).
    from machina.apps.forum_tracking.handler import TrackingHandler

    if user.is_authenticated and not selectors.topic_is_read(topic, user):
        TrackingHandler().mark_topic_read(topic, user)


def topic_view_count(*, request, object_id):
    counter_record(TOPIC_VIEWS, object_id)


def connect(app_config):
    from allauth.account.signals import email_confirmed as allauth_email_confirmed
    from machina.apps.forum_conversation.receivers import update_topic_counter
    from machina.apps.forum_conversation.signals import topic_viewed as machina_topic_viewed
    from machina.apps.forum_tracking.receivers import update_user_trackers

    # machina's receivers write on every view: the topic's counter (ours counts through the
    # buffer) and the reader's read mark (ours only when the topic has news for them).
    machina_topic_viewed.disconnect(update_topic_counter)
    machina_topic_viewed.disconnect(update_user_trackers)
    machina_topic_viewed.connect(topic_read, dispatch_uid="forum_topic_read")
    counter_register(TOPIC_VIEWS, services.topic_views_add)
    machina_topic_viewed.connect(topic_viewed, dispatch_uid="forum_topic_viewed_page_cache")
    hit_counter_register("forum.topic_view", topic_view_count)

    post_migrate.connect(sync_site_moderators, sender=app_config, dispatch_uid="forum_moderators")
    post_init.connect(remember_approval, sender=Post, dispatch_uid="forum_remember_approval")
    post_save.connect(post_saved, sender=Post, dispatch_uid="forum_post_saved")
    allauth_email_confirmed.connect(email_confirmed, dispatch_uid="forum_email_confirmed")
