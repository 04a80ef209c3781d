"""What the app does, between the web and storage: adding places, running analyses.

Services take a SQLAlchemy session and plain values (the language of messages included) and
never a request, so the web pages, the API and the command line share them.
"""
