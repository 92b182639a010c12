"""Fixture builders: ``kind -> (world, scope) -> object``, used by matrix entries.

Add one for a new kind of object in a few lines::

    @builder("conventions.convention")
    def _convention(world, scope):
        return ConventionFactory(employer=world.employer[scope], funders=[world.funder[scope]])

Case data comes from ``world.file(scope)``: one social file per scope whose secret
fields are canaries, so that every matrix URL is also walked by the canary test.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

BUILDERS: dict[str, Callable] = {}


def builder(kind: str):
    def decorator(func):
        BUILDERS[kind] = func
        return func

    return decorator


# --- organisation -------------------------------------------------------------------


@builder("iscg.employer")
def _employer(world, scope):
    return world.employer[scope]


@builder("iscg.own_problem")
def _own_problem(world, scope):
    """A problem of the scope's département's own reference list."""
    from cases.models import Problem

    department = world.department[scope]
    return Problem.objects.get_or_create(
        code=f"rixe-{scope}", defaults={"label": f"Rixe ({scope})", "department": department}
    )[0]


@builder("iscg.unit")
def _unit(world, scope):
    return world.unit[scope]


@builder("iscg.funder")
def _funder(world, scope):
    return world.funder[scope]


@builder("iscg.post")
def _post(world, scope):
    return world.post[scope]


@builder("iscg.site")
def _site(world, scope):
    from tests.iscg.factories import SiteFactory

    site = SiteFactory(department=world.department[scope], unit=world.unit[scope])
    world.post[scope].sites.add(site)
    return site


@builder("iscg.user")
def _user(world, scope):
    """An account an administrator of département A manages (own: the world's worker)."""
    return world.scope_workers[scope]


@builder("iscg.membership")
def _membership(world, scope):
    return world.scope_workers[scope].memberships.get()


@builder("iscg.holding")
def _holding(world, scope):
    return world.scope_workers[scope].holdings.get()


@builder("iscg.accesslog")
def _access_log(world, scope):
    from iscg.audit import access_log_record

    return access_log_record(
        user=world.scope_workers[scope], action="view", obj=world.file(scope)["case"]
    )


@builder("partners.partner")
def _partner(world, scope):
    from tests.partners.factories import PartnerFactory

    return PartnerFactory(department=world.department[scope])


# --- case data (one canary file per scope) ------------------------------------------


def _from_file(key):
    def build(world, scope):
        return world.file(scope)[key]

    return build


for _kind, _key in {
    "cases.beneficiary": "beneficiary",
    "cases.case": "case",
    "cases.action": "action",
    "cases.orientation": "orientation",
    "cases.referral": "referral",
    "cases.unitfeedback": "feedback",
    "cases.anonymouscontact": "anonymous_contact",
}.items():
    BUILDERS[_kind] = _from_file(_key)
for _kind, _key in {
    "cases.worker_referral": "worker_referral",
    "cases.archived": "archived",
}.items():
    BUILDERS[_kind] = _from_file(_key)


@builder("cases.weekly_summary")
def _weekly_summary(world, scope):
    """A weekly summary checked by the worker, awaiting its uploader's confirmation."""
    from cases.models import SummaryStatus, WeeklySummaryUpload
    from cases.referrals.auto_import import COLUMN_NAMES

    canaries = world.file(scope)["canaries"]
    canaries["summary_last_name"] = world.canary(scope, "resumenom")
    return WeeklySummaryUpload.objects.create(
        created_by=world.scope_workers[scope],
        status=SummaryStatus.PREVIEW,
        file_kind="csv",
        rows=[
            {**dict.fromkeys(COLUMN_NAMES, ""), "nom": canaries["summary_last_name"], "_line": 2}
        ],
        report={"total": 1, "errors": [], "duplicates": [], "importable": 0},
    )


# --- lifecycle -------------------------------------------------------------------------


@builder("lifecycle.importbatch")
def _import_batch(world, scope):
    from cases.models import ImportBatch, ImportStatus, ImportTemplate

    return ImportBatch.objects.create(
        post=world.post[scope],
        template=ImportTemplate.ACTIONS,
        status=ImportStatus.DONE,
        original_name="activite-2025.csv",
        created_by=world.scope_workers[scope],
        imported_at=timezone.now(),
        counts={"beneficiaries": 0, "actions": 0},
    )


@builder("lifecycle.previewbatch")
def _preview_batch(world, scope):
    """A file of past activity uploaded by the post's worker, awaiting confirmation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.lifecycle.imports import services
    from cases.lifecycle.imports.template_files import template_csv

    canaries = world.file(scope)["canaries"]
    canaries["import_last_name"] = world.canary(scope, "importnom")
    canaries["import_first_name"] = world.canary(scope, "importprenom")
    content = (
        template_csv("actes")
        .decode("utf-8-sig")
        .replace("MARTIN", canaries["import_last_name"])
        .replace("Sophie", canaries["import_first_name"])
    )
    batch, parsed = services.import_preview(
        post=world.post[scope],
        uploaded_file=SimpleUploadedFile("activite.csv", content.encode("utf-8")),
        acting_user=world.scope_workers[scope],
    )
    assert parsed.row_count == 1, parsed.errors
    return batch


# --- conventions -----------------------------------------------------------------------


def _pdf() -> bytes:
    """A real (blank) PDF, so that the canary test reads it like any other."""
    import io

    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


@builder("conventions.convention")
def _convention(world, scope):
    from tests.conventions.factories import make_convention

    return make_convention(
        employer=world.employer[scope],
        funders=[world.funder[scope]],
        posts=[world.post[scope]],
        start=datetime.date(2024, 1, 1),
        end=datetime.date(timezone.localdate().year + 1, 12, 31),
        title=f"Convention {scope}",
    )


@builder("conventions.funding")
def _funding_line(world, scope):
    from tests.conventions.factories import make_line

    convention = world.obj("conventions.convention", scope)
    return make_line(convention, world.funder[scope], year=timezone.localdate().year)


@builder("conventions.document")
def _convention_document(world, scope):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conventions import services
    from conventions.models import ConventionDocument

    return services.document_add(
        document=ConventionDocument(
            convention=world.obj("conventions.convention", scope),
            title="Convention signée",
            file=SimpleUploadedFile("signee.pdf", _pdf(), content_type="application/pdf"),
        ),
        acting_user=None,
    )


@builder("conventions.amendment")
def _amendment(world, scope):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conventions import services
    from conventions.models import Amendment

    return services.amendment_add(
        amendment=Amendment(
            convention=world.obj("conventions.convention", scope),
            number=1,
            date=datetime.date(2025, 3, 1),
            summary="Ajout d'une permanence",
            document=SimpleUploadedFile("avenant.pdf", _pdf(), content_type="application/pdf"),
        ),
        acting_user=None,
    )


# --- reporting -------------------------------------------------------------------------


@builder("reporting.report")
def _report(world, scope):
    """A sent monthly bilan of the scope's post, over the month of its social file."""
    from reporting import services
    from reporting.models import Report, ReportKind
    from reporting.periods import preset
    from reporting.scope import Scope
    from reporting.tasks import generate_report_pdf
    from tests.iscg.factories import UserFactory

    world.file(scope)
    world.obj("conventions.convention", scope)  # its funder receives the bilan
    report = services.report_create(
        kind=ReportKind.MONTHLY,
        period=preset("month"),
        scope=Scope.for_post(world.post[scope]),
        acting_user=world.scope_workers[scope],
        evaluation_text="Évaluation qualitative du mois.",
    )
    manager = world.users["employer_manager"]
    if world.employer[scope] != world.employer["own"]:
        manager = UserFactory(
            employer_manager=True,
            employer=world.employer[scope],
            department=world.department[scope],
        )
    report = Report.objects.get(pk=report.pk)
    services.report_validate(report=report, acting_user=manager)
    services.report_send(report=report, acting_user=manager)
    generate_report_pdf.apply(args=[report.pk])  # the PDF stamped "Envoyé le …"
    return Report.objects.get(pk=report.pk)
