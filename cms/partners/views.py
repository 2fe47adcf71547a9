"""/partners/: partner search, opportunities and their review, profiles, experts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import fragments
from cms.conversations.selectors import conversation_read_at, unread_annotation
from cms.conversations.services import conversation_mark_read
from cms.directory.membership import acting_organisation_ids
from cms.directory.models import Organisation
from cms.models import FundingCallPage, TechnologyPage
from cms.notifications.selectors import preference_frequency
from cms.notifications.services import preference_set
from cms.ratelimit import ratelimit_request_hit

from . import services
from .filters import ExpertFilterSet, OpportunityFilterSet, OrganisationFilterSet
from .forms import (
    ContactForm,
    DigestForm,
    ExpertForm,
    InterestForm,
    InterestStateForm,
    OpportunityForm,
    ProfileForm,
    ReplyForm,
    ReturnForm,
    StatusForm,
)
from .models import (
    CooperationProfile,
    Expert,
    Interest,
    InterestState,
    Opportunity,
    OpportunityKind,
    ReviewState,
)
from .selectors import opportunity_recommendations, organisations_like, technology_matches
from .topics import RECOMMENDATIONS_TOPIC

PAGE_SIZE = 20
RESULT_KINDS = ("organisations", "opportunities", "experts")


def _form_errors(form, error):
    for message in error.messages if hasattr(error, "messages") else [str(error)]:
        form.add_error(None, message)


def _acting_organisations(request):
    ids = acting_organisation_ids(request.user)
    return (
        Organisation.objects.filter(pk__in=ids).order_by("name")
        if ids
        else Organisation.objects.none()
    )


# Search --------------------------------------------------------------------------------------------


def partner_search(request):
    """Organisations, opportunities and experts, filtered by the same facets; one kind of
    result listed at a time, the others counted. The filters and results are the same for
    every visitor asking the same address, so they are kept as a fragment (cms/fragments.py)
    until the next write; only the actions above them are the visitor's own."""
    show = request.GET.get("show")
    show = show if show in RESULT_KINDS else "organisations"
    limited = bool(request.GET.get("q")) and ratelimit_request_hit(request, scope="search")

    def filters_and_results():
        return render_to_string(
            "partners/includes/search_results.html",
            _search_results(request, show=show, limited=limited),
            request=request,
        )

    results = (
        filters_and_results()
        if limited
        else fragments.cached(
            "partners-search", request.GET.urlencode(), compute=filters_and_results
        )
    )
    return render(
        request,
        "partners/search.html",
        {
            "filters_and_results": mark_safe(results),  # noqa: S308 (our own template's output)
            "acting_organisations": _acting_organisations(request),
        },
        status=429 if limited else 200,
    )


def _search_results(request, *, show, limited):
    like = None
    if request.GET.get("like"):
        like = Organisation.objects.filter(slug=request.GET["like"][:200]).first()
        show = "organisations"
    organisation_filter = OrganisationFilterSet(
        request.GET or None,
        queryset=Organisation.objects.select_related("region", "cooperation_profile").order_by(
            "name"
        ),
    )
    opportunity_filter = OpportunityFilterSet(
        request.GET or None,
        queryset=Opportunity.objects.live().select_related("organisation__region", "funding_call"),
    )
    expert_filter = ExpertFilterSet(
        request.GET or None,
        queryset=Expert.objects.public().select_related("user", "organisation"),
    )
    filters = {
        "organisations": organisation_filter,
        "opportunities": opportunity_filter,
        "experts": expert_filter,
    }
    form = filters[show].form
    if limited or (request.GET and not form.is_valid()):
        results = filters[show].queryset.none()
        counts = dict.fromkeys(RESULT_KINDS, 0)
    else:
        organisations = organisation_filter.qs
        if like is not None:
            organisations = organisations_like(organisations, like)
        querysets = {
            "organisations": organisations,
            "opportunities": opportunity_filter.qs,
            "experts": expert_filter.qs,
        }
        results = querysets[show]
        counts = {kind: qs.count() for kind, qs in querysets.items() if kind != show}
        filters[show].label_facets(filters[show].facet_counts(results))
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    counts[show] = page.paginator.count
    return {
        "form": form,
        "show": show,
        "page": page,
        "counts": counts,
        "like": like,
        "limited": limited,
    }


# Opportunities ------------------------------------------------------------------------------------


