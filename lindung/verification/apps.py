from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from lindung.accounts.models import User
    from lindung.intake.exports import SubmissionVerification
    from lindung.intake.models import Submission

# The receivers and the provider below import what they call when first called, not at
# every process's start-up: the matching engine (numpy, polars), the register's columnar
# cache and intake's export code cost a web or batch process's start a few tenths of a
# second, and most processes never call them.


def prepare_on_load(sender: Any, **kwargs: Any) -> None:
    """`register_cached`'s receiver: `register_side.prepare_on_load`."""
    from lindung.verification.register_side import prepare_on_load as queue

    queue(sender, **kwargs)


def submission_verification(
    user: User, submission: Submission, row_ids: Collection[int] | None
) -> SubmissionVerification | None:
    """Intake's verification port: `ports.submission_verification`."""
    from lindung.verification.ports import submission_verification as answer

    return answer(user, submission, row_ids)


class VerificationConfig(AppConfig):
    name = "lindung.verification"
    label = "verification"
    verbose_name = "Verifikasi"

    def ready(self) -> None:
        # Intake's pages and feedback files show each row's verification result through
        # intake's port (decision 0007); models are loaded only now, so import here.
        from lindung.intake import ports
        from lindung.register.signals import register_cached

        ports.provide_verification(submission_verification)
        # A snapshot just loaded is queued to be prepared for the link by the background
        # worker: its first run does not pay for it.
        register_cached.connect(prepare_on_load, dispatch_uid="verification.prepare_on_load")
