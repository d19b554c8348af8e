"""Tools that build and check the course (for maintainers; learners never import these)."""
