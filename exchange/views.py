import csv
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms import tablecache
from cms.conversations.selectors import conversation_read_at, unread_annotation
from cms.conversations.services import conversation_mark_read
from cms.directory.models import Organisation, Region
from cms.notifications import views as notification_views
from cms.notifications.links import unsubscribe_token
from cms.notifications.selectors import preference_frequency
from cms.ratelimit import ratelimit_hit, ratelimit_request_hit
from cms.widgets import keep_choices

from . import csv_io, geocoding, selectors, services
from .explanations import describe_specification
from .factors import RECYCLING_AVOIDED_SOURCE, RECYCLING_AVOIDED_T_CO2E_PER_T
from .filters import ListingFilter
from .forms import (
    CertificationFormSet,
    CompositionFormSet,
    CSVImportForm,
    DealForm,
    FibreLimitFormSet,
    InquiryForm,
    ListingForm,
    MatchAlertForm,
    OrganisationForm,
    PhotoForm,
    SavedSearchForm,
    SiteForm,
)
from .models import (
    MATCHES_TOPIC,
    SAVED_SEARCH_TOPIC,
    CsvImport,
    Deal,
    Inquiry,
    Listing,
    ListingKind,
    ListingPhoto,
    ListingState,
    Match,
    MatchAlert,
    Membership,
    SavedSearch,
    Site,
)
from .pagination import CappedPaginator
from .selectors import (
    impact_totals,
    matches_for_organisations,
    organisation_impact,
    saved_searches_of,
)
from .services import imports as import_services

PAGE_SIZE = 20
MAP_MARKERS = 2000
# A listing id no listing has, replaced by each marker's own in its reversed address.
MAP_URL_SENTINEL = 987654321987654321


def _organisations(request):
    """The organisations the member acts for on the exchange, with their regions: kept until a
    membership, an organisation or a region is written (cms/tablecache.py; every exchange page
    of a member asks)."""
    if not request.user.is_authenticated:
        return []
    user = request.user
    return tablecache.for_user(
        user,
        "exchange:organisations",
        tables=tablecache.tables_of(Membership, Organisation, Region),
        compute=lambda: list(services.member_organisations(user).select_related("region")),
    )


def _organisations_key(organisations):
    """What the kept lists of the exchange vary on besides the address: the organisations the
    member acts for (their drafts, sites and matches are in them)."""
    return ",".join(str(pk) for pk in sorted(o.pk for o in organisations))


def _current_organisation(request):
    organisations = _organisations(request)
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    for organisation in organisations:
        if wanted and organisation.slug == wanted:
            return organisation
    return organisations[0] if organisations else None


def _require_organisation(request):
    organisation = _current_organisation(request)
    if organisation is None:
        messages.info(request, _("Join or register your organisation to trade on the exchange."))
    return organisation


