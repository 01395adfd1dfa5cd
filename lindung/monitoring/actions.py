"""Which audited actions change the monitoring figures: small on purpose, so that the
receiver every process connects at start-up (`apps.py`) can tell without importing
`participation` and what it imports."""

from __future__ import annotations

# Audited actions that change the monitoring figures (participants, their agency, source and
# region, money, claims, workforce); intake, verification and user actions do not.
COUNTED_ACTIONS = (
    "agency.", "allocation.", "bill.", "billing.", "bpjs.", "budget.", "claim.",
    "coverage_target.", "enrolment.", "funding_source.", "occupation.", "participant.",
    "payment.", "program.", "quota.", "renewal.", "worker.", "workforce.",
)  # fmt: skip


def counts_action(action: str) -> bool:
    return action.startswith(COUNTED_ACTIONS)
