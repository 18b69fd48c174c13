"""Reading what the user gives: sums of money, YAML files, proposals, rounds and what-if scenarios."""