def browse(request):
    """Listings, filtered; the visitor's organisations add their own listings, their sites as
    places to measure from and their matches first. The filters and the list are the same for
    every visitor asking the same address for the same organisations, so the template keeps
    them as fragments (cms/fragments.py) and they are worked out only when not kept yet: the
    ``form``, ``filter_problems`` and ``listings`` of the context are read when first used."""
    organisations = _organisations(request)

    @functools.cache
    def filters():
        sites = Site.objects.filter(organisation__in=organisations) if organisations else []
        listing_filter = ListingFilter(
            request.GET,
            user=request.user,
            organisation_ids=[o.pk for o in organisations],
            sites=sites,
        )
        # The regions offered, kept (where the form is shown; a saved search's run needs none).
        keep_choices(
            listing_filter.form.fields["region"], "regions", tables=tablecache.tables_of(Region)
        )
        return listing_filter

    map_view = request.GET.get("view") == "map"
    context = {
        "form": SimpleLazyObject(lambda: filters().form),
        "filter_problems": SimpleLazyObject(lambda: filters().problems),
        "organisations_key": _organisations_key(organisations),
        "map_view": map_view,
        "impact": impact_totals(),
        "organisations": organisations,
        "tile_url": settings.EXCHANGE_MAP_TILE_URL,
        "attribution": settings.EXCHANGE_MAP_ATTRIBUTION,
        "querystring": request.GET.urlencode(),
        "saved_search_form": SavedSearchForm(initial={"query": request.GET.urlencode()}),
    }
    if map_view:
        # One marker per listing (clustered on the page), at most MAP_MARKERS of them.
        rows = filters().ordered(
            filters()
            .qs.filter(latitude__isnull=False)
            .values(
                "pk", "title", "kind", "latitude", "longitude", "site__city", "organisation__name"
            )
        )[: MAP_MARKERS + 1]
        # Up to 2,000 markers: each label translated once, each address from one reversed
        # address (reversing and translating per marker took most of the page's time).
        kinds = {kind: str(label) for kind, label in ListingKind.choices}
        url = reverse("exchange:listing_detail", kwargs={"pk": MAP_URL_SENTINEL})
        context["markers"] = markers = [
            {
                "title": row["title"],
                "kind": row["kind"],
                "kind_label": kinds.get(row["kind"], ""),
                "place": row["site__city"] or "",
                "organisation": row["organisation__name"],
                "lat": row["latitude"],
                "lon": row["longitude"],
                "url": url.replace(str(MAP_URL_SENTINEL), str(row["pk"])),
            }
            for row in rows[:MAP_MARKERS]
        ]
        # The list alternative to the map, written here rather than by a template loop over
        # 2,000 markers.
        context["marker_list"] = format_html_join(
            "\n",
            '<li><a href="{}">{}</a> · {}{} · {}</li>',
            (
                (
                    marker["url"],
                    marker["title"],
                    marker["kind_label"],
                    format_html(" · {}", marker["place"]) if marker["place"] else "",
                    marker["organisation"],
                )
                for marker in markers
            ),
        )
        context["marker_count"] = len(markers)
        context["markers_capped"] = len(rows) > MAP_MARKERS
    else:
        context["listings"] = SimpleLazyObject(
            lambda: CappedPaginator(
                filters().ordered(filters().qs.prefetch_related("composition")), PAGE_SIZE
            ).get_page(request.GET.get("page"))
        )
    return render(request, "exchange/browse.html", context)


def listing_detail(request, pk):
    listing = selectors.listing_for_page(pk)
    organisations = _organisations(request)
    own_ids = {o.pk for o in organisations}
    if listing is None or not listing.is_visible_to(own_ids):
        raise Http404
    is_own = listing.organisation_id in own_ids
    # What only the page's kept part shows (listing_detail.html) is read when it is made.
    context = {
        "listing": listing,
        "is_own": is_own,
        "organisations": organisations,
        "specification": SimpleLazyObject(lambda: describe_specification(listing)),
    }
    if is_own:
        context["quality_missing"] = SimpleLazyObject(lambda: services.listing_quality(listing)[1])
        field = "offer" if listing.is_offer else "wanted"
        other = "wanted" if listing.is_offer else "offer"
        context["matches"] = (
            Match.objects.filter(**{field: listing})
            .select_related(other, f"{other}__organisation")
            .order_by("-score")[:10]
        )
        context["match_side"] = other
        context["inquiries"] = listing.inquiries.select_related("organisation")
    elif organisations and listing.state in (ListingState.ACTIVE, ListingState.RESERVED):
        context["inquiry_form"] = InquiryForm()
        context["existing_inquiry"] = SimpleLazyObject(
            lambda: Inquiry.objects.filter(listing=listing, organisation__in=own_ids).first()
        )
    return render(request, "exchange/listing_detail.html", context)


def _listing_for_edit(request, pk):
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not services.listing_can_edit(request.user, listing):
        raise PermissionDenied
    return listing


