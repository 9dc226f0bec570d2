"""Keying figures by hand on a grid: the campaign's platforms x periods for one offence and unit,
typed from an answer the importer cannot read (a scanned PDF, a letter), then keyed again blind
by a second person."""
