"""Writes of the referrals: routing, taking, intake, feedback, notifications, summaries."""
