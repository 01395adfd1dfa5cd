"""The register app's signals, apart from the modules that send them: a receiver connects at
every process's start-up (`VerificationConfig.ready`) without importing the columnar cache
and polars."""

from __future__ import annotations

from django.dispatch import Signal

# Sent (with `snapshot`) by `cache.register_cache_publish` once a loaded snapshot's cache is
# written, so that what is derived from it is made right after the load (verification
# queues a job) and not by the first run.
register_cached = Signal()
