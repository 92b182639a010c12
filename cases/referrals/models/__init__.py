"""Models of the referrals; ``cases.models`` gathers them with the others."""
