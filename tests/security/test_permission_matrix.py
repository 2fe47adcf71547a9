"""The permission matrix: every URL pattern of the site × every role, each with the answer it
must give, requested with real ids of private things (tests/security/matrix_world.py).

The patterns are walked from the URL resolver, so a new URL without an entry in MATRIX (or,
under the Wagtail admin, without its admin section in ADMIN_SECTIONS) fails
``test_every_url_pattern_has_an_entry`` with the pattern to add.

Outcomes, one letter per role in the order of ROLES:

    o  answered (2xx)                    l  sent to a sign-in page (302 to a login URL)
    r  redirected somewhere else (3xx)   d  refused: 403 or 404
    5  405 (method not allowed)          *  anything but a 500 (token links: the token is the key)
    !  Wagtail's own error test page (/admin/failwhale/ raises on purpose for those who may see it)

Whatever the status, a page that shows a role one of the SECRETS of matrix_world (a private
group's name, a draft listing's title, an inquiry's message, …) it may not read fails too.

Every request runs in a transaction that is rolled back, so a POST by one role (approve,
delete, leave) changes nothing for the next. 500 is never accepted.

Wagtail's admin: the project's own admin views and the snippets of its own models have an
entry per pattern (MATRIX). Wagtail's built-in admin views (pages, images, documents, users,
workflows, reports, …) all sit behind Wagtail's ``require_admin_access``, which the project
does not change: each admin section (``admin/<section>/``) has one entry with representative
ids in ADMIN_SECTIONS, and ``test_no_admin_url_opens_to_people_without_admin_access`` requests
every admin pattern as an anonymous visitor and as a trainee. The Django admin the same way,
one entry per registered model (DJANGO_ADMIN_SECTIONS).
"""

import os
import re
from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.matrix_world import ROLES, SECRETS, Requester, outcome
from tests.security.test_url_probe import _path

pytestmark = pytest.mark.django_db

RECORD = os.environ.get("MATRIX_RECORD")
# Only the patterns containing this text (filling in a new entry with MATRIX_RECORD).
ONLY = os.environ.get("MATRIX_ONLY", "")


@dataclass(frozen=True)
class C:
    """One request of the matrix: a URL template (``{w.…}`` names the world's records), the
    expected outcome per role (one letter each, spaces ignored), the method and the form data."""

    url: str
    expect: str
    method: str = "GET"
    data: dict | None = None
    # A link whose token is the key (an invitation): it shows what it names to its holder.
    token: bool = False

    def outcomes(self):
        letters = self.expect.replace(" ", "")
        assert len(letters) == len(ROLES), f"{self.url}: {len(letters)} outcomes for 10 roles"
        return dict(zip(ROLES, letters, strict=True))


def P(url, expect, data=None):
    return C(url, expect, "POST", data or {})


GROUP = "/forum/groups/{w.private_group.slug}"
PFORUM = "{w.private_forum.slug}-{w.private_forum.pk}"
PTOPIC = "{w.private_topic.slug}-{w.private_topic.pk}"
BOARD = "/forum/board"

