"""Validating and sending a bilan: each step says what it will do, then does it.

GET shows the confirmation (what becomes fixed, the stamp the PDF will carry, the
recipients who will be e-mailed); POST does the step through the service. A step that no
longer applies (already validated, a newer version) sends back to the bilan, with why.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from reporting import evaluation, services
from reporting.models import Report

STEPS = {
    services.VALIDATE: {
        "service": services.report_validate,
        "title": "Valider le bilan",
        "done": "Le bilan est validé ; son PDF est refait avec la mention de la validation.",
    },
    services.SEND: {
        "service": services.report_send,
        "title": "Envoyer le bilan",
        "done": "Le bilan est envoyé ; les courriels à ses destinataires partent en "
        "arrière-plan (leur état est affiché ci-dessous).",
    },
}


def _step(request, pk, name):
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if not services.is_report_manager(request.user, report):
        raise PermissionDenied(services.MANAGER_ONLY)
    step = STEPS[name]
    refusal = services.step_refusal(report, name)
    if refusal:
        messages.info(request, refusal)
        return redirect("reporting:detail", pk=report.pk)
    if request.method == "POST":
        try:
            step["service"](report=report, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, step["done"])
        return redirect("reporting:detail", pk=report.pk)
    context = {"report": report, "step": name, "title": step["title"]}
    if name == services.SEND:
        context["recipients"] = services.recipient_list(report)
    else:
        context["missing"] = [
            (label, evaluation.unanswered(report, part))
            for part, label in (
                ("worker", "de l'intervenant·e social·e"),
                ("employer", "de l'employeur"),
            )
            if evaluation.unanswered(report, part)
        ]
        context["question_count"] = len(evaluation.QUESTIONS)
    return render(request, "reporting/confirm_step.html", context)


@require_http_methods(["GET", "POST"])
def report_validate(request, pk):
    return _step(request, pk, services.VALIDATE)


@require_http_methods(["GET", "POST"])
def report_send(request, pk):
    return _step(request, pk, services.SEND)
