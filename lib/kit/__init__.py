"""The kit the user takes to the lenders: letters, call notes, checklists."""
