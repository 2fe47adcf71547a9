"""Receivers connected in ForumConfig.ready(). They only hand work to services and tasks."""

from django.db import transaction
from django.db.models.signals import post_init, post_migrate, post_save
from machina.apps.forum_conversation.models import Post

from cms.ratelimit import ratelimit_hit

from . import services
from .machina_overrides import post_rate
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
        ratelimit_hit(scope="forum.post", key=instance.poster_id, rate=post_rate())
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


def connect(app_config):
    from allauth.account.signals import email_confirmed as allauth_email_confirmed

    post_migrate.connect(sync_site_moderators, sender=app_config, dispatch_uid="forum_moderators")
    post_init.connect(remember_approval, sender=Post, dispatch_uid="forum_remember_approval")
    post_save.connect(post_saved, sender=Post, dispatch_uid="forum_post_saved")
    allauth_email_confirmed.connect(email_confirmed, dispatch_uid="forum_email_confirmed")
