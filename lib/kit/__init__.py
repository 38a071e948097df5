"""What the borrower takes away from the planner: letters, the report, exports."""
