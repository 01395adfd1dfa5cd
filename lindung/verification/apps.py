from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "lindung.verification"
    label = "verification"
    verbose_name = "Verifikasi"

    def ready(self) -> None:
        # Intake's pages and feedback files show each row's verification result through
        # intake's port (decision 0007); models are loaded only now, so import here.
        from lindung.intake import ports
        from lindung.register.cache import register_cached
        from lindung.verification.ports import submission_verification
        from lindung.verification.register_side import prepare_on_load

        ports.provide_verification(submission_verification)
        # A snapshot just loaded is queued to be prepared for the link by the background
        # worker: its first run does not pay for it.
        register_cached.connect(prepare_on_load, dispatch_uid="verification.prepare_on_load")
