"""The worker's feedback to the unit, reviewed before it leaves the professional secret."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cases.enums import FeedbackKind
from cases.referrals.access import WORKER_ROLES
from cases.referrals.forms.feedback import FeedbackForm
from cases.referrals.selectors import announceable_partner_kinds
from cases.referrals.services.feedback import unit_feedback_send
from cases.referrals.views.worker_referrals import worker_referral
from iscg.permissions import role_required


@role_required(WORKER_ROLES)
def feedback_send(request, pk):
    """GET: the form. POST "preview": the review step. POST "confirm": the feedback leaves."""
    referral = worker_referral(request, pk)
    if referral.source_unit_id is None:
        messages.error(request, "Cette saisine ne vient pas d'une unité : aucun retour à envoyer.")
        return redirect("referrals:worker_detail", pk=referral.pk)
    form = FeedbackForm(request.POST or None, partner_kinds=announceable_partner_kinds(referral))
    step = request.POST.get("step")
    if request.method == "POST" and form.is_valid() and step in ("preview", "confirm"):
        if step == "confirm":
            try:
                unit_feedback_send(
                    referral=referral,
                    kind=form.cleaned_data["kind"],
                    attempts=form.cleaned_data["attempts"],
                    message=form.cleaned_data["message"],
                    partner_kinds=form.cleaned_data["partner_kinds"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request, f"Le retour a été envoyé à l'unité ({referral.source_unit})."
                )
                return redirect("referrals:worker_detail", pk=referral.pk)
        else:
            return render(
                request,
                "cases/referrals/feedback_preview.html",
                {
                    "referral": referral,
                    "form": form,
                    "kind_label": FeedbackKind(form.cleaned_data["kind"]).label,
                },
            )
    return render(
        request,
        "cases/referrals/feedback_form.html",
        {"referral": referral, "form": form, "mandatory": FeedbackKind.mandatory()},
    )