@login_required
def listing_edit(request, pk=None):
    if pk is None:
        organisation = _require_organisation(request)
        if organisation is None:
            return redirect("exchange:join")
        listing = Listing(organisation=organisation, created_by=request.user)
        initial = {"kind": request.GET.get("kind", "offer")}
    else:
        listing = _listing_for_edit(request, pk)
        organisation = listing.organisation
        initial = {}
    if not Site.objects.filter(organisation=organisation).exists():
        messages.info(request, _("Add a site first: every listing has a location."))
        return redirect("exchange:site_create")
    data = request.POST if request.method == "POST" else None
    form = ListingForm(data, instance=listing, organisation=organisation, initial=initial)
    kind = (data or {}).get("kind") or listing.kind or initial.get("kind")
    composition = CompositionFormSet(
        data, instance=listing, prefix="composition", required=kind != ListingKind.WANTED
    )
    fibre_limits = FibreLimitFormSet(
        data,
        instance=listing,
        prefix="limits",
        any_fibre=bool((data or {}).get("any_fibre")) if data else listing.any_fibre,
    )
    certifications = CertificationFormSet(data, instance=listing, prefix="certifications")
    photo_form = PhotoForm(data, request.FILES or None, prefix="photo")
    photo_given = bool(request.FILES.get("photo-image"))
    if request.method == "POST":
        formsets = [composition, certifications]
        if kind == ListingKind.WANTED:
            formsets.append(fibre_limits)
        valid = all([form.is_valid(), *[formset.is_valid() for formset in formsets]])
        if photo_given:
            valid = photo_form.is_valid() and valid
        if valid:
            with transaction.atomic():
                listing = services.listing_save(
                    listing=form.save(commit=False), user=request.user, fields=form.Meta.fields
                )
                composition.instance = listing
                composition.save()
                if listing.kind == ListingKind.WANTED:
                    fibre_limits.instance = listing
                    fibre_limits.save()
                services.listing_specification_save(
                    listing=listing,
                    user=request.user,
                    codes=form.cleaned_data["accepted_waste_codes"],
                )
                certifications.instance = listing
                certifications.save()
                if photo_given:
                    photo = photo_form.save(commit=False)
                    photo.listing = listing
                    photo.save()
                services.listing_refresh(listing=listing)
            messages.success(request, _("Listing saved."))
            return redirect(listing)
    return render(
        request,
        "exchange/listing_form.html",
        {
            "form": form,
            "composition": composition,
            "fibre_limits": fibre_limits,
            "certifications": certifications,
            "photo_form": photo_form,
            "listing": listing,
            "organisation": organisation,
        },
    )


@login_required
@require_POST
def listing_action(request, pk, action):
    listing = _listing_for_edit(request, pk)
    try:
        if action == "publish":
            services.listing_publish(listing=listing, user=request.user)
            messages.success(request, _("Listing published."))
        elif action == "renew":
            services.listing_renew(listing=listing, user=request.user)
            messages.success(request, _("Listing renewed."))
        elif action in ("reserve", "close", "reopen"):
            state = {
                "reserve": ListingState.RESERVED,
                "close": ListingState.CLOSED,
                "reopen": ListingState.ACTIVE,
            }[action]
            services.listing_set_state(listing=listing, user=request.user, state=state)
            messages.success(request, _("Listing updated."))
        elif action == "delete-photo":
            photo = request.POST.get("photo", "")
            if not (photo.isascii() and photo.isdigit()):
                raise Http404
            ListingPhoto.objects.filter(listing=listing, pk=int(photo)).delete()
            services.listing_refresh(listing=listing)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(listing)


@login_required
def my_listings(request):
    organisation = _require_organisation(request)
    if organisation is None:
        return redirect("exchange:join")
    listings = (
        Listing.objects.filter(organisation=organisation)
        .select_related("site")
        .order_by("state", "-updated_at")
    )
    pending = (
        Membership.objects.filter(
            organisation=organisation, approved_at__isnull=True
        ).select_related("user")
        if services.is_owner(request.user, organisation.pk)
        else []
    )
    return render(
        request,
        "exchange/my_listings.html",
        {
            "organisation": organisation,
            "organisations": _organisations(request),
            "listings": listings,
            "pending": pending,
            "sites": Site.objects.filter(organisation=organisation),
        },
    )


