"""Events of the partner networks: /events/ (list and iCalendar feed) and the event page with
its on-site registration and B2B meetings (served by cms/events)."""

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.directory.countries import COUNTRIES
from cms.events import views as event_views
from cms.events.filters import EVENT_KINDS, EventFilterSet
from cms.events.ical import ical_response

from .base import (
    INTRO_FEATURES,
    LISTING_PAGE_SIZE,
    CachedViewRestrictionsMixin,
    LanguageSwitchMixin,
    RegionalPageMixin,
    Topic,
)
from .listing import listing_pages

TIME_ZONES = [
    ("Europe/Brussels", "Europe/Brussels (CET)"),
    ("Europe/Warsaw", "Europe/Warsaw (CET)"),
    ("Europe/Rome", "Europe/Rome (CET)"),
    ("Europe/Ljubljana", "Europe/Ljubljana (CET)"),
    ("Europe/Zagreb", "Europe/Zagreb (CET)"),
    ("Europe/Prague", "Europe/Prague (CET)"),
    ("Europe/Berlin", "Europe/Berlin (CET)"),
    ("Europe/Vienna", "Europe/Vienna (CET)"),
    ("Europe/Budapest", "Europe/Budapest (CET)"),
    ("Europe/Lisbon", "Europe/Lisbon (WET)"),
    ("Europe/London", "Europe/London (GMT)"),
    ("Europe/Athens", "Europe/Athens (EET)"),
    ("Europe/Helsinki", "Europe/Helsinki (EET)"),
    ("UTC", "UTC"),
]


class EventIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, RoutablePageMixin, Page):
    """/events/: upcoming and past events of the partner networks, and the iCalendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    @path("")
    def listing(self, request):
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        if when == "past":
            events = listing_pages(EventPage).past()
        else:
            events = listing_pages(EventPage).upcoming()
        filters = EventFilterSet(request.GET or None, queryset=events.select_related("organiser"))
        page = Paginator(filters.qs, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render(
            request, context_overrides={"events": page, "when": when, "filter": filters}
        )

    @path("ical/", name="ical")
    def ical(self, request):
        """The whole calendar, upcoming and the last year's past events, as iCalendar."""
        since = timezone.now() - timezone.timedelta(days=365)
        events = (
            listing_pages(EventPage)
            .filter(end__gte=since)
            .select_related("organiser")
            .order_by("start")
        )
        return ical_response(request, events, filename="textile-virtual-centre-events.ics")

    @property
    def ical_url(self):
        return self.url + self.reverse_subpage("ical")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration")
    EXTERNAL = "external", _("Registration on another site (link)")
    ON_SITE = "on_site", _("Registration on this site")


class EventPageQuerySet(PageQuerySet):
    def upcoming(self):
        """Events not over yet, the soonest first."""
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        """Events that are over, the latest first."""
        return self.filter(end__lt=timezone.now()).order_by("-start")


