"""The bilan as a PDF (WeasyPrint): cover, key figures, one section per indicator with
its table and chart, the qualitative evaluation, the methodology annex."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from iscg.pdf import FONT_DIR, html_to_pdf
from reporting import evaluation
from reporting.charts import add_chart_uris
from reporting.indicators import key_figures
from reporting.secrecy import LEGEND
from reporting.secrecy.reports import report_masked_figures
from reporting.services.authors import validator_label


def render_context(report) -> dict:
    figures = add_chart_uris(report_masked_figures(report))
    return {
        "report": report,
        "figures": figures,
        "key_figures": key_figures(figures),
        "legend": LEGEND,
        "font_dir": FONT_DIR.as_uri(),
        "prefecture_name": settings.PREFECTURE_NAME,
        "generated_at": timezone.localtime(),
        "validator": validator_label(report),
        "worker_answers": evaluation.answered(report, "worker"),
        "employer_answers": evaluation.answered(report, "employer"),
    }


def render_pdf(report) -> bytes:
    html = render_to_string("reporting/pdf/report.html", render_context(report))
    return html_to_pdf(html, base_url=str(FONT_DIR))