@login_required
def join(request):
    """Register a new organisation (you become its owner) or ask to join an existing one."""
    org_form = OrganisationForm(request.POST or None, prefix="org")
    site_form = SiteForm(request.POST or None, prefix="site")
    if request.method == "POST" and request.POST.get("action") == "join":
        slug = request.POST.get("organisation", "")
        valid = slug and "\x00" not in slug
        organisation = Organisation.objects.filter(slug=slug).first() if valid else None
        if organisation is None:
            messages.error(request, _("Choose the organisation you want to join."))
            return redirect("exchange:join")
        services.membership_request(user=request.user, organisation=organisation)
        messages.success(
            request,
            _("Request sent: an owner of %(name)s will approve it.") % {"name": organisation.name},
        )
        return redirect("exchange:browse")
    if request.method == "POST":
        ready = False
        if site_form.is_valid():
            site_form, ready = _site_located(request, site_form)
        if org_form.is_valid() and ready:
            organisation = services.organisation_create(
                user=request.user, data=org_form.cleaned_data, site_data=site_form.cleaned_data
            )
            messages.success(
                request,
                _(
                    "%(name)s is registered. You can prepare drafts now; staff will verify the organisation before you publish."
                )
                % {"name": organisation.name},
            )
            return redirect("exchange:my_listings")
    joinable = Organisation.objects.exclude(exchange_memberships__user=request.user).only(
        "name", "slug"
    )
    return render(
        request,
        "exchange/join.html",
        {
            "org_form": org_form,
            "site_form": site_form,
            "joinable": joinable,
            **_site_map_context(),
        },
    )


def _site_located(request, form):
    """Ask the geocoder for a valid site form without a position, or when the member pressed
    "Find on the map". Returns (form, ready): a form carrying the place found, to check on
    the map before saving, or with a message saying to type the position; ``ready`` when the
    form already had a position to save."""
    if form.has_position and "locate" not in request.POST:
        return form, True
    data = form.cleaned_data
    if ratelimit_hit(scope="exchange.geocode", key=request.user.pk):
        form.add_error("latitude", _("Too many address searches: type the latitude and longitude."))
        return form, False
    try:
        places = geocoding.geocode(
            address=data.get("address", ""),
            postcode=data.get("postcode", ""),
            city=data.get("city", ""),
            country=data.get("country", ""),
            language=request.LANGUAGE_CODE,
        )
    except geocoding.GeocoderUnavailable:
        form.add_error(
            "latitude",
            _("Addresses cannot be looked up now: type the latitude and longitude of the site."),
        )
        return form, False
    if not places:
        form.add_error(
            "address",
            _("No place was found for this address: check it, or type the latitude and longitude."),
        )
        return form, False
    place = places[0]
    fresh = request.POST.copy()
    fresh[form.add_prefix("latitude")] = f"{place.latitude:.6f}"
    fresh[form.add_prefix("longitude")] = f"{place.longitude:.6f}"
    located = SiteForm(fresh, prefix=form.prefix)
    located.is_valid()
    located.found = place.label
    return located, False


@login_required
def site_create(request):
    organisation = _require_organisation(request)
    if organisation is None:
        return redirect("exchange:join")
    form = SiteForm(request.POST or None, initial={"country": organisation.country})
    if request.method == "POST" and form.is_valid():
        form, ready = _site_located(request, form)
        if ready:
            site = form.save(commit=False)
            site.organisation = organisation
            site.save()
            messages.success(request, _("Site added."))
            return redirect("exchange:my_listings")
    return render(
        request,
        "exchange/site_form.html",
        {"form": form, "organisation": organisation, **_site_map_context()},
    )


def _site_map_context():
    return {
        "tile_url": settings.EXCHANGE_MAP_TILE_URL,
        "attribution": settings.EXCHANGE_MAP_ATTRIBUTION,
        "geocoder": bool(settings.EXCHANGE_GEOCODER_URL),
    }


