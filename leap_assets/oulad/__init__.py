"""The OULAD import: a public data set turned into a landing zone in the source formats."""
