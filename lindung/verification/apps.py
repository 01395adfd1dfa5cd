from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "lindung.verification"
    label = "verification"
    verbose_name = "Verifikasi"

    def ready(self) -> None:
        # Intake's pages and feedback files show each row's verification result through
        # intake's port (decision 0007); models are loaded only now, so import here.
        from lindung.intake import ports
        from lindung.verification.ports import submission_verification

        ports.provide_verification(submission_verification)