def opportunity_detail(request, pk):
    own_ids = acting_organisation_ids(request.user)
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user, own_ids).select_related(
            "organisation__region", "organisation__cooperation_profile", "funding_call"
        ),
        pk=pk,
    )
    is_own = opportunity.organisation_id in own_ids
    interests = None
    if is_own:
        interests = opportunity.interests.select_related("organisation__region")
    elif own_ids:
        interests = opportunity.interests.filter(organisation_id__in=own_ids)
    matches = None
    if opportunity.kind == OpportunityKind.TECHNOLOGY_REQUEST and (opportunity.is_live or is_own):
        matches = technology_matches(opportunity)
    return render(
        request,
        "partners/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "technology_matches": matches,
            "is_own": is_own,
            "interests": interests,
            "status_form": StatusForm(initial={"status": opportunity.status}) if is_own else None,
        },
    )


@login_required
def opportunity_edit(request, pk=None):
    organisations = _acting_organisations(request)
    if not organisations:
        raise PermissionDenied
    opportunity = None
    if pk is not None:
        opportunity = get_object_or_404(Opportunity, pk=pk, organisation__in=organisations)
        if not opportunity.is_editable:
            messages.error(
                request, _("This opportunity is under review or published: it cannot be changed.")
            )
            return redirect(opportunity)
        organisation = opportunity.organisation
    else:
        chosen = request.POST.get("organisation") or request.GET.get("organisation")
        organisation = next((o for o in organisations if str(o.pk) == chosen), organisations[0])
    funding_calls = FundingCallPage.objects.live().order_by("-deadline")
    initial = {}
    if opportunity is None and request.GET.get("funding_call", "").isdigit():
        initial = {"kind": "partner_search", "funding_call": request.GET["funding_call"]}
    form = OpportunityForm(
        request.POST or None, instance=opportunity, funding_calls=funding_calls, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            opportunity = services.opportunity_save(
                user=request.user, organisation=organisation, data=data, opportunity=opportunity
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if "submit" in request.POST:
                services.opportunity_submit(opportunity=opportunity, user=request.user)
                messages.success(
                    request, _("Sent for review. You will get an e-mail once it is published.")
                )
            else:
                messages.success(request, _("Draft saved."))
            return redirect(opportunity)
    return render(
        request,
        "partners/opportunity_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "organisation": organisation,
            "organisations": organisations,
        },
    )


@login_required
@require_POST
def opportunity_action(request, pk, action):
    own_ids = acting_organisation_ids(request.user)
    opportunity = get_object_or_404(Opportunity, pk=pk, organisation_id__in=own_ids)
    try:
        if action == "submit":
            services.opportunity_submit(opportunity=opportunity, user=request.user)
            messages.success(
                request, _("Sent for review. You will get an e-mail once it is published.")
            )
        elif action == "status":
            form = StatusForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a valid status."))
            services.opportunity_set_status(
                opportunity=opportunity, user=request.user, status=form.cleaned_data["status"]
            )
            messages.success(request, _("Status changed."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(opportunity)


@login_required
def my_opportunities(request):
    organisations = _acting_organisations(request)
    opportunities = (
        Opportunity.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("-created_at")
    )
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/my_opportunities.html",
        {"organisations": organisations, "opportunities": page},
    )


@login_required
def review_queue(request):
    if not request.user.has_perm(services.REVIEW_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        opportunity = get_object_or_404(
            Opportunity, pk=request.POST.get("opportunity", "0").strip() or 0
        )
        try:
            if request.POST.get("decision") == "approve":
                services.opportunity_approve(opportunity=opportunity, user=request.user)
                messages.success(
                    request, _("“%(title)s” is published.") % {"title": opportunity.title}
                )
            else:
                form = ReturnForm(request.POST)
                note = form.cleaned_data["note"] if form.is_valid() else ""
                services.opportunity_return(opportunity=opportunity, user=request.user, note=note)
                messages.success(
                    request,
                    _("“%(title)s” is returned for changes.") % {"title": opportunity.title},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("partners:review_queue")
    waiting = (
        Opportunity.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("organisation__region", "funding_call")
        .order_by("updated_at")
    )
    return render(
        request,
        "partners/review_queue.html",
        {"opportunities": waiting, "return_form": ReturnForm()},
    )


# Profiles and contact -----------------------------------------------------------------------------


@login_required
def profile_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.pk not in acting_organisation_ids(request.user):
        raise PermissionDenied
    profile = CooperationProfile.objects.filter(organisation=organisation).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.profile_save(organisation=organisation, user=request.user, data=data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Cooperation profile saved."))
            return redirect(organisation)
    return render(
        request, "partners/profile_form.html", {"form": form, "organisation": organisation}
    )


def _contact(request, *, send, target, cancel_url, template_context):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit_request_hit(request, scope="partners.contact"):
            form.add_error(
                None, _("You have sent many messages in a short time. Please wait a while.")
            )
        else:
            try:
                send(sender=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect(cancel_url)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "target": target, "cancel_url": cancel_url, **template_context},
    )


@login_required
def organisation_contact(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    return _contact(
        request,
        send=lambda **kwargs: services.organisation_contact(organisation=organisation, **kwargs),
        target=organisation.name,
        cancel_url=organisation.get_absolute_url(),
        template_context={"organisation": organisation},
    )


# Experts ---------------------------------------------------------------------------------------------


def expert_detail(request, pk):
    expert = get_object_or_404(
        Expert.objects.public().select_related("user", "organisation__region"), pk=pk
    )
    return render(request, "partners/expert_detail.html", {"expert": expert})


@login_required
def expert_contact(request, pk):
    expert = get_object_or_404(Expert.objects.public().select_related("user"), pk=pk)
    return _contact(
        request,
        send=lambda **kwargs: services.expert_contact(expert=expert, **kwargs),
        target=str(expert),
        cancel_url=expert.get_absolute_url(),
        template_context={"expert": expert},
    )


@login_required
def expert_edit(request):
    expert = Expert.objects.filter(user=request.user).first()
    organisations = _acting_organisations(request)
    form = ExpertForm(request.POST or None, instance=expert, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            expert = services.expert_save(
                user=request.user, data=data, listed=form.cleaned_data["listed"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if expert.is_public:
                messages.success(request, _("You are listed as an expert."))
                return redirect(expert)
            messages.success(request, _("Saved. You are not listed: nothing of you is shown."))
            return redirect("partners:expert_edit")
    return render(request, "partners/expert_form.html", {"form": form, "expert": expert})


# Expressions of interest ----------------------------------------------------------------------------


def _express_interest(request, *, subject_kwargs, cancel_url, subject_title):
    organisations = _acting_organisations(request)
    if not organisations:
        return render(
            request,
            "partners/interest_form.html",
            {"form": None, "cancel_url": cancel_url, "subject_title": subject_title},
        )
    form = InterestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        if ratelimit_request_hit(request, scope="partners.contact"):
            form.add_error(
                None, _("You have sent many messages in a short time. Please wait a while.")
            )
        else:
            try:
                interest = services.interest_express(
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    body=form.cleaned_data["body"],
                    **subject_kwargs,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your expression of interest was sent."))
                return redirect(interest)
    return render(
        request,
        "partners/interest_form.html",
        {"form": form, "cancel_url": cancel_url, "subject_title": subject_title},
    )


@login_required
def opportunity_interest(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.published(), pk=pk)
    return _express_interest(
        request,
        subject_kwargs={"opportunity": opportunity},
        cancel_url=opportunity.get_absolute_url(),
        subject_title=opportunity.title,
    )


@login_required
def technology_interest(request, page_id):
    technology = get_object_or_404(
        TechnologyPage.objects.live().select_related("developer"), pk=page_id
    )
    return _express_interest(
        request,
        subject_kwargs={"technology": technology},
        cancel_url=technology.url,
        subject_title=technology.title,
    )


@login_required
def interest_list(request):
    """Every expression of interest of the user's organisations, in one place: the received
    ones (to shortlist and close), filtered by state and by opportunity, with the counts per
    state; and the sent ones (to withdraw). Unread threads are marked."""
    own_ids = acting_organisation_ids(request.user)
    base = (
        Interest.objects.visible_to(own_ids)
        .select_related(
            "organisation__region",
            "owner_organisation",
            "opportunity",
            "technology",
            "conversation",
        )
        .annotate(unread=unread_annotation(request.user))
    )
    received = base.filter(owner_organisation_id__in=own_ids)
    state_counts = dict(
        received.order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    subjects = (
        Opportunity.objects.filter(organisation_id__in=own_ids, interests__isnull=False)
        .distinct()
        .order_by("title")
        .only("pk", "title")
    )
    state = request.GET.get("state", "")
    if state in InterestState.values:
        received = received.filter(state=state)
    opportunity_id = request.GET.get("opportunity", "")
    if opportunity_id.isdigit() and len(opportunity_id) < 12:
        received = received.filter(opportunity_id=int(opportunity_id))
    received = received.order_by("opportunity_id", "technology_id", "-updated_at")
    sent = base.filter(organisation_id__in=own_ids).order_by("-updated_at")
    return render(
        request,
        "partners/interest_list.html",
        {
            "received": Paginator(received, 50).get_page(request.GET.get("page")),
            "sent": sent[:50],
            "states": [
                (value, label, state_counts.get(value, 0)) for value, label in InterestState.choices
            ],
            "selected_state": state,
            "subjects": subjects,
            "selected_opportunity": opportunity_id,
        },
    )


@login_required
def interest_detail(request, pk):
    own_ids = acting_organisation_ids(request.user)
    interest = get_object_or_404(
        Interest.objects.visible_to(own_ids).select_related(
            "organisation", "owner_organisation", "opportunity", "technology", "conversation"
        ),
        pk=pk,
    )
    side = services.acting_side(interest=interest, user=request.user)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit_request_hit(request, scope="partners.contact"):
            form.add_error(
                None, _("You have sent many messages in a short time. Please wait a while.")
            )
        else:
            try:
                services.interest_reply(
                    interest=interest, user=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Message sent."))
                return redirect(interest)
    conversation = interest.conversation
    if request.method == "GET":
        read_before = conversation_mark_read(
            conversation=conversation, user=request.user, at=conversation.last_message_at
        )
    else:
        read_before = conversation_read_at(conversation=conversation, user=request.user)
    thread = conversation.messages.select_related("author", "author_organisation")
    return render(
        request,
        "partners/interest_detail.html",
        {
            "interest": interest,
            "thread": thread,
            "form": form,
            "read_before": read_before,
            "is_owner_side": interest.owner_organisation_id in own_ids,
            "is_interested_side": interest.organisation_id in own_ids,
            "acting": interest.organisation
            if side == interest.organisation_id
            else interest.owner_organisation,
            "state_form": InterestStateForm(initial={"state": interest.state}),
        },
    )


@login_required
@require_POST
def interest_state(request, pk):
    own_ids = acting_organisation_ids(request.user)
    interest = get_object_or_404(
        Interest.objects.visible_to(own_ids).select_related("conversation"), pk=pk
    )
    form = InterestStateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a valid state."))
        services.interest_set_state(
            interest=interest, user=request.user, state=form.cleaned_data["state"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    if "from_list" in request.POST:
        return redirect("partners:interest_list")
    return redirect(interest)


@login_required
@require_POST
def interest_withdraw(request, pk):
    own_ids = acting_organisation_ids(request.user)
    interest = get_object_or_404(
        Interest.objects.filter(organisation_id__in=own_ids).select_related("conversation"),
        pk=pk,
    )
    try:
        services.interest_withdraw(interest=interest, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your expression of interest is withdrawn."))
    if "from_list" in request.POST:
        return redirect("partners:interest_list")
    return redirect(interest)


# Recommendations ------------------------------------------------------------------------------------


@login_required
def recommendations(request):
    """Opportunities that fit one of the user's organisations, best first with the reasons,
    and the choice of a daily or weekly e-mail of new ones."""
    organisations = _acting_organisations(request)
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            preference_set(
                topic=RECOMMENDATIONS_TOPIC,
                frequency=form.cleaned_data["frequency"],
                user=request.user,
            )
            messages.success(request, _("Your e-mail choice is saved."))
        else:
            messages.error(request, _("Choose how often to be e-mailed."))
        return redirect("partners:recommendations")
    chosen = request.GET.get("organisation", "")
    organisation = next((o for o in organisations if str(o.pk) == chosen), None)
    if organisation is None and organisations:
        organisation = organisations[0]
    found = opportunity_recommendations(organisation) if organisation is not None else []
    frequency = preference_frequency(topic=RECOMMENDATIONS_TOPIC, user=request.user)
    return render(
        request,
        "partners/recommendations.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "recommendations": found,
            "digest_form": DigestForm(initial={"frequency": frequency}),
            "has_profile": organisation is not None
            and CooperationProfile.objects.filter(organisation=organisation).exists(),
        },
    )
