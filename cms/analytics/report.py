"""The dissemination report: page views over time, top pages and newsletter click rates, for
one region and/or one section, as a chart, tables and CSV."""

import csv
import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.directory.models import Region
from cms.discovery import in_region, section_pages
from cms.newsletters.models import IssueSend, Subscription

from .models import LinkClick, PageView

PERMISSION = "analytics.view_report"
PERIODS = [(30, _("Last 30 days")), (90, _("Last 90 days")), (365, _("Last 12 months"))]
TOP_PAGES = 15
CHART_WIDTH, CHART_HEIGHT, CHART_PADDING = 720, 220, 36


class ReportForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Page.objects.none(),
        required=False,
        empty_label=_("All sections"),
    )
    days = forms.TypedChoiceField(
        label=_("Period"), choices=PERIODS, coerce=int, required=False, empty_value=30
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = section_pages()


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: datetime.date
    views: int


def chart(daily, start, end):
    """Bars of an inline SVG (drawn on the server: no script, no CDN) and the axis labels."""
    days = (end - start).days + 1
    peak = max(daily.values(), default=0) or 1
    plot_width = CHART_WIDTH - 2 * CHART_PADDING
    plot_height = CHART_HEIGHT - 2 * CHART_PADDING
    step = plot_width / days
    bars = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        views = daily.get(day, 0)
        height = plot_height * views / peak
        bars.append(
            Bar(
                x=round(CHART_PADDING + offset * step, 2),
                y=round(CHART_HEIGHT - CHART_PADDING - height, 2),
                width=round(max(step - 1, 0.5), 2),
                height=round(height, 2),
                day=day,
                views=views,
            )
        )
    return {
        "bars": bars,
        "peak": peak,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_PADDING,
        "top": CHART_PADDING,
        "left": CHART_PADDING,
        "right": CHART_WIDTH - CHART_PADDING,
        "label_y": CHART_HEIGHT - CHART_PADDING + 16,
    }


def report_data(*, region=None, section=None, days=30):
    end = timezone.localdate()
    start = end - datetime.timedelta(days=days - 1)
    pages = Page.objects.all()
    if section is not None:
        pages = pages.descendant_of(section, inclusive=True)
    if region is not None:
        pages = pages.filter(in_region(region))
    views = PageView.objects.filter(day__gte=start, day__lte=end, page__in=pages.values("pk"))
    daily = dict(views.values_list("day").annotate(total=Sum("views")).values_list("day", "total"))
    top_pages = list(
        views.values("page_id", "page__title")
        .annotate(total=Sum("views"))
        .order_by("-total", "page__title")[:TOP_PAGES]
    )
    for row in top_pages:
        row["edit_url"] = reverse("wagtailadmin_pages:edit", args=[row["page_id"]])

    sends = IssueSend.objects.filter(issue__in=pages.values("pk")).select_related("issue")
    if region is not None:
        sends = sends.filter(issue__region=region)
    sends = sends.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False))
    ).order_by("-started_at")[:20]
    sends = list(sends)
    clicks = dict(
        LinkClick.objects.filter(issue__in=[send.issue_id for send in sends])
        .values_list("issue")
        .annotate(total=Sum("clicks"))
        .values_list("issue", "total")
    )
    for send in sends:
        send.clicks = clicks.get(send.issue_id, 0)
        send.click_rate = round(100 * send.clicks / send.delivered, 1) if send.delivered else None
    subscribers = Subscription.objects.confirmed()
    if region is not None:
        subscribers = subscribers.filter(region=region)
    subscribers_by_region = list(
        subscribers.values("region__name").annotate(total=Count("pk")).order_by("region__name")
    )
    return {
        "subscribers_by_region": subscribers_by_region,
        "start": start,
        "end": end,
        "total_views": sum(daily.values()),
        "daily": daily,
        "chart": chart(daily, start, end),
        "top_pages": top_pages,
        "sends": sends,
    }


def csv_response(data, *, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["section", "key", "label", "value"])
    for bar in data["chart"]["bars"]:
        writer.writerow(["views_per_day", bar.day.isoformat(), "", bar.views])
    for row in data["top_pages"]:
        writer.writerow(["top_pages", row["page_id"], row["page__title"], row["total"]])
    for row in data["subscribers_by_region"]:
        writer.writerow(["confirmed_subscribers", "", row["region__name"], row["total"]])
    for send in data["sends"]:
        writer.writerow(["newsletter_deliveries", send.issue_id, send.issue.title, send.delivered])
        writer.writerow(["newsletter_clicks", send.issue_id, send.issue.title, send.clicks])
    return response


def dissemination_report(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ReportForm(request.GET or None)
    region = section = None
    days = 30
    if form.is_valid():
        region = form.cleaned_data["region"]
        section = form.cleaned_data["section"]
        days = form.cleaned_data["days"] or 30
    data = report_data(region=region, section=section, days=days)
    if request.GET.get("format") == "csv":
        return csv_response(data, filename=f"dissemination-{data['start']}-{data['end']}.csv")
    return render(
        request,
        "analytics/report.html",
        {"form": form, "region": region, "section": section, "days": days, **data},
    )