class EventPage(
    CachedViewRestrictionsMixin, LanguageSwitchMixin, RegionalPageMixin, RoutablePageMixin, Page
):
    """An event. ``start`` and ``end`` are stored in UTC and shown in ``time_zone``.

    With on-site registration, people register at ``register/`` (cms/events): a capacity, a
    waiting list, a deadline and the organiser's questions; ``b2b_meetings`` lets registered
    participants book meetings with each other in the organiser's timetable."""

    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TIME_ZONES, default="Europe/Brussels"
    )
    is_online = models.BooleanField(_("online event"), default=False)
    online_url = models.URLField(_("online meeting or stream link"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    organiser = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organising network or partner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=20, choices=EVENT_KINDS, blank=True)
    networks = ParentalManyToManyField(
        "directory.Organisation",
        verbose_name=_("shared with the networks"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "network"},
        help_text=_("Partner networks whose members are invited (TEX4IM, Textranet, ENTeR)."),
    )
    registration_mode = models.CharField(
        _("registration"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Leave empty for no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, people join a waiting list and move up in turn."),
    )
    b2b_meetings = models.BooleanField(
        _("B2B meetings"),
        default=False,
        help_text=_("Registered participants publish a profile and book meetings."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("time_zone")])],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_online"), FieldPanel("online_url")]),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
            ],
            heading=_("Where"),
        ),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("region"), FieldPanel("kind")]),
        FieldPanel("networks"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_mode"), FieldPanel("registration_url")]),
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("registration_deadline"),
                        FieldPanel("waiting_list"),
                    ]
                ),
                InlinePanel("registration_questions", label=_("Question")),
                FieldPanel("b2b_meetings"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("city"),
        index.FilterField("start"),
        index.FilterField("region"),
        index.RelatedFields("organiser", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(EventPageQuerySet)()

    class Meta:
        verbose_name = _("event")

    @path("ical/", name="ical")
    def ical(self, request):
        return ical_response(request, [self], filename=f"{self.slug}.ics")

    @path("register/", name="register")
    def register(self, request):
        return event_views.register(request, self)

    @path("register/cancel/", name="register_cancel")
    def register_cancel(self, request):
        return event_views.register_cancel(request, self)

    @path("attendees/", name="attendees")
    def attendees(self, request):
        return event_views.attendees(request, self)

    @path("attendees/csv/", name="attendees_csv")
    def attendees_csv(self, request):
        return event_views.attendees_csv(request, self)

    @path("meetings/", name="meetings")
    def meetings(self, request):
        return event_views.meetings(request, self)

    @path("meetings/profile/", name="meeting_profile")
    def meeting_profile(self, request):
        return event_views.meeting_profile(request, self)

    @path("meetings/request/<int:registration_id>/", name="meeting_request")
    def meeting_request(self, request, registration_id):
        return event_views.meeting_request(request, self, registration_id)

    @path("meetings/<int:meeting_id>/<str:answer>/", name="meeting_answer")
    def meeting_answer(self, request, meeting_id, answer):
        if answer not in ("accept", "decline", "cancel"):
            raise Http404
        return event_views.meeting_answer(request, self, meeting_id, answer)

    @path("meetings/agenda/", name="meeting_agenda")
    def meeting_agenda(self, request):
        return event_views.meeting_agenda(request, self)

    @path("meetings/agenda/ics/", name="meeting_agenda_ics")
    def meeting_agenda_ics(self, request):
        return event_views.meeting_agenda_ics(request, self)

    @path("meetings/grid/", name="meeting_grid")
    def meeting_grid(self, request):
        return event_views.meeting_grid(request, self)

    @property
    def registers_on_site(self):
        return self.registration_mode == RegistrationMode.ON_SITE

    @property
    def registers_elsewhere(self):
        return self.registration_mode == RegistrationMode.EXTERNAL and bool(self.registration_url)

    @property
    def registration_closes(self):
        """When on-site registration closes: the deadline, or the start of the event."""
        if self.registration_deadline and self.registration_deadline < self.start:
            return self.registration_deadline
        return self.start

    @property
    def registration_is_open(self):
        return self.registers_on_site and timezone.now() < self.registration_closes

    @property
    def register_url(self):
        return self.url + self.reverse_subpage("register")

    @property
    def ical_url(self):
        return self.url + self.reverse_subpage("ical")

    @property
    def local_start(self):
        return timezone.localtime(self.start, ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return timezone.localtime(self.end, ZoneInfo(self.time_zone))

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def location(self):
        parts = [self.venue, self.city, self.get_country_display() if self.country else ""]
        return ", ".join(part for part in parts if part)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})
        if not self.is_online and not self.city:
            raise ValidationError({"city": _("Give the city of an event that is not online.")})
        if self.is_online and not self.online_url and not self.registration_url:
            raise ValidationError(
                {"online_url": _("Give the link to join, or a registration link.")}
            )
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            raise ValidationError({"registration_url": _("Give the link where people register.")})


class EventQuestion(Orderable):
    """A question the organiser asks everyone who registers on the site."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short answer")
        LONG_TEXT = "long_text", _("Long answer")
        CHOICE = "choice", _("One of the options")
        CHECKBOX = "checkbox", _("Yes or no")

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="registration_questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHORT_TEXT)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For “one of the options”: one option a line.")
    )
    required = models.BooleanField(_("required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("options"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")

    def __str__(self):
        return self.label

    @property
    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(self.option_list) < 2:
            raise ValidationError({"options": _("Give at least two options, one a line.")})
