"""The verifier's pages (runs, the review queues, results, thresholds) and the data-quality
scorecard, one module each; `common` holds what they share."""
