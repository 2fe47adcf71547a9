import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from forum.models import Invitation, Membership
from tests.factories import UserFactory

from .factories import forum_url, member

pytestmark = pytest.mark.django_db


def test_private_group_join_needs_the_shared_link(
    client, private_group, coordinator, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("working_groups:join", args=[private_group.slug]),
            {"message": "I run a sorting plant."},
        )
    # a private group stays hidden: outsiders ask through the link its coordinators share
    assert response.status_code == 404
    assert not Membership.objects.filter(group=private_group, user=outsider).exists()
    client.force_login(coordinator)
    link = client.get(reverse("working_groups:manage", args=[private_group.slug])).context[
        "join_link"
    ]
    client.force_login(outsider)
    page = client.get(link)
    assert page.status_code == 200 and "Secret pilot" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"message": "I run a sorting plant."})
    assert response.url == reverse("working_groups:mine")
    assert Membership.objects.get(group=private_group, user=outsider).state == "requested"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    forged = reverse("working_groups:join", args=[private_group.slug]) + "?key=forged"
    assert client.get(forged).status_code == 404


def test_request_and_approval_in_a_public_group(
    client, public_group, coordinator, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("working_groups:join", args=[public_group.slug]),
            {"message": "I run a sorting plant."},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(group=public_group, user=outsider)
    assert membership.state == Membership.State.REQUESTED
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "I run a sorting plant." in mail.outbox[0].body

    client.force_login(coordinator)
    queue = client.get(reverse("working_groups:manage", args=[public_group.slug]))
    assert "I run a sorting plant." in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("working_groups:decide", args=[public_group.slug, membership.pk, "approve"])
        )
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    assert outsider.groups.filter(pk=public_group.member_group_id).exists()
    assert mail.outbox[-1].to == [outsider.email]


