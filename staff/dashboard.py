"""Hub staff pipeline dashboard and capability-gap view, with charts drawn on the server.

Charts are matplotlib figures rendered to SVG here and inlined in the page: no JavaScript and no
third-party asset reaches the browser, so they survive a Content-Security-Policy without inline
scripts, and each sits in a <figure> beside a table holding the same numbers."""

from __future__ import annotations

import csv
import io
import re
import threading
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required
from firms.templatetags.portal_tags import category_label, requirement_title
from requirements.dates import kyiv_today
from requirements.flow import Classification, Priority
from requirements.models import ExportRecord
from requirements.services import export_record
from staff.exports import safe_cell
from staff.pipeline import (
    GapGroup,
    RatingMonth,
    StatusTable,
    pipeline_gaps,
    pipeline_headline,
    pipeline_ratings_by_month,
    pipeline_status_table,
    pipeline_timings,
)

# The hub stylesheet's palette, so a chart reads like the rest of the page.
PRIORITY_COLOURS = {
    Priority.CRITICAL: "#d4351c",
    Priority.HIGH: "#f47738",
    Priority.ROUTINE: "#1d70b8",
}
INK, MUTED, LINE, ACCENT = "#0b0c0c", "#505a5f", "#b1b4b6", "#1d70b8"
LANGUAGES = ("en", "uk")
# The audit log's kind for this export (ExportRecord.kind is free text beyond its choices).
GAPS_EXPORT = "GAPS"

# matplotlib's rcParams are process-wide; two requests drawing at once must not mix settings.
_DRAWING = threading.Lock()


def _chart_settings(name: str) -> dict[str, Any]:
    return {
        # Text stays text: the browser draws it in the page's font, and it can be read aloud.
        "svg.fonttype": "none",
        # Ids (clip paths) are derived from this salt, so two charts on one page never share one
        # and the same data always gives the same markup.
        "svg.hashsalt": f"hub-{name}",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.edgecolor": LINE,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": INK,
    }


def _svg(draw: Any, *, name: str, label_id: str, size: tuple[float, float]) -> SafeString:
    """Draw a figure with `draw(figure)` and return it as an inline <svg> element."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    buffer = io.StringIO()
    with _DRAWING, rc_context(_chart_settings(name)):
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasSVG(figure)
        draw(figure)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    markup = _inline(buffer.getvalue(), prefix=name)
    markup = markup.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{label_id}" class="chart__svg" ', 1
    )
    # matplotlib escapes every text it writes and the labels are our own translations.
    return mark_safe(markup)  # noqa: S308 - matplotlib escapes its text


def _attributes(match: re.Match[str]) -> str:
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {key.strip()}="{value.strip()}"' for key, value in pairs)


def _inline(document: str, *, prefix: str) -> str:
    """matplotlib's SVG document made fit to sit inside an HTML page beside other charts."""
    markup = document[document.index("<svg") :]
    markup = re.sub(r"<metadata>.*?</metadata>\s*", "", markup, count=1, flags=re.S)
    # Its <style> element would apply to the whole page; its inline style attributes would be
    # refused by a Content-Security-Policy without 'unsafe-inline' styles. Every property it
    # writes (fill, stroke*, font-size, font-family, text-anchor) is also an SVG presentation
    # attribute, so they move there.
    markup = re.sub(r"<style[^>]*>.*?</style>\s*", "", markup, flags=re.S)
    markup = re.sub(r' style="([^"]*)"', _attributes, markup)
    # Ids are per document ("figure_1", "axes_1"): prefixed so two charts never share one.
    markup = re.sub(r' id="([^"]+)"', rf' id="{prefix}-\1"', markup)
    markup = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", markup)
    return re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', markup)


def status_chart(table: StatusTable) -> SafeString:
    """Requirements per status as horizontal bars, stacked by priority."""
    labels = [row.label for row in table.rows]

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        left = [0] * len(table.rows)
        for code, label in table.priorities:
            values = [row.by_priority[code] for row in table.rows]
            axes.barh(labels, values, left=left, label=label, color=PRIORITY_COLOURS[code])
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.invert_yaxis()
        axes.set_xlabel(_("Requirements"))
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(title=_("Priority"), frameon=False, loc="lower right")

    return _svg(draw, name="status", label_id="status-caption", size=(7.0, 3.6))


