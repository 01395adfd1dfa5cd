"""Billing reads, scoped to the user."""
