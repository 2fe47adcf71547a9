"""Phone first: on a 390 × 844 screen the header stays within 120 px, nothing scrolls sideways
and each key page's main action is in the first screen. The demo content is used because it is
what makes pages long (real titles, 14 exchange filters, course syllabi)."""

import io

from django.core.management import call_command
from machina.apps.forum_conversation.models import Topic
from playwright.sync_api import expect

from cms.models import EventPage, StoryPage
from courses.models import CoursePage
from exchange.models import Listing
from forum.models import Membership
from tests.browser.test_cms_journey import sign_in
from tests.forum.factories import topic_url

PHONE = {"width": 390, "height": 844}
HEADER_MAX = 120


def layout_problems(page, name, main_action):
    """What is wrong with the page now loaded at phone size (an empty list when nothing)."""
    problems = []
    header = page.locator(".site-header").bounding_box()
    if header["height"] > HEADER_MAX:
        problems.append(f"{name}: header is {header['height']:.0f} px high")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name}: the page scrolls {overflow} px sideways")
    # Consistent gutters: headings, paragraphs and the home page's panels keep the page's side
    # margin (a grid column as wide as its longest word once pushed a story 30 px past the edge).
    crowded = page.evaluate(
        """() => [...document.querySelectorAll('main h1, main h2, main p, main .section > *')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && (r.left < 16 || innerWidth - r.right < 16))
            .map(([e, r]) => `${e.tagName.toLowerCase()} ${Math.round(r.left)}/${Math.round(innerWidth - r.right)} px`)"""
    )
    if crowded:
        problems.append(f"{name}: content closer than 16 px to the screen's edge: {crowded[:3]}")
    action = page.locator(main_action).first
    box = action.bounding_box()
    if box is None or not action.is_visible():
        problems.append(f"{name}: main action {main_action!r} not shown")
    elif box["y"] + box["height"] > PHONE["height"]:
        problems.append(
            f"{name}: main action {main_action!r} ends {box['y'] + box['height']:.0f} px down"
        )
    return problems


def test_key_pages_fit_a_phone(page, live_server, screenshot):
    call_command("load_demo", stdout=io.StringIO())
    story = StoryPage.objects.live().filter(locale__language_code="en").first()
    course = CoursePage.objects.live().filter(enrolment_key="").first()
    event = EventPage.objects.live().filter(locale__language_code="en").order_by("-start").first()
    membership = Membership.objects.filter(state=Membership.State.ACTIVE).first()
    topic = Topic.objects.filter(forum=membership.group.forum, approved=True).first()
    listing = Listing.objects.public().active().order_by("pk").first()
    pages = [
        ("home", "/", ".hero .button"),
        ("story", story.url, "main h1"),
        ("exchange", "/exchange/", ".listing-grid > li h3 a"),
        ("course", course.url, "#enrol .button, #enrol button"),
        ("events", "/events/", ".event-list > li"),
        # register (or add to the calendar), contact: the main actions of issue 15
        ("event", event.url, "main .form-actions .button"),
        ("listing", listing.get_absolute_url(), ".contact-action"),
    ]
    page.set_viewport_size(PHONE)
    problems = []
    for name, path, main_action in pages:
        page.goto(live_server.url + path)
        problems += layout_problems(page, name, main_action)
        screenshot(page, f"phone-{name}")

    sign_in(page, live_server, membership.user)
    page.goto(live_server.url + topic_url(topic))
    problems += layout_problems(page, "forum topic", ".topic-toolbar .button")
    assert not problems, "\n".join(problems)


def test_menu_button_opens_and_closes_by_keyboard(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Funding calls")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_be_visible()

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()

    page.keyboard.press("Space")
    expect(nav).to_be_visible()


def test_wide_screens_show_the_menu_without_a_button(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding calls")
    ).to_be_visible()