def test_plain_member_cannot_approve_or_see_the_queue(client, public_group, outsider):
    plain = member(public_group)
    membership = Membership.objects.create(
        group=public_group, user=outsider, state=Membership.State.REQUESTED
    )
    client.force_login(plain)
    assert client.get(reverse("working_groups:manage", args=[public_group.slug])).status_code == 403
    response = client.post(
        reverse("working_groups:decide", args=[public_group.slug, membership.pk, "approve"])
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.state == Membership.State.REQUESTED


def test_decline_and_leave(client, public_group, coordinator, outsider):
    membership = Membership.objects.create(
        group=public_group, user=outsider, state=Membership.State.REQUESTED
    )
    client.force_login(coordinator)
    client.post(
        reverse("working_groups:decide", args=[public_group.slug, membership.pk, "decline"])
    )
    membership.refresh_from_db()
    assert membership.state == Membership.State.DECLINED

    leaver = member(public_group)
    client.force_login(leaver)
    client.post(reverse("working_groups:leave", args=[public_group.slug]))
    assert not leaver.groups.filter(pk=public_group.member_group_id).exists()
    assert Membership.objects.get(group=public_group, user=leaver).state == Membership.State.LEFT


def test_last_coordinator_cannot_leave(client, public_group, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("working_groups:leave", args=[public_group.slug]), follow=True)
    assert "only coordinator" in response.content.decode()
    assert Membership.objects.get(group=public_group, user=coordinator).is_coordinator


def test_membership_derives_machina_permissions(private_group, private_member):
    from machina.apps.forum_permission.handler import PermissionHandler

    assert PermissionHandler().can_add_topic(private_group.forum, private_member)
    auth_group = Group.objects.get(name="Working group: Secret pilot")
    assert private_member.groups.filter(pk=auth_group.pk).exists()
    from forum import services

    services.membership_leave(group=private_group, user=private_member)
    private_member.refresh_from_db()
    assert not PermissionHandler().can_read_forum(private_group.forum, private_member)


def test_invitation_new_person_signs_up_and_lands_in_group(
    client, private_group, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("working_groups:invite", args=[private_group.slug]),
            {"email": "new.person@example.org"},
        )
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.get_absolute_url() in mail.outbox[-1].body
    client.logout()
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert "Create an account" in page.content.decode()

    # The person signs up with that address and confirms it: allauth's signal puts them in.
    newcomer = UserFactory(email="new.person@example.org", verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    from allauth.account.signals import email_confirmed

    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert Membership.objects.get(group=private_group, user=newcomer).is_active
    client.force_login(newcomer)
    assert client.get(forum_url(private_group.forum)).status_code == 200


def test_invitation_accept_by_signed_in_user_and_wrong_address(client, public_group, coordinator):
    from forum import services

    invitation = services.invitation_send(
        group=public_group, email="someone@example.org", by=coordinator
    )
    stranger = UserFactory(email="other@example.org")
    client.force_login(stranger)
    client.post(invitation.get_absolute_url())
    assert not Membership.objects.filter(group=public_group, user=stranger).exists()
    invited = UserFactory(email="someone@example.org")
    client.force_login(invited)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert Membership.objects.get(group=public_group, user=invited).is_active


def test_plain_member_cannot_invite(client, public_group):
    plain = member(public_group)
    client.force_login(plain)
    response = client.post(
        reverse("working_groups:invite", args=[public_group.slug]), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_banned_user_cannot_rejoin_or_post(client, public_group, coordinator):
    troll = member(public_group)
    client.force_login(coordinator)
    membership = Membership.objects.get(group=public_group, user=troll)
    client.post(reverse("working_groups:ban", args=[public_group.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.state == Membership.State.BANNED
    client.force_login(troll)
    response = client.post(reverse("working_groups:join", args=[public_group.slug]), follow=True)
    assert "cannot join" in response.content.decode()
    assert Membership.objects.get(group=public_group, user=troll).state == Membership.State.BANNED
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": public_group.forum.slug, "forum_pk": public_group.forum.pk},
    )
    assert client.get(create).status_code == 403


def test_my_groups_and_menu(client, public_group, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("working_groups:mine"))
    assert "Sorting technology" in response.content.decode()
    home_menu = client.get(reverse("working_groups:list")).content.decode()
    assert reverse("working_groups:mine") in home_menu


def test_coordinator_names_another_coordinator_plain_member_cannot(
    client, public_group, coordinator
):
    helper = member(public_group)
    other = member(public_group)
    membership = Membership.objects.get(group=public_group, user=helper)
    url = reverse("working_groups:role", args=[public_group.slug, membership.pk])
    client.force_login(other)
    assert client.post(url, {"role": "coordinator"}).status_code == 403
    client.force_login(coordinator)
    client.post(url, {"role": "coordinator"})
    membership.refresh_from_db()
    assert membership.is_coordinator
    assert helper.groups.filter(pk=public_group.coordinator_group_id).exists()
    own = Membership.objects.get(group=public_group, user=coordinator)
    client.post(
        reverse("working_groups:role", args=[public_group.slug, own.pk]), {"role": "member"}
    )
    client.post(url, {"role": "member"})
    membership.refresh_from_db()
    assert membership.is_coordinator  # the last coordinator stays


def test_group_cards_show_the_visitors_own_membership(client, public_group, coordinator, outsider):
    """The list's card: a coordinator's badge, a plain member's state, nothing for others."""
    coordinator_badge = '<span class="badge badge-verified">Coordinator</span>'
    member_badge = '<span class="badge badge-verified">Member</span>'
    client.force_login(coordinator)
    html = client.get(reverse("working_groups:list")).content.decode()
    assert coordinator_badge in html and member_badge not in html
    client.force_login(member(public_group))
    html = client.get(reverse("working_groups:list")).content.decode()
    assert member_badge in html and coordinator_badge not in html
    client.force_login(outsider)
    html = client.get(reverse("working_groups:list")).content.decode()
    assert coordinator_badge not in html and member_badge not in html
