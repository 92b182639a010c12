"""Forms of the referrals: the person, the unit's saisine, the feedback, the auto-saisine rows."""
