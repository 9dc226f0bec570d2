"""The figure importers: a force's answer read as it was sent (answers, readers, tables, periods,
labels), and the long-format template read row by row (reading, shapes, checking)."""
