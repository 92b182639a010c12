"""Conventions that fund the posts, their parties, budget, co-funding and payments.

Every model has one read gate, ``objects.visible_to(user)``. Migrations name
``conventions.models.validate_pdf``: it stays importable from here."""

from conventions.models.alerts import ConventionUserObjectPermission, SentAlert
from conventions.models.conventions import (
    MONEY,
    PDF_MAX_BYTES,
    Convention,
    ConventionChildQuerySet,
    ConventionParty,
    ConventionPost,
    ConventionQuerySet,
    term_months,
    validate_pdf,
)
from conventions.models.documents import Amendment, ConventionDocument
from conventions.models.money import BudgetLine, FundingLine, Payment

__all__ = [
    "MONEY",
    "PDF_MAX_BYTES",
    "Amendment",
    "BudgetLine",
    "Convention",
    "ConventionChildQuerySet",
    "ConventionDocument",
    "ConventionParty",
    "ConventionPost",
    "ConventionQuerySet",
    "ConventionUserObjectPermission",
    "FundingLine",
    "Payment",
    "SentAlert",
    "term_months",
    "validate_pdf",
]
