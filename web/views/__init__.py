"""The pages, by area. Each reads through the selectors that scope the API and writes through
the same services, so the status machine, the deadlines and the event log stay the one path."""
