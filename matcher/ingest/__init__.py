"""Records coming in and going out: the importer (crawled and uploaded files), résumés, jobs posted by enterprises,
candidates registering, and exports."""