# fmt: off
#                 roles: anonymous trainee member outsider exchange_a exchange_b editor moderator provider admin
MATRIX = {
    # Core -----------------------------------------------------------------------------------
    "healthz": C("/healthz", "o o o o o o o o o o"),
    "robots.txt": C("/robots.txt", "o o o o o o o o o o"),
    "sitemap.xml": C("/sitemap.xml", "o o o o o o o o o o"),
    "i18n/setlang/": P("/i18n/setlang/", "r r r r r r r r r r", {"language": "pl", "next": "/"}),
    "documents/^(\\d+)/(.*)$": C("/documents/{w.document.pk}/{w.document.filename}", "l o o o o o o o o o"),
    # Wagtail's password form for a collection restriction (like _util's below): it names nothing
    # of the collection or its documents. It used the page restriction's id, which is also the
    # collection restriction's on SQLite (both tables start at 1) and none on PostgreSQL.
    "documents/authenticate_with_password/<int:restriction_id>/": C("/documents/authenticate_with_password/{w.collection_restriction.pk}/", "o o o o o o o o o o"),
    "^media/(?P<path>.*)$": C("/media/{w.private_attachment.file.name}", "d d d d d d d d d d"),
    "translation/<int:page_id>/": C("/translation/{w.story_x.pk}/", "d d d d d d d d d d"),
    "search/": C("/search/?q=Secret+yarn", "o o o o o o o o o o"),
    "privacy/": C("/privacy/", "d d d d d d d d d d"),
    "terms/": C("/terms/", "d d d d d d d d d d"),
    "_util/login/": C("/_util/login/?next=/", "l d d d d d d d d d"),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": C("/_util/authenticate_with_password/{w.page_restriction.pk}/{w.private_page.pk}/", "o o o o o o o o o o"),
    "^((?:[\\w\\-]+/)*)$": [
        C("/", "o o o o o o o o o o"),
        C("{w.public_page.url}", "o o o o o o o o o o"),
        C("{w.private_page.url}", "l o o o o o o o o o"),
        C("/resources/stories/{w.story_x.slug}/", "d d d d d d d d d d"),
        C("{w.course.url}", "o o o o o o o o o o"),
        C("{w.lesson.url}", "r r r r r r r r r r"),
    ],
    "feeds/rss/": C("/feeds/rss/", "o o o o o o o o o o"),
    "feeds/atom/": C("/feeds/atom/", "o o o o o o o o o o"),
    "feeds/section/<slug:slug>/rss/": C("/feeds/section/stories/rss/", "o o o o o o o o o o"),
    "feeds/section/<slug:slug>/atom/": C("/feeds/section/stories/atom/", "o o o o o o o o o o"),
    "feeds/region/<slug:slug>/rss/": C("/feeds/region/{w.region_x.slug}/rss/", "o o o o o o o o o o"),
    "feeds/region/<slug:slug>/atom/": C("/feeds/region/{w.region_x.slug}/atom/", "o o o o o o o o o o"),
    "newsletters/subscribe/": C("/newsletters/subscribe/", "o o o o o o o o o o"),
    "newsletters/subscribe/check-your-inbox/": C("/newsletters/subscribe/check-your-inbox/", "o o o o o o o o o o"),
    "newsletters/confirm/<str:token>/": C("/newsletters/confirm/not-a-token/", "d d d d d d d d d d"),
    "newsletters/unsubscribe/<str:token>/": C("/newsletters/unsubscribe/not-a-token/", "d d d d d d d d d d"),
    "notifications/unsubscribe/<str:token>/": C("/notifications/unsubscribe/not-a-token/", "d d d d d d d d d d"),
    "r/<str:token>/": C("/r/not-a-token/", "d d d d d d d d d d"),
    "directory/": C("/directory/", "o o o o o o o o o o"),
    "directory/<slug:slug>/": C("/directory/{w.org_a.slug}/", "o o o o o o o o o o"),
    # Accounts (the project's and allauth's) ------------------------------------------------
    "accounts/profile/": C("/accounts/profile/", "l o o o o o o o o o"),
    "accounts/admin-login/": C("/accounts/admin-login/", "l d d d d d r r r r"),
    "accounts/privacy/": C("/accounts/privacy/", "l o o o o o o o o o"),
    "accounts/privacy/export/": C("/accounts/privacy/export/", "l o o o o o o o o o"),
    "accounts/login/": C("/accounts/login/", "o r r r r r r r r r"),
    "accounts/logout/": C("/accounts/logout/", "r o o o o o o o o o"),
    "accounts/inactive/": C("/accounts/inactive/", "o o o o o o o o o o"),
    "accounts/signup/": C("/accounts/signup/", "o r r r r r r r r r"),
    "accounts/reauthenticate/": C("/accounts/reauthenticate/", "l o o o o o o o o o"),
    "accounts/email/": C("/accounts/email/", "l o o o o o o o o o"),
    "accounts/confirm-email/": C("/accounts/confirm-email/", "o o o o o o o o o o"),
    "accounts/password/change/": C("/accounts/password/change/", "l o o o o o o o o o"),
    "accounts/password/set/": C("/accounts/password/set/", "l r r r r r r r r r"),
    "accounts/password/reset/": C("/accounts/password/reset/", "o o o o o o o o o o"),
    "accounts/login/code/confirm/": C("/accounts/login/code/confirm/", "l r r r r r r r r r"),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": C("/accounts/confirm-email/not-a-key/", "o o o o o o o o o o"),
    "accounts/password/reset/key/done/": C("/accounts/password/reset/key/done/", "o o o o o o o o o o"),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": C("/accounts/password/reset/key/1-not-a-key/", "o o o o o o o o o o"),
    "accounts/password/reset/done/": C("/accounts/password/reset/done/", "o o o o o o o o o o"),
    "accounts/2fa/": C("/accounts/2fa/", "l o o o o o o o o o"),
    "accounts/2fa/authenticate/": C("/accounts/2fa/authenticate/", "l r r r r r r r r r"),
    "accounts/2fa/reauthenticate/": C("/accounts/2fa/reauthenticate/", "l r r r r r r r r r"),
    "accounts/2fa/totp/activate/": C("/accounts/2fa/totp/activate/", "l r r r r r r r r r"),
    "accounts/2fa/totp/deactivate/": C("/accounts/2fa/totp/deactivate/", "l d d d d d d d d d"),
    "accounts/2fa/recovery-codes/": C("/accounts/2fa/recovery-codes/", "l d d d d d d d d d"),
    "accounts/2fa/recovery-codes/generate/": C("/accounts/2fa/recovery-codes/generate/", "l r r r r r r r r r"),
    "accounts/2fa/recovery-codes/download/": C("/accounts/2fa/recovery-codes/download/", "l d d d d d d d d d"),
    "accounts/2fa/webauthn/": C("/accounts/2fa/webauthn/", "l o o o o o o o o o"),
    "accounts/2fa/webauthn/add/": C("/accounts/2fa/webauthn/add/", "l r r r r r r r r r"),
    "accounts/2fa/webauthn/reauthenticate/": C("/accounts/2fa/webauthn/reauthenticate/", "l r r r r r r r r r"),
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": C("/accounts/2fa/webauthn/keys/{w.other_key.pk}/remove/", "l r r r r r r r r r"),
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": C("/accounts/2fa/webauthn/keys/{w.other_key.pk}/edit/", "l r r r r r r r r r"),
    # Partners ------------------------------------------------------------------------------
    "partners/": C("/partners/", "o o o o o o o o o o"),
    "partners/opportunities/new/": C("/partners/opportunities/new/", "l d d d o o d d d d"),
    "partners/opportunities/mine/": C("/partners/opportunities/mine/", "l o o o o o o o o o"),
    "partners/opportunities/<int:pk>/": [
        C("/partners/opportunities/{w.draft_opportunity.pk}/", "d d d d o d d o d o"),
        C("/partners/opportunities/{w.opportunity_b.pk}/", "o o o o o o o o o o"),
    ],
    "partners/opportunities/<int:pk>/edit/": C("/partners/opportunities/{w.draft_opportunity.pk}/edit/", "l d d d o d d d d d"),
    "partners/opportunities/<int:pk>/interest/": C("/partners/opportunities/{w.opportunity_b.pk}/interest/", "l o o o o o o o o o"),
    "partners/opportunities/<int:pk>/<slug:action>/": P("/partners/opportunities/{w.draft_opportunity.pk}/submit/", "l d d d r d d d d d"),
    "partners/technologies/<int:page_id>/interest/": C("/partners/technologies/{w.technology.pk}/interest/", "l o o o o o o o o o"),
    "partners/interests/": C("/partners/interests/", "l o o o o o o o o o"),
    "partners/interests/<int:pk>/": C("/partners/interests/{w.interest.pk}/", "l d d d o o d d d d"),
    "partners/interests/<int:pk>/state/": P("/partners/interests/{w.interest.pk}/state/", "l d d d d r d d d d", {"state": "closed"}),
    "partners/interests/<int:pk>/withdraw/": P("/partners/interests/{w.interest.pk}/withdraw/", "l d d d r d d d d d"),
    "partners/recommended/": C("/partners/recommended/", "l o o o o o o o o o"),
    "partners/review/": C("/partners/review/", "l d d d d d d o d o"),
    "partners/organisations/<slug:slug>/profile/": C("/partners/organisations/{w.org_a.slug}/profile/", "l d d d o d d d d d"),
    "partners/organisations/<slug:slug>/contact/": C("/partners/organisations/{w.org_a.slug}/contact/", "l o o o o o o o o o"),
    "partners/experts/me/": C("/partners/experts/me/", "l o o o o o o o o o"),
    "partners/experts/<int:pk>/": C("/partners/experts/{w.expert.pk}/", "o o o o o o o o o o"),
    "partners/experts/<int:pk>/contact/": C("/partners/experts/{w.expert.pk}/contact/", "l o o o o o o o o o"),
    # Training ------------------------------------------------------------------------------
    "learning/": C("/learning/", "l o o o o o o o o o"),
    "learning/courses/<int:course_id>/enrol/": P("/learning/courses/{w.course.pk}/enrol/", "l r r r r r r r r r"),
    "learning/lessons/<int:lesson_id>/complete/": P("/learning/lessons/{w.lesson.pk}/complete/", "l r r r r r r r r r"),
    "learning/certificates/<str:code>/download/": C("/learning/certificates/{w.certificate.code}/download/", "l d d d d d d o d o"),
    "learning/certificates/<str:code>/regenerate/": P("/learning/certificates/{w.certificate.code}/regenerate/", "l d d d d d d r d r"),
    "learning/certificates/<str:code>/badge.<str:file_format>": C("/learning/certificates/{w.certificate.code}/badge.png", "l d d d d d d o d o"),
    "certificates/issuer/": C("/certificates/issuer/", "o o o o o o o o o o"),
    "certificates/issuer/jwks.json": C("/certificates/issuer/jwks.json", "o o o o o o o o o o"),
    "certificates/verify/credential/": C("/certificates/verify/credential/", "o o o o o o o o o o"),
    "learning/scorm/attempts/<int:attempt_id>/commit/": P("/learning/scorm/attempts/999999/commit/", "l d d d d d d d d d"),
    "learning/scorm/lessons/<int:lesson_id>/new-attempt/": P("/learning/scorm/lessons/{w.lesson.pk}/new-attempt/", "l d d d d d d d d d"),
    "learning/scorm/<uuid:package_uuid>/<path:path>": C("/learning/scorm/00000000-0000-0000-0000-000000000001/index.html", "d d d d d d d d d d"),
    "certificates/verify/": C("/certificates/verify/?code={w.certificate.code}", "r r r r r r r r r r"),
    "certificates/verify/<str:code>/badge.png": C("/certificates/verify/{w.certificate.code}/badge.png", "o o o o o o o o o o"),
    "certificates/verify/<str:code>/": C("/certificates/verify/{w.certificate.code}/", "o o o o o o o o o o"),
    # Working groups ------------------------------------------------------------------------
    "forum/": C("/forum/", "o o o o o o o o o o"),
    "forum/my-groups/": C("/forum/my-groups/", "l o o o o o o o o o"),
    "forum/notifications/": C("/forum/notifications/", "l o o o o o o o o o"),
    "forum/unsubscribe/<str:token>/": C("/forum/unsubscribe/not-a-token/", "d d d d d d d d d d"),
    "forum/search/": C("/forum/search/?q=Secret", "o o o o o o o o o o"),
    "forum/board/search/": C("/forum/board/search/?q=Secret", "o o o o o o o o o o"),
    "forum/moderation/": C("/forum/moderation/", "l d d d d d d o d o"),
    "forum/moderation/reports/<int:pk>/<str:action>/": P("/forum/moderation/reports/{w.report.pk}/dismiss/", "l d d d d d d r d r"),
    "forum/watch/<str:kind>/<int:pk>/": P("/forum/watch/topic/{w.private_topic.pk}/", "l d r d d d d r d r"),
    "forum/posts/<int:pk>/like/": P("/forum/posts/{w.private_post.pk}/like/", "l d r d d d d r d r"),
    "forum/posts/<int:pk>/quote/": C("/forum/posts/{w.private_post.pk}/quote/", "d d o d d d d o d o"),
    "forum/posts/<int:pk>/accept/": P("/forum/posts/{w.private_post.pk}/accept/", "l d d d d d d r d r"),
    "forum/posts/<int:pk>/unaccept/": P("/forum/posts/{w.private_post.pk}/unaccept/", "l d d d d d d r d r"),
    "forum/posts/<int:pk>/report/": C("/forum/posts/{w.private_post.pk}/report/", "l d o d d d d o d o"),
    "forum/invitations/<str:token>/": C("/forum/invitations/{w.invitation.token}/", "o o o o o o o o o o", token=True),
    "forum/groups/<slug:slug>/": C(GROUP + "/", "d d o d d d d o d o"),
    "forum/groups/<slug:slug>/join/": P(GROUP + "/join/", "d d r d d d d r d r"),
    "forum/groups/<slug:slug>/leave/": P(GROUP + "/leave/", "l d r d d d d r d r"),
    "forum/groups/<slug:slug>/manage/": C(GROUP + "/manage/", "l d d d d d d o d o"),
    "forum/groups/<slug:slug>/invite/": P(GROUP + "/invite/", "l d d d d d d r d r", {"email": "new@example.org"}),
    "forum/groups/<slug:slug>/requests/<int:pk>/<str:decision>/": P(GROUP + "/requests/{w.group_request.pk}/approve/", "l d d d d d d r d r"),
    "forum/groups/<slug:slug>/members/<int:pk>/ban/": P(GROUP + "/members/{w.member_membership.pk}/ban/", "l d d d d d d r d r"),
    "forum/groups/<slug:slug>/members/<int:pk>/role/": P(GROUP + "/members/{w.member_membership.pk}/role/", "l d d d d d d r d r", {"role": "coordinator"}),
    "forum/board/": C(BOARD + "/", "r r r r r r r r r r"),
    # machina's index, shadowed by the redirect above: the same URL.
    "forum/board/^": C(BOARD + "/", "r r r r r r r r r r"),
    "forum/board/^forum/<str:slug>-<int:pk>/": C(BOARD + "/forum/" + PFORUM + "/", "d d o d d d d o d o"),
    "forum/board/^poll/<int:pk>/vote/": P(BOARD + "/poll/999999/vote/", "d d d d d d d d d d"),
    "forum/board/^attachment/<int:pk>/": C(BOARD + "/attachment/{w.private_attachment.pk}/", "d d o d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/": C(BOARD + "/forum/" + PFORUM + "/topic/" + PTOPIC + "/", "d d o d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/create/": C(BOARD + "/forum/" + PFORUM + "/topic/create/", "d d o d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/update/": C(BOARD + "/forum/" + PFORUM + "/topic/" + PTOPIC + "/update/", "d d d d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/<str:topic_slug>-<int:topic_pk>/post/create/": C(BOARD + "/forum/" + PFORUM + "/topic/" + PTOPIC + "/post/create/", "d d o d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/<str:topic_slug>-<int:topic_pk>/<int:pk>/post/update/": C(BOARD + "/forum/" + PFORUM + "/topic/" + PTOPIC + "/{w.private_post.pk}/post/update/", "d d d d d d d o d o"),
    "forum/board/^forum/<str:forum_slug>-<int:forum_pk>/topic/<str:topic_slug>-<int:topic_pk>/<int:pk>/post/delete/": C(BOARD + "/forum/" + PFORUM + "/topic/" + PTOPIC + "/{w.private_post.pk}/post/delete/", "d d d d d d d o d o"),
    "forum/board/^feeds/topics/": C(BOARD + "/feeds/topics/", "o o o o o o o o o o"),
    "forum/board/^feeds/forum/<str:forum_slug>-<int:forum_pk>/topics/": C(BOARD + "/feeds/forum/" + PFORUM + "/topics/", "d d o d d d d o d o"),
    "forum/board/^feeds/forum/<str:forum_slug>-<int:forum_pk>/topics/all/": C(BOARD + "/feeds/forum/" + PFORUM + "/topics/all/", "d d o d d d d o d o"),
    "forum/board/^member/profile/edit/": C(BOARD + "/member/profile/edit/", "l o o o o o o o o o"),
    "forum/board/^member/profile/<str:pk>/": C(BOARD + "/member/profile/{w.coordinator.pk}/", "o o o o o o o o o o"),
    "forum/board/^member/profile/<str:pk>/posts/": C(BOARD + "/member/profile/{w.coordinator.pk}/posts/", "o o o o o o o o o o"),
    "forum/board/^member/subscriptions/": C(BOARD + "/member/subscriptions/", "l r r r r r r r r r"),
    "forum/board/^member/topic/<int:pk>/subscribe/": C(BOARD + "/member/topic/{w.private_topic.pk}/subscribe/", "l d o d d d d o d o"),
    "forum/board/^member/topic/<int:pk>/unsubscribe/": C(BOARD + "/member/topic/{w.private_topic.pk}/unsubscribe/", "l d o d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/lock/": C(BOARD + "/moderation/topic/" + PTOPIC + "/lock/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/unlock/": C(BOARD + "/moderation/topic/" + PTOPIC + "/unlock/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/delete/": C(BOARD + "/moderation/topic/" + PTOPIC + "/delete/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/move/": C(BOARD + "/moderation/topic/" + PTOPIC + "/move/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/change/topic/": C(BOARD + "/moderation/topic/" + PTOPIC + "/change/topic/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/change/sticky/": C(BOARD + "/moderation/topic/" + PTOPIC + "/change/sticky/", "d d d d d d d o d o"),
    "forum/board/^moderation/topic/<str:slug>-<int:pk>/change/announce/": C(BOARD + "/moderation/topic/" + PTOPIC + "/change/announce/", "d d d d d d d o d o"),
    "forum/board/^moderation/queue/": C(BOARD + "/moderation/queue/", "l d d d d d d o d o"),
    "forum/board/^moderation/queue/<int:pk>/": C(BOARD + "/moderation/queue/{w.private_post.pk}/", "d d d d d d d o d o"),
    "forum/board/^moderation/queue/<int:pk>/approve/": C(BOARD + "/moderation/queue/{w.private_post.pk}/approve/", "d d d d d d d o d o"),
    "forum/board/^moderation/queue/<int:pk>/disapprove/": C(BOARD + "/moderation/queue/{w.private_post.pk}/disapprove/", "d d d d d d d o d o"),
    "forum/board/^tracking/mark/forums/": C(BOARD + "/tracking/mark/forums/", "l o o o o o o o o o"),
    "forum/board/^tracking/mark/forums/<int:pk>/": C(BOARD + "/tracking/mark/forums/{w.private_forum.pk}/", "l d o d d d d o d o"),
    "forum/board/^tracking/mark/forum/<int:pk>/topics/": C(BOARD + "/tracking/mark/forum/{w.private_forum.pk}/topics/", "l d o d d d d o d o"),
    "forum/board/^tracking/unread-topics/": C(BOARD + "/tracking/unread-topics/", "l o o o o o o o o o"),
    # Exchange ------------------------------------------------------------------------------
    "exchange/": C("/exchange/", "o o o o o o o o o o"),
    "exchange/impact/": C("/exchange/impact/", "o o o o o o o o o o"),
    "exchange/impact/mine/": C("/exchange/impact/mine/", "l r r r o o r r r r"),
    "exchange/impact/mine/export.csv": C("/exchange/impact/mine/export.csv", "l d d d o o d d d d"),
    "exchange/join/": C("/exchange/join/", "l o o o o o o o o o"),
    "exchange/mine/": C("/exchange/mine/", "l r r r o o r r r r"),
    "exchange/sites/new/": C("/exchange/sites/new/", "l r r r o o r r r r"),
    "exchange/members/<int:pk>/approve/": P("/exchange/members/{w.exchange_request.pk}/approve/", "l d d d r d d d d d"),
    "exchange/verification/": C("/exchange/verification/", "l d d d d d d d d o"),
    "exchange/listings/new/": C("/exchange/listings/new/", "l r r r o r r r r r"),
    "exchange/listings/<int:pk>/": [
        C("/exchange/listings/{w.draft_listing.pk}/", "d d d d o d d d d d"),
        C("/exchange/listings/{w.listing.pk}/", "o o o o o o o o o o"),
    ],
    "exchange/listings/<int:pk>/edit/": C("/exchange/listings/{w.draft_listing.pk}/edit/", "l d d d o d d d d d"),
    "exchange/listings/<int:pk>/inquire/": P("/exchange/listings/{w.listing.pk}/inquire/", "l d d d r r d d d d", {"body": "Still there?"}),
    "exchange/listings/<int:pk>/<slug:action>/": P("/exchange/listings/{w.draft_listing.pk}/publish/", "l d d d r d d d d d"),
    "exchange/matches/": C("/exchange/matches/", "l r r r o o r r r r"),
    "exchange/matches/alerts/": P("/exchange/matches/alerts/", "l r r r r r r r r r", {"frequency": "weekly"}),
    "exchange/matches/alerts/unsubscribe/<uuid:token>/": C("/exchange/matches/alerts/unsubscribe/00000000-0000-0000-0000-000000000001/", "d d d d d d d d d d"),
    "exchange/inquiries/": C("/exchange/inquiries/", "l o o o o o o o o o"),
    "exchange/inquiries/<int:pk>/": C("/exchange/inquiries/{w.inquiry.pk}/", "l d d d o o d d d d"),
    "exchange/deals/<int:pk>/<slug:action>/": P("/exchange/deals/{w.deal.pk}/confirm/", "l d d d r d d d d d"),
    "exchange/export.csv": C("/exchange/export.csv", "l d d d o o d d d d"),
    "exchange/import/": C("/exchange/import/", "l r r r o o r r r r"),
    "exchange/import/<uuid:pk>/": C("/exchange/import/{w.csv_import.pk}/", "l d d d o d d d d d"),
    "exchange/import/<uuid:pk>/confirm/": P("/exchange/import/{w.csv_import.pk}/confirm/", "l d d d r d d d d d"),
    "exchange/searches/": C("/exchange/searches/", "l o o o o o o o o o"),
    "exchange/searches/<int:pk>/delete/": P("/exchange/searches/{w.saved_search.pk}/delete/", "l d d d r d d d d d"),
    "exchange/searches/unsubscribe/<uuid:token>/": C("/exchange/searches/unsubscribe/00000000-0000-0000-0000-000000000001/", "d d d d d d d d d d"),
}

# The project's own admin views ------------------------------------------------------------
ADMIN = {
    "admin/login/": C("/admin/login/", "l d d d d d r r r r"),
    "admin/newsletter_subscriptions/": C("/admin/newsletter_subscriptions/", "l l l l l l r r r o"),
    "admin/newsletter_subscriptions/results/": C("/admin/newsletter_subscriptions/results/", "l l l l l l r r r o"),
    "admin/outbox/": C("/admin/outbox/", "l l l l l l r r r o"),
    "admin/outbox/retry/": P("/admin/outbox/retry/", "l l l l l l r r r r"),
    "admin/reports/dissemination/": C("/admin/reports/dissemination/", "l l l l l l o o r o"),
    "admin/reports/dissemination/dashboard/": C("/admin/reports/dissemination/dashboard/", "l l l l l l o o r o"),
    "admin/reports/dissemination/social-import/": C("/admin/reports/dissemination/social-import/", "l l l l l l o o r o"),
    "admin/media-log/coverage/": C("/admin/media-log/coverage/", "l l l l l l o o r o"),
    "admin/media-log/coverage/results/": C("/admin/media-log/coverage/results/", "l l l l l l o o r o"),
    "admin/media-log/coverage/edit/<int:pk>/": C("/admin/media-log/coverage/edit/999999/", "l l l l l l d d r d"),
    "admin/media-log/coverage/delete/<int:pk>/": C("/admin/media-log/coverage/delete/999999/", "l l l l l l d d d d"),
    "admin/media-log/social/": C("/admin/media-log/social/", "l l l l l l o o r o"),
    "admin/media-log/social/results/": C("/admin/media-log/social/results/", "l l l l l l o o r o"),
    "admin/media-log/social/edit/<int:pk>/": C("/admin/media-log/social/edit/999999/", "l l l l l l d d r d"),
    "admin/media-log/social/delete/<int:pk>/": C("/admin/media-log/social/delete/999999/", "l l l l l l d d d d"),
    "admin/media-log/targets/": C("/admin/media-log/targets/", "l l l l l l o o r o"),
    "admin/media-log/targets/results/": C("/admin/media-log/targets/results/", "l l l l l l o o r o"),
    "admin/media-log/targets/edit/<int:pk>/": C("/admin/media-log/targets/edit/999999/", "l l l l l l d d r d"),
    "admin/media-log/targets/delete/<int:pk>/": C("/admin/media-log/targets/delete/999999/", "l l l l l l d d d d"),
    "admin/courses/<int:course_id>/certificates/": C("/admin/courses/{w.course.pk}/certificates/", "l l l l l l r o r o"),
    "admin/courses/<int:course_id>/certificates.zip": C("/admin/courses/{w.course.pk}/certificates.zip", "l l l l l l r o r o"),
    "admin/courses/<int:course_id>/certificates/regenerate/": P("/admin/courses/{w.course.pk}/certificates/regenerate/", "l l l l l l r r r r"),
    "admin/courses/certificates/<int:pk>/revoke/": P("/admin/courses/certificates/{w.certificate.pk}/revoke/", "l l l l l l r r r r", {"reason": "Test"}),
    "admin/courses/report/": C("/admin/courses/report/", "l l l l l l o o o o"),
    "admin/courses/report/results/": C("/admin/courses/report/results/", "l l l l l l o o o o"),
    "admin/quizzes/": C("/admin/quizzes/", "l l l l l l o o o o"),
    "admin/quizzes/bank/<int:course_id>/import/": C("/admin/quizzes/bank/{w.course.pk}/import/", "l l l l l l r o r o"),
    "admin/quizzes/bank/<int:course_id>/export/<str:file_format>/": C("/admin/quizzes/bank/{w.course.pk}/export/gift/", "l l l l l l r o r o"),
    "admin/quizzes/report/<int:quiz_id>/": C("/admin/quizzes/report/999999/", "l l l l l l d d d d"),
    "admin/quizzes/grading/": C("/admin/quizzes/grading/", "l l l l l l o o o o"),
    "admin/quizzes/grading/<int:slot_id>/": C("/admin/quizzes/grading/999999/", "l l l l l l d d d d"),
}

# The snippets of the project's models: each (model, kind of view) with a real object. Kinds:
# "index" (list, results), "add" (add, chooser create), "object" (edit, delete, usage,
# history, history-results, copy), "choose" (chooser, its results, chosen-multiple), "chosen"
# (the chooser's answer for one object). Wagtail's choosers are open to everyone in the admin
# (editors link snippets from pages); those of working groups, opportunities, questions and
# SCORM packages offer only what the user may read or author.
SNIPPETS = {
    "cms/topic": ("{w.topic.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o o o"}),
    "directory/organisation": ("{w.org_a.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o o o"}),
    "directory/region": ("{w.region_x.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o o o"}),
    "partners/cooperationprofile": ("{w.profile_a.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o o o"}),
    "partners/expert": ("{w.expert.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o o o"}),
    "partners/opportunity": ("{w.draft_opportunity.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l d o d o"}),
    "quizzes/question": ("{w.question.pk}", {"index": "l l l l l l o r o o", "add": "l l l l l l o r o o", "object": "l l l l l l d r d o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l d o d o"}),
    "quizzes/questioncategory": ("{w.question_category.pk}", {"index": "l l l l l l o r o o", "add": "l l l l l l o r o o", "object": "l l l l l l d r d o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l d o d o"}),
    "scorm/scormpackage": ("{w.scorm_package.pk}", {"index": "l l l l l l r r o o", "add": "l l l l l l r r o o", "object": "l l l l l l r r d o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l o o d o"}),
    "working_groups/workinggroup": ("{w.private_group.pk}", {"index": "l l l l l l r r r o", "add": "l l l l l l r r r o", "object": "l l l l l l r r r o", "choose": "l l l l l l o o o o", "chosen": "l l l l l l d o d o"}),
}
SNIPPET_KINDS = {
    "": "index", "results/": "index", "add/": "add", "edit/<int:pk>/": "object",
    "delete/<int:pk>/": "object", "usage/<int:pk>/": "object", "history/<int:pk>/": "object",
    "history-results/<int:pk>/": "object", "copy/<int:pk>/": "object",
}
CHOOSER_KINDS = {
    "": "choose", "results/": "choose", "chosen-multiple/": "choose", "create/": "add",
    "chosen/<str:pk>/": "chosen",
}

# Wagtail's built-in admin, one representative request per section ---------------------------
ADMIN_SECTIONS = {
    "admin/": C("/admin/", "l l l l l l o o o o"),
    "admin/^.*/": C("/admin/no-such-view/", "l l l l l l d d d d"),
    "admin/account/": C("/admin/account/", "l l l l l l o o o o"),
    "admin/api/": C("/admin/api/main/pages/{w.story_y.pk}/", "l l l l l l o o d o"),
    "admin/block-preview/": C("/admin/block-preview/", "l l l l l l d d d d"),
    "admin/bulk/": C("/admin/bulk/wagtailcore/page/delete/?id={w.story_y.pk}", "l l l l l l o o o o"),
    "admin/choose-anchor-link/": C("/admin/choose-anchor-link/", "l l l l l l o o o o"),
    "admin/choose-email-link/": C("/admin/choose-email-link/", "l l l l l l o o o o"),
    "admin/choose-external-link/": C("/admin/choose-external-link/", "l l l l l l o o o o"),
    "admin/choose-page/": C("/admin/choose-page/search/?q=Draft", "l l l l l l o o o o"),
    "admin/choose-phone-link/": C("/admin/choose-phone-link/", "l l l l l l o o o o"),
    "admin/collections/": C("/admin/collections/", "l l l l l l r r r o"),
    "admin/media-log/": C("/admin/media-log/coverage/new/", "l l l l l l o o r o"),
    "admin/courses/": C("/admin/courses/report/", "l l l l l l o o o o"),
    "admin/dismissibles/": C("/admin/dismissibles/", "l l l l l l o o o o"),
    "admin/documents/": C("/admin/documents/edit/{w.document.pk}/", "l l l l l l o o r o"),
    "admin/editing-sessions/": P("/admin/editing-sessions/release/999999/", "l l l l l l o o o o"),
    "admin/embeds/": C("/admin/embeds/chooser/", "l l l l l l o o o o"),
    "admin/failwhale/": C("/admin/failwhale/", "l l l l l l ! ! ! !"),
    "admin/forms/": C("/admin/forms/", "l l l l l l o o o o"),
    "admin/groups/": C("/admin/groups/", "l l l l l l r r r o"),
    "admin/images/": C("/admin/images/", "l l l l l l o o o o"),
    "admin/jsi18n/": C("/admin/jsi18n/", "o o o o o o o o o o"),
    "admin/locales/": C("/admin/locales/", "l l l l l l r r r o"),
    "admin/localize/": C("/admin/localize/reports/translations/", "l l l l l l o o o o"),
    "admin/login/": C("/admin/login/", "l d d d d d r r r r"),
    "admin/logout/": P("/admin/logout/", "l l l l l l l l l l"),
    "admin/newsletter_subscriptions/": C("/admin/newsletter_subscriptions/", "l l l l l l r r r o"),
    "admin/outbox/": C("/admin/outbox/", "l l l l l l r r r o"),
    "admin/pages/": [
        C("/admin/pages/{w.story_x.pk}/edit/", "l l l l l l o o r o"),
        C("/admin/pages/{w.story_y.pk}/edit/", "l l l l l l r o r o"),
        C("/admin/pages/{w.provider_course.pk}/edit/", "l l l l l l r o o o"),
        C("/admin/pages/{w.course.pk}/edit/", "l l l l l l r o r o"),
    ],
    "admin/password_reset/": C("/admin/password_reset/", "d d d d d d d d d d"),
    "admin/quizzes/": C("/admin/quizzes/", "l l l l l l o o o o"),
    "admin/redirects/": C("/admin/redirects/", "l l l l l l r r r o"),
    "admin/reports/": C("/admin/reports/site-history/", "l l l l l l o o o o"),
    "admin/settings/": C("/admin/settings/themes/sitelook/", "l l l l l l r r r r"),
    "admin/sites/": C("/admin/sites/", "l l l l l l r r r o"),
    "admin/snippets/": C("/admin/snippets/", "l l l l l l r r r o"),
    "admin/sprite/": C("/admin/sprite/", "o o o o o o o o o o"),
    "admin/tag-autocomplete/": C("/admin/tag-autocomplete/?term=a", "l l l l l l o o o o"),
    "admin/test404/": C("/admin/test404/", "l l l l l l o o o o"),
    "admin/users/": C("/admin/users/edit/{w.u.member.pk}/", "l l l l l l r r r o"),
    "admin/workflows/": C("/admin/workflows/list/", "l l l l l l r r r o"),
}

# The Django admin: only superusers with staff status; every registered model's list.
DJANGO_ADMIN = "l l l l l l l l l o"
# fmt: on

OWN_APPS = ("cms", "courses", "forum", "exchange")
# Open to everyone: the admin's icon sprite and its JavaScript translations (static assets), and
# the Django admin's sign-out (a redirect for someone not signed in).
PUBLIC_ADMIN_ROUTES = {"admin/sprite/", "admin/jsi18n/", "django-admin/logout/"}
SNIPPET_ROUTE = re.compile(r"^admin/snippets/(choose/)?(\w+/\w+)/(.*)$")


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def site_routes():
    """Every pattern outside the two admins (those have their own tables)."""
    return sorted(
        {
            route
            for route, _ in walk(get_resolver().url_patterns)
            if not route.startswith(("admin/", "django-admin/"))
        }
    )


def leaked(role, response):
    """The secrets of other roles that a page shows to ``role``."""
    if response.status_code != 200 or response.streaming:
        return []
    body = response.content.decode("utf-8", "replace")
    return [secret for secret, allowed in SECRETS.items() if role not in allowed and secret in body]


def cases(entry):
    return entry if isinstance(entry, list) else [entry]


def _check(requester, table):
    failures, recorded = [], []
    for route, entry in table.items():
        if ONLY not in route:
            continue
        for case in cases(entry):
            expected = case.outcomes()
            seen = {}
            for role in ROLES:
                url, response = requester(role, case)
                got = outcome(response)
                seen[role] = got
                want = expected[role]
                if got == "500" or (want not in ("*", "!") and got != want):
                    if not (want == "!" and got == "500"):
                        where = response.get("Location", "")
                        failures.append(
                            f"{case.method} {url} as {role}: expected {want}, got "
                            f"{got} ({response.status_code} {where})".rstrip()
                        )
                failures += [
                    f"{case.method} {url} as {role}: shows {secret!r}"
                    for secret in ([] if case.token else leaked(role, response))
                ]
            recorded.append(f"{route!r}: {case.url!r} {' '.join(seen[r] for r in ROLES)}")
    if RECORD:
        with open(RECORD, "a") as handle:
            handle.write("\n".join(recorded) + "\n")
    return failures


def test_every_url_pattern_has_an_entry():
    missing = [route for route in site_routes() if route not in MATRIX]
    assert not missing, (
        "URL patterns without an entry in MATRIX (tests/security/test_permission_matrix.py); "
        "add each with the outcome every role must get:\n  " + "\n  ".join(missing)
    )
    stale = [route for route in MATRIX if route not in site_routes()]
    assert not stale, "MATRIX entries for patterns that no longer exist:\n  " + "\n  ".join(stale)


def test_every_role_gets_what_it_may_and_nothing_more(world, django_db_blocker):
    with django_db_blocker.unblock():
        failures = _check(Requester(world), MATRIX)
    assert not failures, f"{len(failures)} answers differ from the matrix:\n" + "\n".join(failures)


def admin_routes():
    return [
        (route, p) for route, p in walk(get_resolver().url_patterns) if route.startswith("admin/")
    ]


def _snippet(route):
    match = SNIPPET_ROUTE.match(route)
    if match and match.group(2) in SNIPPETS:
        kinds = CHOOSER_KINDS if match.group(1) else SNIPPET_KINDS
        return match.group(2), kinds.get(match.group(3))
    return None


def _own_admin(route, pattern):
    module = getattr(pattern.callback, "__module__", "")
    return module.split(".")[0] in OWN_APPS or _snippet(route) is not None


def admin_section(route):
    return re.match(r"admin/(\^\.\*/|[^/]*/?)", route).group(0)


def snippet_cases():
    table = {}
    for route, _ in admin_routes():
        found = _snippet(route)
        if found is None:
            continue
        model, kind = found
        pk, expect = SNIPPETS[model]
        match = SNIPPET_ROUTE.match(route)
        tail = match.group(3).replace("<int:pk>", pk).replace("<str:pk>", pk)
        url = f"/admin/snippets/{match.group(1) or ''}{model}/{tail}"
        table[route] = C(url, expect[kind])
    return table


def project_app_labels():
    return {c.label for c in django_apps.get_app_configs() if c.name.split(".")[0] in OWN_APPS}


def test_every_admin_url_pattern_has_an_entry():
    missing = []
    for route, pattern in admin_routes():
        if _snippet(route):
            if _snippet(route)[1] is None:
                missing.append(f"{route} (a new kind of snippet view: SNIPPET_KINDS)")
        elif _own_admin(route, pattern):
            if route not in ADMIN:
                missing.append(f"{route} (a view of the project's: ADMIN)")
        elif admin_section(route) not in ADMIN_SECTIONS:
            missing.append(f"{route} (a new admin section: ADMIN_SECTIONS)")
    snippet_models = {
        match.group(2)
        for route, _ in admin_routes()
        if (match := SNIPPET_ROUTE.match(route))
        and match.group(2).split("/")[0] in project_app_labels()
    }
    missing += [f"snippets of {model} (SNIPPETS)" for model in snippet_models - set(SNIPPETS)]
    assert not missing, "Admin URL patterns without an entry:\n  " + "\n  ".join(missing)


def test_admin_matrix(world, django_db_blocker):
    with django_db_blocker.unblock():
        requester = Requester(world)
        failures = _check(requester, {**ADMIN, **snippet_cases(), **ADMIN_SECTIONS})
    assert not failures, f"{len(failures)} answers differ from the matrix:\n" + "\n".join(failures)


def test_django_admin_matrix(world, django_db_blocker):
    from django.contrib import admin

    table = {
        f"django-admin/{model._meta.app_label}/{model._meta.model_name}/": C(
            f"/django-admin/{model._meta.app_label}/{model._meta.model_name}/", DJANGO_ADMIN
        )
        for model in admin.site._registry
    }
    table["django-admin/"] = C("/django-admin/", DJANGO_ADMIN)
    with django_db_blocker.unblock():
        failures = _check(Requester(world), table)
    assert not failures, f"{len(failures)} answers differ from the matrix:\n" + "\n".join(failures)


def test_no_admin_url_opens_to_people_without_admin_access(world, django_db_blocker):
    """Every admin pattern (Wagtail's and the Django admin's), with made-up ids, as an
    anonymous visitor and as a trainee: a sign-in page or a refusal, never the view."""
    routes = [
        route
        for route, _ in walk(get_resolver().url_patterns)
        if route.startswith(("admin/", "django-admin/")) and route not in PUBLIC_ADMIN_ROUTES
    ]
    failures = []
    with django_db_blocker.unblock():
        requester = Requester(world)
        for route in routes:
            url = (
                "/admin/pages/1/revisions/compare/live...latest/"
                if "compare" in route
                else _path(route, number=1, text="abc")
            )
            for role in ("anonymous", "trainee"):
                _, response = requester(role, C(url, "l" * len(ROLES)))
                got = outcome(response)
                if got not in ("l", "d"):
                    failures.append(f"GET {url} ({route}) as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)
