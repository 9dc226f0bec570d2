"""The figure importer: reading a CSV or XLSX safely, then the long or wide table shape."""
