"""The money pages: bills (`bills`), payments (`payments`), budget and reports (`budget`)."""
