"""Intake's pages, one module per part of the flow: uploads (the upload form, the column
mapping screen, corrected files, the empty template), jobs (progress of a background import),
submissions (the lists, their rows, submitting and deleting), entry (walk-in workers typed in
one by one) and feedback (the feedback file of a list). Each view is thin: a form or a
selector, one service call, a template."""
