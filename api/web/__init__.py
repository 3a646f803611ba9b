"""The web console: server-rendered pages for partners, enterprises, candidates and the talent office, served by
the API's own app under /console. Pages call the same services and privacy rules as the JSON routes."""