def ratings_chart(months: list[RatingMonth]) -> SafeString:
    """Field reports per month (bars) above their mean rating (line, 1 to 5)."""
    labels = [formats.date_format(m.month, "M Y") for m in months]
    positions = list(range(len(months)))

    def draw(figure: Any) -> None:
        count_axes, mean_axes = figure.subplots(2, 1, sharex=True)
        count_axes.bar(positions, [m.count for m in months], width=0.6, color=ACCENT)
        count_axes.set_ylabel(_("Reports"))
        count_axes.yaxis.get_major_locator().set_params(integer=True)
        rated = [(i, m.mean) for i, m in zip(positions, months, strict=True) if m.mean is not None]
        mean_axes.plot(
            [i for i, _mean in rated], [v for _i, v in rated], marker="o", color=INK, linewidth=2
        )
        mean_axes.set_ylim(0.5, 5.5)
        mean_axes.set_yticks([1, 2, 3, 4, 5])
        mean_axes.set_ylabel(_("Mean rating"))
        mean_axes.set_xticks(positions, labels)
        if len(months) > 8:
            mean_axes.tick_params(axis="x", labelrotation=45)
        # A short history keeps bars of a sensible width, centred, rather than one slab.
        pad = max(0.0, (6 - len(months)) / 2)
        for axes in (count_axes, mean_axes):
            axes.spines[["top", "right"]].set_visible(False)
            axes.set_xlim(-0.6 - pad, len(months) - 0.4 + pad)

    return _svg(draw, name="ratings", label_id="ratings-caption", size=(7.0, 4.2))


@staff_required
@require_GET
def pipeline_dashboard(request: HttpRequest) -> HttpResponse:
    table = pipeline_status_table()
    months = pipeline_ratings_by_month()
    timings = pipeline_timings()
    context = {
        "headline": pipeline_headline(),
        "table": table,
        "status_chart": status_chart(table),
        "timing_rows": [
            (_("First eligible match"), timings.to_first_eligible, "first-eligible"),
            (_("Shortlist"), timings.to_shortlist, "shortlist"),
        ],
        "months": months,
        "ratings_chart": ratings_chart(months) if months else None,
    }
    return render(request, "staff/dashboard.html", context)


@staff_required
@require_GET
def capability_gaps(request: HttpRequest) -> HttpResponse:
    groups = pipeline_gaps()
    context = {
        "groups": groups,
        "total": sum(group.count for group in groups),
    }
    return render(request, "staff/gaps.html", context)


def _gap_lines(groups: list[GapGroup]) -> list[list[Any]]:
    classifications = dict(Classification.choices)
    priorities = dict(Priority.choices)
    lines: list[list[Any]] = [
        [
            _("Category"),
            _("Category code"),
            _("Requirements in category"),
            _("Reference"),
            _("Title"),
            _("Priority"),
            _("Classification"),
            _("Needed by"),
            _("Eligible matches"),
        ]
    ]
    for group in groups:
        for row in group.rows:
            requirement = row.requirement
            lines.append(
                [
                    category_label(group.category),
                    group.category.code,
                    group.count,
                    requirement.reference,
                    requirement_title(requirement),
                    str(priorities[requirement.priority]),
                    str(classifications[requirement.classification]),
                    requirement.needed_by.isoformat(),
                    row.eligible,
                ]
            )
    return lines


@staff_required
@require_GET
def capability_gaps_csv(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("language", "")
    if chosen not in LANGUAGES:
        chosen = (translation.get_language() or "en")[:2]
        chosen = chosen if chosen in LANGUAGES else "en"
    groups = pipeline_gaps()
    with translation.override(chosen):
        lines = _gap_lines(groups)
    # A byte-order mark, so Excel opens the Ukrainian text as UTF-8 rather than guessing.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    for line in lines:
        writer.writerow([safe_cell(cell) for cell in line])
    export_record(
        by=request.user,
        kind=GAPS_EXPORT,
        requirement=None,
        file_format=ExportRecord.Format.CSV,
        language=chosen,
        row_count=len(lines) - 1,
    )
    filename = f"capability-gaps-{kyiv_today().isoformat()}-{chosen}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
