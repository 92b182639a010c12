"""One submission, one record: a form sent twice is acted on once.

Each page's POST forms carry a token (``static/iscg/one-submission.js`` adds it and
blocks a second click while the first is on its way). The first request with a token
records it before the view runs; the same token again — a double click the script could
not stop, a replayed POST, a "resend" after a slow answer — is answered with the first
request's answer (its redirection) instead of creating a second saisine or acte. A form
that came back with its errors frees its token: the corrected form may be sent.
"""

import re
import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from iscg.models import Submission

FIELD = "_submission"
TOKEN = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# How long a repeated request waits for the first one's answer before saying it is
# still on its way (a PDF or an import is handed to a worker: answers stay short).
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.2
ALREADY_SENT = "Ce formulaire avait déjà été envoyé : il n'a été pris en compte qu'une fois."


class OneSubmissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _token(request)
        if token is None:
            return self.get_response(request)
        try:
            with transaction.atomic():
                record = Submission.objects.create(
                    token=token, user=request.user, path=request.path[:500]
                )
        except IntegrityError:
            return self._answer_again(request, token)
        try:
            response = self.get_response(request)
        except Exception:
            Submission.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            Submission.objects.filter(pk=record.pk).update(location=response["Location"][:1000])
        else:
            # Not acted on (errors to correct) or answered with a document: may come again.
            Submission.objects.filter(pk=record.pk).delete()
        return response

    def _answer_again(self, request, token):
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = Submission.objects.filter(user=request.user, token=token).first()
            if first is None:
                # The first came back with errors (or failed): this one is a new attempt.
                return self.get_response(request)
            if first.location:
                messages.info(request, ALREADY_SENT)
                return redirect(first.location)
            if time.monotonic() >= deadline:
                return render(request, "iscg/submission_pending.html", status=409)
            time.sleep(POLL_SECONDS)


def _token(request) -> str | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    token = request.POST.get(FIELD, "")
    return token if TOKEN.match(token) else None
