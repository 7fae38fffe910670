"""Use cases: one function per user action, the only thing the doors call.

The command line, the JSON API, the pages and the background jobs reach every user action
(import a list, decide a pair, advance a case, send a list…) through the same function
here, so no door can do less — or more — than another. A use case checks the actor's
permission against the one matrix (:mod:`kinlink.domain.permissions`), owns its
transaction boundary (bulk work: many short ones), writes its audit events in the same
transaction as the change, composes the services (which never call each other), and
returns read models — frozen dataclasses, never rows of the store.
"""
