"""The money pages: bills (`bills`) and payments (`payments`)."""
