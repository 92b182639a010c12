"""Tests of the referrals: saisines, access, intake, feedback, notifications, auto-saisines."""
