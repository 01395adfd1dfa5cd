"""Writes of enrollment, one module per concern: allocation proposals, renewal candidates."""

from lindung.enrollment.services.allocation import AllocationProposal, allocation_propose
from lindung.enrollment.services.renewal import RenewalOutcome, renewal_candidates_create

__all__ = [
    "AllocationProposal",
    "RenewalOutcome",
    "allocation_propose",
    "renewal_candidates_create",
]
