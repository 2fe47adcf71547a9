"""A company user asks to join a private working group, the coordinator approves, the user
asks a question, another member gets the e-mail, likes it and replies in the box under the
topic (quoting it), the author accepts the reply as the answer and mutes the topic."""

import re

from django.core import mail
from playwright.sync_api import expect

from forum import services
from forum.models import Membership, WorkingGroup
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
    services.watch_level_set(user=colleague, target=group.forum, level="watching")

    # The coordinator shares the group's join link.
    sign_in(page, live_server, coordinator.email)
    page.goto(live_server.url + "/forum/")
    page.get_by_role("link", name="Prato wool pilot").click()
    page.get_by_role("link", name=re.compile("Manage members")).click()
    join_link = page.get_by_role("textbox", name="Link").input_value()
    # The link is absolute on the site's configured address (SITE_URL); here, the live server.
    assert join_link.startswith("http://testserver/forum/groups/")
    join_link = live_server.url + join_link.removeprefix("http://testserver")

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
    page.get_by_label("This is a question").check()
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
    expect(page.get_by_text("Question", exact=True)).to_be_visible()
    editor_icons_are_drawn(page)
    # A like: the button is pressed and the count shows.
    opening = page.locator("article.post").first
    opening.get_by_role("button", name="Like").click()
    opening = page.locator("article.post").first
    expect(opening.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
    expect(opening.get_by_text("1 like")).to_be_visible()
    # Quote fills the reply box under the posts; the reply goes out from the topic page.
    opening.get_by_role("link", name="Quote").click()
    expect(page.locator("#reply .CodeMirror")).to_contain_text("Giulia Bianchi:")
    page.locator("#reply .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("Rigenera sends 40 kg on Monday.")
    page.get_by_role("button", name="Post reply").click()
    reply = page.locator("article.post").nth(1)
    expect(reply).to_contain_text("Rigenera sends 40 kg on Monday.")
    expect(reply.locator("blockquote")).to_contain_text("Who sends the yarn?")
    expect(page.get_by_text("Re: Regenerated yarn")).to_have_count(0)
    # The full reply page (preview, attachments) keeps its styled topic review.
    page.get_by_role("link", name="Open the full editor (preview, attachments)").click()
    expect(page.get_by_text("Latest posts in this topic")).to_be_visible()
    editor_icons_are_drawn(page)

    # The author accepts the reply as the answer, then mutes the topic.
    sign_in(page, live_server, company.email)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Accept as the answer").click()
    expect(page.get_by_text("The reply is marked as the accepted answer.")).to_be_visible()
    answer_box = page.locator("aside.accepted-answer")
    expect(answer_box).to_contain_text("Marek Member")
    expect(answer_box).to_contain_text("Rigenera sends 40 kg")
    page.get_by_label("Notifications for this topic").select_option("muted")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This topic is muted")).to_be_visible()
    page.get_by_role("link", name="Prato wool pilot").first.click()
    page.get_by_role("link", name="Open the group's forum").click()
    row = page.get_by_role("row", name=re.compile("Regenerated yarn trial"))
    expect(row.get_by_text("Solved")).to_be_visible()
    expect(row.get_by_text("Muted")).to_be_visible()
    screenshot(page, "forum-topic-list")

    # Another reply: the muted author gets no e-mail.
    sign_in(page, live_server, colleague.email)
    page.goto(live_server.url + link)
    mail.outbox.clear()
    type_in_editor(page, "The yarn left Prato this morning.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("The yarn left Prato this morning.")).to_be_visible()
    assert company.email not in [address for message in mail.outbox for address in message.to]
    screenshot(page, "forum-topic")
    page.goto(live_server.url + "/forum/")
    expect(page.get_by_text("1 topic")).to_be_visible()
    screenshot(page, "forum-groups")


def editor_icons_are_drawn(page):
    """Every icon of the editor's toolbar is a Font Awesome glyph from the site's own copy of
    the font (no empty box, nothing fetched elsewhere)."""
    page.locator(".editor-toolbar button").first.wait_for()
    icons = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return Array.from(document.querySelectorAll(".editor-toolbar button")).map((button) => {
                const icon = button.querySelector("i.fa") || button;
                const glyph = getComputedStyle(icon, "::before");
                const box = icon.getBoundingClientRect();
                return {
                    name: button.title || button.className,
                    font: glyph.fontFamily,
                    content: glyph.content,
                    width: box.width,
                    visible: getComputedStyle(icon).display !== "none",
                };
            });
        }"""
    )
    assert icons, "the editor has no toolbar"
    assert page.evaluate("document.fonts.check('14px FontAwesome')")
    for icon in icons:
        assert "FontAwesome" in icon["font"], icon
        assert icon["content"] not in ("none", "normal", '""'), icon
        assert icon["visible"] and icon["width"] > 0, icon
