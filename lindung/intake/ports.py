"""Where a higher layer tells intake's pages and files what it knows (decision 0007).

Verification sits above intake (the layers contract), so intake cannot ask it. Verification
provides its answer here when Django loads it (`VerificationConfig.ready`): the import of
this module from verification is an ordinary, visible dependency downwards. With no provider
(intake's own tests), pages and files show intake's own results only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from lindung.accounts.models import User
from lindung.intake.models import Submission

if TYPE_CHECKING:  # `exports` (and the tabular code it imports) is not loaded at start-up
    from lindung.intake.exports import SubmissionVerification

# (user, submission, row ids or None for all) → the current run's results the user may see,
# or None before the submission is verified.
VerificationOf = Callable[
    [User, Submission, Collection[int] | None], "SubmissionVerification | None"
]

# Who answers, by what they answer about; filled at start-up, replaced in tests.
providers: dict[str, VerificationOf] = {}


def provide_verification(provider: VerificationOf | None) -> None:
    """Called once by the verification app when Django starts (None takes it away)."""
    if provider is None:
        providers.pop("verification", None)
    else:
        providers["verification"] = provider


def verification_of(
    user: User, submission: Submission, row_ids: Collection[int] | None = None
) -> SubmissionVerification | None:
    """What verification tells `user` about the rows `row_ids` (all when None) of
    `submission`, or None when nothing is verified yet or no provider is there."""
    provider = providers.get("verification")
    return None if provider is None else provider(user, submission, row_ids)
