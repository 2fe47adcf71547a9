"""A company user asks to join a private working group, the coordinator approves, the user
starts a topic, another member gets the e-mail and replies."""

import re

from django.core import mail
from playwright.sync_api import expect

from forum import services
from forum.models import ForumSubscription, Membership, WorkingGroup
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def type_in_editor(page, text):
    # machina's Markdown editor hides the textarea (docs/stack.md, machina fix 6)
    page.locator(".CodeMirror").first.click()
    page.keyboard.type(text)


def test_join_private_group_post_and_reply_by_email(page, live_server, screenshot):
    coordinator = UserFactory(email="carla@example.org", display_name="Carla Coordinator")
    colleague = UserFactory(email="marek@example.org", display_name="Marek Member")
    company = UserFactory(
        email="giulia@example.org",
        display_name="Giulia Bianchi",
        organisation=OrganisationFactory(name="Tessitura Bisenzio"),
    )
    # established accounts: a new account's first post waits for approval (test_moderation)
    services.user_trust(user=company)
    services.user_trust(user=colleague)
    services.working_group_save(
        group=WorkingGroup(name="Sorting technology", slug="sorting", description="NIR sorting."),
        coordinators=[coordinator],
    )
    group = services.working_group_save(
        group=WorkingGroup(
            name="Prato wool pilot",
            slug="prato-wool-pilot",
            description="Closed group of the Prato pilot partners.",
            visibility=WorkingGroup.Visibility.PRIVATE,
        ),
        coordinators=[coordinator],
    )
    services.membership_add(group=group, user=colleague)
    ForumSubscription.objects.create(user=colleague, forum=group.forum)

    # The coordinator shares the group's join link.
    sign_in(page, live_server, coordinator.email)
    page.goto(live_server.url + "/forum/")
    page.get_by_role("link", name="Prato wool pilot").click()
    page.get_by_role("link", name=re.compile("Manage members")).click()
    join_link = page.get_by_role("textbox", name="Link").input_value()

    # The company user does not see the private group, but can ask to join with the link.
    sign_in(page, live_server, company.email)
    page.goto(live_server.url + "/forum/")
    expect(page.get_by_role("link", name="Sorting technology")).to_be_visible()
    expect(page.get_by_text("Prato wool pilot")).to_have_count(0)
    page.goto(join_link)
    page.get_by_label("Message to the coordinators (optional)").fill(
        "We weave carded wool and can test the regenerated yarn."
    )
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("Your request was sent.")).to_be_visible()
    assert mail.outbox[-1].to == [coordinator.email]

    # The coordinator approves the request in the queue.
    sign_in(page, live_server, coordinator.email)
    page.goto(live_server.url + "/forum/groups/prato-wool-pilot/manage/")
    expect(page.get_by_text("We weave carded wool")).to_be_visible()
    page.get_by_role("button", name="Approve Giulia Bianchi").click()
    expect(page.get_by_text("Giulia Bianchi is now a member.")).to_be_visible()
    assert Membership.objects.get(group=group, user=company).is_active

    # The new member starts a topic.
    sign_in(page, live_server, company.email)
    page.goto(live_server.url + "/forum/groups/prato-wool-pilot/")
    page.get_by_role("link", name="Open the group's forum").click()
    page.get_by_role("link", name="New topic").first.click()
    page.get_by_label("Subject").fill("Regenerated yarn trial, batch 4")
    type_in_editor(page, "We can run batch 4 on our looms next week. Who sends the yarn?")
    mail.outbox.clear()
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_role("heading", name="Regenerated yarn trial, batch 4", level=1)
    ).to_be_visible()

    # The other member gets the e-mail and replies from its link.
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    body = mail.outbox[0].body
    assert "We can run batch 4" in body
    link = re.search(r"http://testserver(/forum/\S+)", body).group(1)
    sign_in(page, live_server, colleague.email)
    page.goto(live_server.url + link)
    page.get_by_role("link", name="Post reply").first.click()
    type_in_editor(page, "Rigenera sends 40 kg on Monday.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Rigenera sends 40 kg on Monday.")).to_be_visible()
    screenshot(page, "forum-topic")
    page.goto(live_server.url + "/forum/")
    expect(page.get_by_text("1 topic")).to_be_visible()
    screenshot(page, "forum-groups")
