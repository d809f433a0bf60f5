"""`bot eval`: answer quality on a labelled question file, through the action's code path."""
