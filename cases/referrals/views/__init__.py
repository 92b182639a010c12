"""Pages of the referrals: the unit's, the worker's, feedback and auto-saisines."""
