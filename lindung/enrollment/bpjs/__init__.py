"""The exchange with BPJS Ketenagakerjaan: the collective registration file out
(`export`), the registration results and the existing participants roster back in
(`results`, `roster`), read by one recogniser (`recognise`, pure Python)."""
