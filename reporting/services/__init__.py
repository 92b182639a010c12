"""Bilans' services: who authors them (authors), their computation and versions
(creation), their evaluation (evaluations), validation and sending (steps) and their PDF
(pdf_generation). Views and other apps call them through this package."""

from reporting.services.authors import (
    can_author,
    is_report_author,
    is_report_manager,
    is_report_worker,
    is_scope_worker,
    validator_label,
)
from reporting.services.creation import report_create, report_regenerate
from reporting.services.evaluations import report_update_evaluation
from reporting.services.pdf_generation import report_pdf_retry
from reporting.services.steps import (
    MANAGER_ONLY,
    PROVISIONAL_REFUSAL,
    SEND,
    VALIDATE,
    recipient_list,
    recipient_users,
    report_send,
    report_sent_event,
    report_validate,
    step_refusal,
    steps_open_to,
)

__all__ = [
    "MANAGER_ONLY",
    "PROVISIONAL_REFUSAL",
    "SEND",
    "VALIDATE",
    "can_author",
    "is_report_author",
    "is_report_manager",
    "is_report_worker",
    "is_scope_worker",
    "recipient_list",
    "recipient_users",
    "report_create",
    "report_pdf_retry",
    "report_regenerate",
    "report_send",
    "report_sent_event",
    "report_update_evaluation",
    "report_validate",
    "step_refusal",
    "steps_open_to",
    "validator_label",
]