@login_required
@require_POST
def membership_approve(request, pk):
    membership = get_object_or_404(Membership, pk=pk)
    services.membership_approve(membership=membership, by=request.user)
    messages.success(request, _("Member approved."))
    return redirect("exchange:my_listings")


@login_required
def verification_queue(request):
    if not request.user.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
        services.organisation_verify(organisation=organisation, by=request.user)
        messages.success(request, _("%(name)s is verified.") % {"name": organisation.name})
        return redirect("exchange:verification_queue")
    organisations = (
        Organisation.objects.filter(verified_at__isnull=True, exchange_memberships__isnull=False)
        .distinct()
        .select_related("region")
    )
    return render(request, "exchange/verification_queue.html", {"organisations": organisations})


@login_required
def matches(request):
    organisations = _organisations(request)
    if not organisations:
        return redirect("exchange:join")
    own_ids = [o.pk for o in organisations]
    # The list is the same for every member of the same organisations: kept as a fragment by
    # the template (cms/fragments.py), and the matches read only when it is not kept yet.
    page = SimpleLazyObject(
        lambda: Paginator(matches_for_organisations(own_ids), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    )

    def alert_form():
        # Read when the template shows it: the member's settings are kept for them (matches.html)
        alert = MatchAlert.objects.filter(user=request.user).first()
        return MatchAlertForm(
            initial={
                "frequency": preference_frequency(topic=MATCHES_TOPIC, user=request.user),
                "min_percent": alert.min_percent if alert else 70,
            }
        )

    return render(
        request,
        "exchange/matches.html",
        {
            "matches": page,
            "own_ids": set(own_ids),
            "organisations_key": _organisations_key(organisations),
            "organisations": organisations,
            "alert_form": SimpleLazyObject(alert_form),
        },
    )


@login_required
@require_POST
def match_alert_settings(request):
    """How often the member hears of new matches for their organisations' listings."""
    form = MatchAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how often to be told of new matches."))
        return redirect("exchange:matches")
    services.match_alerts_set(
        user=request.user,
        frequency=form.cleaned_data["frequency"],
        min_percent=form.cleaned_data["min_percent"],
    )
    messages.success(request, _("Your match alerts are saved."))
    return redirect("exchange:matches")


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a CSRF token
def legacy_match_alert_unsubscribe(request, token):
    """Links in match alerts sent before cms.notifications: the site's one-click page."""
    alert = MatchAlert.objects.select_related("user").filter(token=token).first()
    if alert is None:
        return notification_views.invalid_link(request)
    return notification_views.unsubscribe(
        request, unsubscribe_token(topic=MATCHES_TOPIC, user=alert.user)
    )


# Inquiries -------------------------------------------------------------------------------------


@login_required
@require_POST
def inquiry_start(request, pk):
    listing = get_object_or_404(Listing.objects.visible_to(request.user), pk=pk)
    organisation = _current_organisation(request)
    if organisation is None:
        raise PermissionDenied
    if ratelimit_request_hit(request, scope="exchange.inquiry"):
        messages.error(
            request, _("You have sent many inquiries in a short time. Please wait a while.")
        )
        return redirect(listing)
    form = InquiryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message to send."))
        return redirect(listing)
    try:
        inquiry = services.inquiry_start(
            listing=listing,
            user=request.user,
            organisation=organisation,
            body=form.cleaned_data["body"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(listing)
    messages.success(request, _("Inquiry sent."))
    return redirect(inquiry)


@login_required
def inquiry_list(request):
    inquiries = (
        Inquiry.objects.visible_to(request.user)
        .select_related("listing", "listing__organisation", "organisation")
        .annotate(unread=unread_annotation(request.user))
        .order_by("-updated_at")
    )
    page = Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exchange/inquiry_list.html", {"inquiries": page})


@login_required
def inquiry_detail(request, pk):
    inquiry = get_object_or_404(
        Inquiry.objects.visible_to(request.user).select_related(
            "listing", "listing__organisation", "organisation", "conversation"
        ),
        pk=pk,
    )
    acting = services.acting_organisation(inquiry=inquiry, user=request.user)
    form = InquiryForm(request.POST or None)
    deal_form = DealForm(request.POST or None, prefix="deal")
    if request.method == "POST":
        if "deal-quantity" in request.POST:
            if deal_form.is_valid():
                try:
                    services.deal_propose(
                        inquiry=inquiry,
                        user=request.user,
                        quantity=deal_form.cleaned_data["quantity"],
                        date=deal_form.cleaned_data["date"],
                    )
                    messages.success(
                        request, _("Deal proposed: it counts once the other side confirms it.")
                    )
                    return redirect(inquiry)
                except ValidationError as error:
                    deal_form.add_error("quantity", error)
            form = InquiryForm()
        else:
            deal_form = DealForm(prefix="deal")
            if form.is_valid():
                try:
                    services.inquiry_reply(
                        inquiry=inquiry, user=request.user, body=form.cleaned_data["body"]
                    )
                except ValidationError as error:
                    form.add_error("body", error)
                else:
                    messages.success(request, _("Message sent."))
                    return redirect(inquiry)
    conversation = inquiry.conversation
    if request.method == "GET":
        read_before = conversation_mark_read(
            conversation=conversation, user=request.user, at=conversation.last_message_at
        )
    else:
        read_before = conversation_read_at(conversation=conversation, user=request.user)
    thread = conversation.messages.select_related("author", "author_organisation")
    deals = inquiry.deals.select_related("proposed_by_organisation").order_by("-created_at")
    acting_verified = (
        inquiry.organisation if acting == inquiry.organisation_id else inquiry.listing.organisation
    ).is_verified
    return render(
        request,
        "exchange/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "thread": thread,
            "read_before": read_before,
            "form": form,
            "deal_form": deal_form,
            "deals": deals,
            "acting_id": acting,
            "acting_verified": acting_verified,
        },
    )


@login_required
@require_POST
def deal_action(request, pk, action):
    """Confirm, decline or withdraw a proposed deal (each checked in its service)."""
    deal = get_object_or_404(
        Deal.objects.filter(inquiry__in=Inquiry.objects.visible_to(request.user)).select_related(
            "inquiry__listing__organisation", "inquiry__organisation"
        ),
        pk=pk,
    )
    actions = {
        "confirm": (services.deal_confirm, _("Deal confirmed.")),
        "decline": (services.deal_decline, _("Deal declined.")),
        "withdraw": (services.deal_withdraw, _("Deal withdrawn.")),
    }
    if action not in actions:
        raise Http404
    service, done = actions[action]
    try:
        service(deal=deal, user=request.user)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(deal.inquiry)


# CSV ------------------------------------------------------------------------------------------


@login_required
def csv_export(request):
    organisation = _require_organisation(request)
    if organisation is None:
        raise PermissionDenied
    listings = (
        Listing.objects.filter(organisation=organisation)
        .select_related("organisation", "site")
        .prefetch_related("composition", "certifications")
    )
    response = HttpResponse(
        csv_io.listings_to_csv(listings), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-listings.csv"'
    return response


@login_required
def csv_import(request):
    """Upload a file: it is stored and checked in the background, then its own page shows the
    progress, the preview and the button that imports exactly that upload."""
    organisation = _require_organisation(request)
    if organisation is None:
        return redirect("exchange:join")
    form = CSVImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = import_services.csv_import_start(
            organisation=organisation,
            user=request.user,
            filename=request.FILES["file"].name,
            text=form.cleaned_data["file"],
            language=request.LANGUAGE_CODE,
        )
        return redirect(upload)
    recent = CsvImport.objects.filter(organisation=organisation).defer(
        "text", "problems", "preview"
    )[:5]
    context = {
        "organisation": organisation,
        "columns": csv_io.COLUMNS,
        "form": form,
        "imports": recent,
    }
    return render(request, "exchange/csv_import.html", context)


def _csv_import_for(request, pk):
    """An import of one of the user's organisations, else 404 (no hint that it exists)."""
    upload = CsvImport.objects.filter(pk=pk).select_related("organisation").defer("text").first()
    if upload is None or not services.is_member(request.user, upload.organisation_id):
        raise Http404
    return upload


@login_required
def csv_import_detail(request, pk):
    upload = _csv_import_for(request, pk)
    if request.GET.get("poll"):
        return JsonResponse(
            {
                "state": upload.state,
                "state_label": upload.get_state_display(),
                "running": upload.is_running,
                "percent": upload.percent,
                "checked": upload.rows_checked,
                "total": upload.rows_total,
            }
        )
    problems = upload.problems[: import_services.MAX_PROBLEMS_SHOWN]
    context = {
        "upload": upload,
        "organisation": upload.organisation,
        "problems": problems,
        "problems_hidden": len(upload.problems) - len(problems),
        "rows_with_problems": len(upload.problems),
    }
    return render(request, "exchange/csv_import_detail.html", context)


@login_required
@require_POST
def csv_import_confirm(request, pk):
    upload = _csv_import_for(request, pk)
    try:
        import_services.csv_import_confirm(csv_import_id=upload.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(upload)


# Saved searches --------------------------------------------------------------------------------


@login_required
def saved_searches(request):
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            services.saved_search_create(
                user=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                frequency=form.cleaned_data["frequency"],
            )
            messages.success(request, _("Search saved."))
            return redirect("exchange:saved_searches")
        messages.error(
            request,
            _("The search was not saved: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        )
    searches = saved_searches_of(user=request.user)
    return render(request, "exchange/saved_searches.html", {"searches": searches})


@login_required
@require_POST
def saved_search_delete(request, pk):
    services.saved_search_delete(
        saved_search=get_object_or_404(SavedSearch, pk=pk, user=request.user)
    )
    messages.success(request, _("Saved search deleted."))
    return redirect("exchange:saved_searches")


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a CSRF token
def legacy_saved_search_unsubscribe(request, token):
    """Links in search alerts sent before cms.notifications: the site's one-click page."""
    saved = SavedSearch.objects.select_related("user").filter(token=token).first()
    if saved is None:
        return notification_views.invalid_link(request)
    return notification_views.unsubscribe(
        request, unsubscribe_token(topic=SAVED_SEARCH_TOPIC, user=saved.user, target=saved)
    )


def impact(request):
    return render(
        request,
        "exchange/impact.html",
        {
            "impact": impact_totals(),
            "factor": RECYCLING_AVOIDED_T_CO2E_PER_T,
            "factor_source": RECYCLING_AVOIDED_SOURCE,
        },
    )


@login_required
def impact_report(request):
    """The current organisation's own impact: its confirmed deals, supplied and received."""
    organisation = _require_organisation(request)
    if organisation is None:
        return redirect("exchange:join")
    return render(
        request,
        "exchange/impact_report.html",
        {
            "organisation": organisation,
            "organisations": _organisations(request),
            "report": organisation_impact(organisation),
            "factor": RECYCLING_AVOIDED_T_CO2E_PER_T,
            "factor_source": RECYCLING_AVOIDED_SOURCE,
        },
    )


@login_required
def impact_export(request):
    organisation = _require_organisation(request)
    if organisation is None:
        raise PermissionDenied
    report = organisation_impact(organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-impact.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "date",
            "listing",
            "role",
            "counterparty",
            "quantity",
            "unit",
            "tonnes",
            "t_co2e_avoided",
            "fibre_family",
        ]
    )
    for row in report["rows"]:
        writer.writerow(
            [
                row["date"].isoformat(),
                row["listing"].title,
                row["role"],
                row["counterparty"].name,
                row["quantity"],
                row["listing"].unit,
                "" if row["tonnes"] is None else row["tonnes"],
                "" if row["co2e"] is None else row["co2e"],
                row["deal"].fibre_family,
            ]
        )
    writer.writerow([])
    writer.writerow(
        ["factor_t_co2e_per_t", RECYCLING_AVOIDED_T_CO2E_PER_T, str(RECYCLING_AVOIDED_SOURCE)]
    )
    return response
