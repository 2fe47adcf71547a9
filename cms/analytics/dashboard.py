"""The dissemination dashboard: for one region (or all, for unrestricted editors) and one quarter,
what the web site, social media and traditional media achieved, set against the targets
editors entered (output indicators); as a page with charts drawn on the server (SVG), as CSV and
as a PDF report (WeasyPrint). Regional editors see their own regions only."""

import csv
import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.directory.models import Region
from cms.discovery import in_region
from cms.editing import editable_region_ids

from .models import (
    Indicator,
    MediaCoverage,
    OutputTarget,
    PageView,
    SocialPost,
    Visit,
    quarter_bounds,
)
from .report import PERMISSION

TOP_SOURCES = 10
BAR_WIDTH, BAR_HEIGHT, LABEL_HEIGHT, BAR_GAP = 640, 18, 16, 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP


def current_quarter():
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


class DashboardForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )

    def __init__(self, *args, region_ids, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if region_ids is None:
            self.fields["region"].empty_label = _("All regions")
        else:
            regions = regions.filter(pk__in=region_ids)
            self.fields["region"].required = True
            self.fields["region"].empty_label = None
        self.fields["region"].queryset = regions


@dataclass
class IndicatorRow:
    indicator: str
    label: str
    actual: int
    target: int | None

    @property
    def percent(self):
        if not self.target:
            return None
        return round(100 * self.actual / self.target)


@dataclass
class BarRow:
    row: IndicatorRow
    label_y: float  # the label above its bar, on the page's background (readable contrast)
    y: float
    bottom: float
    width: float
    target_x: float


def indicator_chart(rows):
    """Horizontal bars, one per indicator with a target: the share of the target reached (a
    full bar at 100 %, longer than the target line beyond it), drawn on the server as SVG."""
    with_target = [row for row in rows if row.target]
    scale = max([1.0, *[row.actual / row.target for row in with_target]])
    bars = []
    for position, row in enumerate(with_target):
        top = position * ROW_HEIGHT
        bars.append(
            BarRow(
                row=row,
                label_y=top + LABEL_HEIGHT - 4,
                y=top + LABEL_HEIGHT,
                bottom=top + LABEL_HEIGHT + BAR_HEIGHT,
                width=round(BAR_WIDTH * (row.actual / row.target) / scale, 2),
                target_x=round(BAR_WIDTH / scale, 2),
            )
        )
    return {
        "bars": bars,
        "width": BAR_WIDTH + 4,
        "height": max(len(bars) * ROW_HEIGHT, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
    }


def month_chart(monthly):
    """Vertical bars of page views per month of the quarter."""
    peak = max([value for _month, value in monthly] or [0]) or 1
    width, height, bar = 360, 160, 80
    bars = []
    for position, (month, value) in enumerate(monthly):
        bar_height = round((height - 40) * value / peak, 2)
        bars.append(
            {
                "x": 30 + position * (bar + 30),
                "y": height - 20 - bar_height,
                "height": bar_height,
                "width": bar,
                "month": month,
                "value": value,
            }
        )
    return {"bars": bars, "width": width, "height": height, "baseline": height - 20}


def dashboard_data(*, region, year, quarter):
    start, end = quarter_bounds(year, quarter)
    pages = Page.objects.all() if region is None else Page.objects.filter(in_region(region))
    page_ids = pages.values("pk")
    views = PageView.objects.filter(day__gte=start, day__lte=end, page__in=page_ids)
    visits = Visit.objects.filter(day__gte=start, day__lte=end, page__in=page_ids)
    region_ids = None if region is None else [region.pk]
    media = MediaCoverage.objects.of_regions(region_ids).in_quarter(year, quarter)
    social = SocialPost.objects.of_regions(region_ids).in_quarter(year, quarter)
    media_totals = media.aggregate(items=Count("pk"), reach=Sum("reach"))
    social_totals = social.aggregate(
        posts=Count("pk"), reach=Sum("reach"), engagement=Sum("engagement")
    )
    actual = {
        Indicator.WEB_VIEWS: views.aggregate(total=Sum("views"))["total"] or 0,
        Indicator.CAMPAIGN_VISITS: visits.exclude(source="").aggregate(total=Sum("views"))["total"]
        or 0,
        Indicator.MEDIA_ITEMS: media_totals["items"] or 0,
        Indicator.MEDIA_REACH: media_totals["reach"] or 0,
        Indicator.SOCIAL_POSTS: social_totals["posts"] or 0,
        Indicator.SOCIAL_REACH: social_totals["reach"] or 0,
        Indicator.SOCIAL_ENGAGEMENT: social_totals["engagement"] or 0,
    }
    targets = OutputTarget.objects.filter(year=year, quarter=quarter)
    if region is not None:
        targets = targets.filter(region=region)
    target_totals = dict(
        targets.values_list("indicator")
        .annotate(total=Sum("target"))
        .values_list("indicator", "total")
    )
    rows = [
        IndicatorRow(
            indicator=indicator.value,
            label=str(indicator.label),
            actual=actual[indicator],
            target=target_totals.get(indicator.value),
        )
        for indicator in Indicator
    ]
    monthly_views = dict(
        views.values_list("day__month")
        .annotate(total=Sum("views"))
        .values_list("day__month", "total")
    )
    months = [datetime.date(year, start.month + offset, 1) for offset in range(3)]
    monthly = [(month, monthly_views.get(month.month, 0)) for month in months]
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "indicator_chart": indicator_chart(rows),
        "month_chart": month_chart(monthly),
        "media": list(media.select_related("region")),
        "media_by_type": list(
            media.values("media_type").annotate(items=Count("pk"), reach=Sum("reach"))
        ),
        "social_by_network": list(
            social.values("network")
            .annotate(posts=Count("pk"), reach=Sum("reach"), engagement=Sum("engagement"))
            .order_by("-reach")
        ),
        "referrers": list(
            visits.exclude(referrer="")
            .values("referrer")
            .annotate(total=Sum("views"))
            .order_by("-total", "referrer")[:TOP_SOURCES]
        ),
        "campaigns": list(
            visits.exclude(source="")
            .values("source", "medium", "campaign")
            .annotate(total=Sum("views"))
            .order_by("-total", "source")[:TOP_SOURCES]
        ),
    }


def allowed_region(request, region_ids):
    """The region asked for, refused (403) when it is not one of the editor's."""
    requested = request.GET.get("region", "")
    if region_ids is None or not requested:
        return
    if not requested.isdigit() or int(requested) not in region_ids:
        raise PermissionDenied


def csv_response(data, *, region, year, quarter):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"dissemination-{region.slug if region else 'all'}-{year}-q{quarter}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["section", "key", "label", "actual", "target", "percent"])
    for row in data["rows"]:
        writer.writerow(
            ["indicator", row.indicator, row.label, row.actual, row.target or "", row.percent or ""]
        )
    for item in data["media"]:
        writer.writerow(
            ["media", item.date.isoformat(), f"{item.outlet}: {item.title}", item.reach, "", ""]
        )
    for row in data["social_by_network"]:
        writer.writerow(["social", row["network"], "reach", row["reach"], "", ""])
        writer.writerow(["social", row["network"], "engagement", row["engagement"], "", ""])
    for row in data["referrers"]:
        writer.writerow(["referrer", row["referrer"], "", row["total"], "", ""])
    for row in data["campaigns"]:
        label = "/".join([row["source"], row["medium"], row["campaign"]])
        writer.writerow(["campaign", row["source"], label, row["total"], "", ""])
    return response


def refuse_fetch(url, *args, **kwargs):
    """The report embeds everything it shows; WeasyPrint fetches nothing."""
    raise ValueError(f"Not fetched: {url}")


def pdf_response(context, *, filename):
    from weasyprint import HTML

    html = render_to_string("analytics/dashboard_pdf.html", context)
    pdf = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dissemination_dashboard(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    region_ids = editable_region_ids(request.user)
    if region_ids is not None and not region_ids:
        raise PermissionDenied  # a regional editor of no region
    allowed_region(request, region_ids)
    year, quarter = current_quarter()
    initial = {"year": year, "quarter": quarter}
    if region_ids is not None:
        initial["region"] = min(region_ids)
    form = DashboardForm(
        {**initial, **request.GET.dict()} if request.GET else initial, region_ids=region_ids
    )
    region = None
    if form.is_valid():
        region = form.cleaned_data["region"]
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    elif region_ids is not None:
        region = Region.objects.get(pk=min(region_ids))
    data = dashboard_data(region=region, year=year, quarter=quarter)
    context = {"form": form, "region": region, "year": year, "quarter": quarter, **data}
    output = request.GET.get("format")
    if output == "csv":
        return csv_response(data, region=region, year=year, quarter=quarter)
    if output == "pdf":
        slug = region.slug if region else "all"
        return pdf_response(context, filename=f"dissemination-{slug}-{year}-q{quarter}.pdf")
    return render(request, "analytics/dashboard.html", context)
