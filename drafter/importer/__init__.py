"""`drafter import`: an existing Word document turned into a draft (issue 18)."""
