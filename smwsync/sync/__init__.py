"""Running a whole sync: read, clean, place, select, publish, report."""
