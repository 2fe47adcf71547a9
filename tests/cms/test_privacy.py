"""A person downloads everything the site holds about them, and deletes their account: personal
data erased or anonymised in one transaction, forum posts kept as by a deleted user,
certificates still verifiable without the name."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.accounts.privacy import DELETED_USER_NAME, user_delete_account
from cms.accounts.two_factor import totp_activate
from cms.events.models import Registration
from cms.newsletters.models import Subscription
from courses.models import Certificate, Enrolment
from courses.services import certificate_issue
from exchange.models import SavedSearch
from forum.models import Membership as WorkingGroupMembership
from tests.cms import factories as cms_factories
from tests.cms.factories import build_site_tree
from tests.courses.factories import course_with_lessons
from tests.exchange.factories import ListingFactory
from tests.factories import PASSWORD, RegionFactory, UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    """Someone who used every part of the site."""
    user = UserFactory(display_name="Zofia Nowak", first_name="Zofia", last_name="Nowak")
    course = course_with_lessons(modules=1, lessons=1)
    enrolment = Enrolment.objects.create(user=user, course=course, completed_at=timezone.now())
    certificate_issue(enrolment=enrolment)
    group = WorkingGroupFactory()
    member(group, user)
    topic_with_posts(group, user, subject="Sorting NIR thresholds", content="My findings")
    listing = ListingFactory(created_by=user, title="Denim offcuts")
    SavedSearch.objects.create(user=user, name="Denim", query="denim")
    tree = build_site_tree()
    event = cms_factories.event(tree["events"], title="Circularity Days")
    Registration.objects.create(event=event, user=user, status="confirmed")
    Subscription.objects.create(email=user.email, region=RegionFactory(), language="pl")
    totp_activate(user=user)
    user.listing = listing
    return user


def test_download_all_my_data_as_json(client, person):
    client.force_login(person)
    response = client.get("/accounts/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == person.email
    assert data["profile"]["display_name"] == "Zofia Nowak"
    assert [e["course"] for e in data["enrolments"]] == [Enrolment.objects.get().course.title]
    assert data["certificates"][0]["code"] == Certificate.objects.get().code
    assert data["certificates"][0]["name"] == "Zofia Nowak"
    assert [p["content"] for p in data["forum_posts"]] == ["My findings"]
    assert [g["group"] for g in data["working_group_memberships"]]
    assert [listing["title"] for listing in data["exchange_listings"]] == ["Denim offcuts"]
    assert [s["name"] for s in data["exchange_saved_searches"]] == ["Denim"]
    assert [r["event"] for r in data["event_registrations"]] == ["Circularity Days"]
    assert [s["language"] for s in data["newsletter_subscriptions"]] == ["pl"]
    assert data["two_factor"] == ["recovery_codes", "totp"] or "totp" in data["two_factor"]
    for section in ("quiz_attempts", "scorm_attempts", "exchange_inquiries"):
        assert section in data


def test_the_export_needs_sign_in_and_gives_only_my_own_data(client, person):
    assert client.get("/accounts/privacy/export/").status_code == 302
    other = UserFactory()
    client.force_login(other)
    data = json.loads(client.get("/accounts/privacy/export/").content)
    assert data["profile"]["email"] == other.email
    assert data["enrolments"] == [] and data["forum_posts"] == [] and data["certificates"] == []


def test_delete_my_account(client, person):
    from machina.apps.forum_conversation.models import Post

    code = Certificate.objects.get().code
    email = person.email
    client.force_login(person)
    assert client.get("/accounts/privacy/").status_code == 200
    response = client.post("/accounts/privacy/", {"password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    person.refresh_from_db()
    assert person.display_name == DELETED_USER_NAME
    assert email not in person.email and not person.first_name and not person.last_name
    assert not person.is_active and not person.has_usable_password()
    assert not person.groups.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Enrolment.objects.filter(user=person).exists()
    assert not Registration.objects.filter(user=person).exists()
    assert not Subscription.objects.filter(email=email).exists()
    assert not SavedSearch.objects.filter(user=person).exists()
    assert not WorkingGroupMembership.objects.filter(user=person).exists()
    # Forum posts stay, shown as by the deleted user.
    post = Post.objects.get(content="My findings")
    assert post.poster_id == person.pk
    assert str(post.poster) == DELETED_USER_NAME
    # The certificate still verifies by its code, without the name.
    certificate = Certificate.objects.get(code=code)
    assert certificate.learner_name == "" and not certificate.pdf
    page = client.get(f"/certificates/verify/{code}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Zofia" not in content
    assert "Name removed at the holder" in content
    # Nobody can sign in as the deleted account, nor with its old address.
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.filter(email=email).count() == 0


def test_a_wrong_password_deletes_nothing(client, person):
    client.force_login(person)
    for password in ("wrong", "bad\x00byte", "x" * 5000):
        response = client.post("/accounts/privacy/", {"password": password})
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.display_name == "Zofia Nowak"
    assert Enrolment.objects.filter(user=person).exists()


def test_deletion_is_one_transaction(person, monkeypatch):
    """A failure half-way leaves everything as it was."""
    from courses import privacy as courses_privacy

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(courses_privacy, "erase_personal_data", broken)
    with pytest.raises(RuntimeError):
        user_delete_account(user=person)
    person.refresh_from_db()
    assert person.is_active and person.display_name == "Zofia Nowak"
    assert SavedSearch.objects.filter(user=person).exists()
    assert WorkingGroupMembership.objects.filter(user=person).exists()


def test_deletion_erases_the_person_from_the_outbox(person):
    """E-mails to the person (queued, sent, dead) go with the account; e-mails to others no
    longer carry their address or name (a contact message's Reply-To, a reply notification)."""
    from cms.outbox.models import EmailStatus, OutgoingEmail
    from cms.outbox.services import email_enqueue

    first, second = person.email, "zofia.private@example.net"
    EmailAddress.objects.create(user=person, email=second, verified=True)
    email_enqueue(to=[person.email.upper()], subject="Welcome", text_body="Hello Zofia Nowak")
    email_enqueue(to=[second], subject="Your certificate", text_body="Attached")
    OutgoingEmail.objects.filter(to=second).update(status=EmailStatus.FAILED)
    email_enqueue(to=["sent@example.org"], subject="Old", text_body="x")
    OutgoingEmail.objects.filter(to="sent@example.org").update(
        to=person.email, status=EmailStatus.SENT, sent_at=timezone.now()
    )
    email_enqueue(
        to=["partner@example.org"],
        subject="Zofia Nowak asks about your offer",
        text_body=f"Zofia Nowak ({person.email}) wrote: is the denim still available?",
        html_body="<p>Zofia Nowak wrote …</p>",
        headers={"Reply-To": person.email},
        attachments=[("invite.ics", f"ATTENDEE:mailto:{second}", "text/calendar")],
    )
    email_enqueue(to=["bystander@example.org"], subject="Newsletter", text_body="Nothing personal")

    user_delete_account(user=person)

    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "bystander@example.org",
        "partner@example.org",
    ]
    other = OutgoingEmail.objects.get(to="partner@example.org")
    stored = " ".join(
        [other.subject, other.text_body, other.html_body, json.dumps(other.headers)]
        + [attachment["content"] for attachment in other.attachments]
    )
    assert "Zofia" not in stored and first not in stored and second not in stored
    assert other.subject == f"{DELETED_USER_NAME} asks about your offer"
    assert other.headers["Reply-To"] == DELETED_USER_NAME
    assert other.headers["Message-ID"]  # the rest of the row is intact
    assert OutgoingEmail.objects.get(to="bystander@example.org").text_body == "Nothing personal"


def test_outbox_erasure_is_part_of_the_deletion_transaction(person, monkeypatch):
    from cms.accounts import privacy
    from cms.outbox.models import OutgoingEmail
    from cms.outbox.services import email_enqueue

    email_enqueue(to=[person.email], subject="Welcome", text_body="Hello")
    monkeypatch.setattr(privacy.Authenticator.objects, "filter", _raise_disk_full)
    with pytest.raises(RuntimeError):
        user_delete_account(user=person)
    assert OutgoingEmail.objects.filter(to=person.email).exists()


def _raise_disk_full(*args, **kwargs):
    raise RuntimeError("disk full")
