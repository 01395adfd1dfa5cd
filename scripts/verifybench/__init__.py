"""The verification benchmark's parts (`scripts/bench_verify.py`): the seeded synthetic data
with known truth (`generate`), putting it into a fresh instance (`instance`), scoring links
and duplicate groups against the truth (`quality`) and the Splink baseline (`splink_run`)."""
