"""Every action an audit event can carry, declared once, each with its meaning.

The set is closed: :func:`kinlink.audit.append_event` refuses an action that is not a
member of :class:`AuditAction`, and ``docs/audit.md`` lists them all (a test holds the
page and this module equal). An action names what happened, ``noun.verb`` in the past
tense; the event's ``details`` carry identifiers, counts and codes, never personal data.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["MEANINGS", "AuditAction"]


class AuditAction(StrEnum):
    """What an audit event says happened."""

    ACCESS_REFUSED = "access.refused"
    ACCESS_CSRF_REFUSED = "access.csrf_refused"
    AUTH_FAILED = "auth.failed"
    AUTH_LOCKED = "auth.locked"
    AUTH_REFUSED_LOCKED = "auth.refused_locked"
    AUTH_THROTTLED = "auth.throttled"
    AUTH_REFUSED_THROTTLED = "auth.refused_throttled"
    AUTH_PASSWORD_OK = "auth.password_ok"  # noqa: S105 (an action, not a password)
    AUTH_SECOND_FACTOR_ENROLLED = "auth.second_factor_enrolled"
    AUTH_SIGNED_IN = "auth.signed_in"
    AUTH_SIGNED_OUT = "auth.signed_out"
    AUTH_SESSION_ENDED = "auth.session_ended"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_PASSWORD_CHANGED = "user.password_changed"  # noqa: S105
    USER_PASSWORD_CHANGE_REFUSED = "user.password_change_refused"  # noqa: S105
    USER_PASSWORD_RESET = "user.password_reset"  # noqa: S105
    USER_SECOND_FACTOR_RESET = "user.second_factor_reset"
    USER_UNLOCKED = "user.unlocked"
    AGENCY_CREATED = "agency.created"
    AGENCY_RENAMED = "agency.renamed"
    SOURCE_SHARED = "source.shared"
    SOURCE_UNSHARED = "source.unshared"
    AUDIT_VERIFIED = "audit.verified"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_KEY_ROTATED = "audit.key_rotated"
    STORE_BACKED_UP = "store.backed_up"
    STORE_RESTORED = "store.restored"
    ERASURES_REAPPLIED = "erasures.reapplied"
    DASHBOARD_VIEW = "dashboard.view"
    IMPORT_COMPLETED = "import.completed"
    IMPORT_REFUSED = "import.refused"
    IMPORT_FAILED = "import.failed"
    IMPORT_CANCELLED = "import.cancelled"
    IMPORT_INTERRUPTED = "import.interrupted"
    IMPORT_REPORT_DOWNLOADED = "import.report_downloaded"
    IMPORT_MAPPING_SAVED = "import.mapping_saved"
    RECORDS_SEARCH = "records.search"
    RECORDS_LIST = "records.list"
    RECORD_READ = "record.read"
    RECORD_READ_REFUSED = "record.read_refused"
    SCOPE_REFUSED = "scope.refused"
    LINKAGE_MATCH = "linkage.match"
    REVIEW_QUEUE_READ = "review.queue_read"
    DECISION_RECORDED = "decision.recorded"
    DECISION_UNDONE = "decision.undone"
    REMOTE_PAIRS_IMPORTED = "remote.pairs_imported"
    REMOTE_DECISION_RECORDED = "remote.decision_recorded"
    CHILD_READ = "child.read"
    CHILD_IDENTITIES = "child.identities"
    CASE_OPENED = "case.opened"
    CASE_READ = "case.read"
    CASE_ADVANCED = "case.advanced"
    CASE_PHOTO_ATTACHED = "case.photo_attached"
    CASES_LISTED = "cases.listed"
    CASES_LISTED_FOR_MEDIATION = "cases.listed_for_mediation"
    CHANNEL_CREATED = "channel.created"
    CHANNELS_TRACKED = "channels.tracked"
    LIST_CREATED = "list.created"
    LIST_CHILDREN_ADDED = "list.children_added"
    LIST_CHILD_REMOVED = "list.child_removed"
    LIST_READ = "list.read"
    LIST_EXPORTED = "list.exported"
    LIST_EXPORT_DOWNLOADED = "list.export_downloaded"
    LIST_SENT = "list.sent"
    ANSWERS_IMPORTED = "answers.imported"
    ANSWERS_READ = "answers.read"
    ANSWER_CONFIRM = "answer.confirm"
    ANSWER_ASSIGN = "answer.assign"
    ANSWER_DISMISS = "answer.dismiss"
    ANSWERS_APPLIED = "answers.applied"
    RECORD_REGISTERED = "record.registered"
    RECORD_CORRECTED = "record.corrected"
    RECORD_VERSION_READ = "record.version_read"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    CASE_ASSIGNED = "case.assigned"
    CASE_CLAIMED = "case.claimed"
    CASES_EXPORTED = "cases.exported"
    CASE_CONTACT_LOGGED = "case.contact_logged"
    CASE_TASK_ADDED = "case.task_added"
    CASE_TASK_DONE = "case.task_done"
    CASE_TASK_REOPENED = "case.task_reopened"
    WORK_READ = "work.read"
    DOCUMENT_UPLOADED = "document.uploaded"
    DOCUMENT_READ = "document.read"
    DOCUMENT_VIEWED = "document.viewed"
    DOCUMENT_DOWNLOADED = "document.downloaded"
    DOCUMENT_ATTACHED = "document.attached"
    DOCUMENT_RESTRICTED = "document.restricted"
    DOCUMENTS_LISTED = "documents.listed"
    PHOTO_FLAGGED = "photo.flagged"
    PHOTO_FLAG_CONFIRMED = "photo.flag_confirmed"
    PHOTO_FLAG_DISMISSED = "photo.flag_dismissed"
    PHOTO_FLAGS_LISTED = "photo.flags_listed"
    PHOTOS_HASHED = "photos.hashed"
    PHOTO_VIEWED = "photo.viewed"
    DOCUMENT_BUNDLED = "document.bundled"
    EVIDENCE_BUNDLE_MADE = "evidence.bundle_made"
    DOCUMENT_TEXT_EXTRACTED = "document.text_extracted"
    DOCUMENT_SCREENED = "document.screened"
    MENTIONS_LISTED = "mentions.listed"
    MENTION_CONFIRMED = "mention.confirmed"
    MENTION_REJECTED = "mention.rejected"
    STATISTICS_PREPARED = "statistics.prepared"
    STATISTICS_PREVIEWED = "statistics.previewed"
    STATISTICS_PUBLISHED = "statistics.published"
    STATISTICS_WITHDRAWN = "statistics.withdrawn"
    STATISTICS_SWITCHED = "statistics.switched"
    HOLD_PLACED = "hold.placed"
    HOLD_LIFTED = "hold.lifted"
    HOLDS_LISTED = "holds.listed"
    DATA_ERASED = "data.erased"
    ERASURE_REFUSED = "erasure.refused"
    RETENTION_RULE_SET = "retention.rule_set"
    RETENTION_PLANNED = "retention.planned"
    RETENTION_RUN = "retention.run"
    STORE_COMPACTED = "store.compacted"

    @property
    def meaning(self) -> str:
        """What the action means, in one line."""
        return MEANINGS[self]


_A = AuditAction

MEANINGS: dict[AuditAction, str] = {
    _A.ACCESS_REFUSED: "a signed-in person asked for something their role does not allow "
                       "(the route's path template, the action and the role)",
    _A.ACCESS_CSRF_REFUSED: "a form or request came without the session's CSRF token",
    _A.AUTH_FAILED: "a sign-in attempt failed (wrong name, password or code)",
    _A.AUTH_LOCKED: "an account was locked after repeated failed sign-ins (before "
                    "migration 0009; accounts are throttled now, never locked)",
    _A.AUTH_REFUSED_LOCKED: "a sign-in to a locked account was refused (before migration "
                            "0009)",
    _A.AUTH_THROTTLED: "a failed sign-in made the next attempt on this account or from this "
                       "address wait (the scope, the failures and the seconds)",
    _A.AUTH_REFUSED_THROTTLED: "a sign-in attempt came during a wait and was refused "
                               "unchecked (the first of each wait; the scope and the seconds "
                               "left)",
    _A.AUTH_PASSWORD_OK: "the password was right; the second factor is still to come",
    _A.AUTH_SECOND_FACTOR_ENROLLED: "a person set up their second factor",
    _A.AUTH_SIGNED_IN: "a person signed in (password and second factor)",
    _A.AUTH_SIGNED_OUT: "a person signed out",
    _A.AUTH_SESSION_ENDED: "a session ended without signing out (idle, too old, replaced)",
    _A.USER_CREATED: "an administrator created an account",
    _A.USER_UPDATED: "an administrator changed an account's role, agency, language or state",
    _A.USER_PASSWORD_CHANGED: "a person changed their own password",
    _A.USER_PASSWORD_CHANGE_REFUSED: "a password change was refused (wrong current "
                                     "password or a weak new one)",
    _A.USER_PASSWORD_RESET: "an administrator issued a new password",
    _A.USER_SECOND_FACTOR_RESET: "an administrator made a person set up a new second factor",
    _A.USER_UNLOCKED: "an administrator cleared an account's failed sign-ins and its wait",
    _A.AGENCY_CREATED: "an administrator created an agency",
    _A.AGENCY_RENAMED: "an administrator renamed an agency",
    _A.SOURCE_SHARED: "a list was shared with another agency",
    _A.SOURCE_UNSHARED: "a list's sharing with another agency ended",
    _A.AUDIT_VERIFIED: "someone checked the audit chain (with the result's counts)",
    _A.AUDIT_CHECKPOINT: "someone wrote the audit chain's head to a signed checkpoint file",
    _A.AUDIT_KEY_ROTATED: "the key that authenticates new audit events was replaced (old "
                          "and new key ids; old keys are kept to verify older events)",
    _A.STORE_BACKED_UP: "the store was copied into an encrypted backup file (the id, hash "
                        "and count of the audit head it holds, its counts, the file's SHA-256)",
    _A.STORE_RESTORED: "the store was restored from a backup (the id, hash and count of "
                       "the backup's audit head)",
    _A.ERASURES_REAPPLIED: "after a restore, the erasures made since the backup was taken "
                           "(read from the data folder's erasure ledger) were made again "
                           "(how many; each is its own data.erased)",
    _A.DASHBOARD_VIEW: "someone read the dashboard's counts",
    _A.IMPORT_COMPLETED: "a list was imported: its rows became records or reported errors",
    _A.IMPORT_REFUSED: "a list file was refused whole (unreadable, no usable header, "
                       "beyond a limit)",
    _A.IMPORT_FAILED: "an import stopped on an unexpected error; nothing of it was kept",
    _A.IMPORT_CANCELLED: "a person cancelled an import (or an upload waiting for one); "
                         "nothing of it was kept, or, while linking, the list stays "
                         "imported unlinked",
    _A.IMPORT_INTERRUPTED: "an import or upload was stopped by its time or memory budget, "
                           "or found at a server's start left by a process that is gone; "
                           "nothing of it was kept",
    _A.IMPORT_REPORT_DOWNLOADED: "someone downloaded an import's error report or rejected "
                                 "rows (they hold rows verbatim)",
    _A.IMPORT_MAPPING_SAVED: "someone saved the column mapping of a producer's lists on "
                             "the Imports page (the producer and the fields mapped, never "
                             "the file's rows)",
    _A.RECORDS_SEARCH: "someone searched records (the number of hits, never the terms)",
    _A.RECORDS_LIST: "someone listed records at the command line",
    _A.RECORD_READ: "someone read one record",
    _A.RECORD_READ_REFUSED: "a record outside the person's agency was asked for",
    _A.SCOPE_REFUSED: "something outside the person's agency (a pair, child, case, channel, "
                      "list or answer), or that does not exist, was asked for; answered as "
                      "missing (the kind and id only)",
    _A.LINKAGE_MATCH: "the store was linked: candidate pairs scored and kept (counts)",
    _A.REVIEW_QUEUE_READ: "someone read the review queue (the pairs shown)",
    _A.DECISION_RECORDED: "a person decided whether two records are the same child",
    _A.DECISION_UNDONE: "a person took a decision back; the one before it is in force again",
    _A.REMOTE_PAIRS_IMPORTED: ("a linkage unit's pairs file was imported for a list: its pairs "
                               "kept as records another party holds (counts only)"),
    _A.REMOTE_DECISION_RECORDED: ("a person decided whether a record another party holds "
                                  "is the same child as one of ours"),
    _A.CHILD_READ: ("someone read a child's file: its records side by side, its cases and "
                    "(for roles that may read cases) their histories"),
    _A.CHILD_IDENTITIES: "someone read the possible new identities of a reported child",
    _A.CASE_OPENED: "a case was opened for a reported child",
    _A.CASE_READ: ("someone read a case with its history (the counts of the child's records "
                   "shown and hidden); one event per view of the case page, which reads the "
                   "case with its contact log and tasks in one call (their counts too: "
                   "`contacts`, `tasks`); reading only the contact log or the tasks (JSON API) "
                   "is one event with its count"),
    _A.CASE_ADVANCED: "a case moved one step of the workflow (from, to, evidence)",
    _A.CASE_PHOTO_ATTACHED: "a photograph was attached to a case for dossiers",
    _A.CASES_LISTED: "someone listed cases",
    _A.CASES_LISTED_FOR_MEDIATION: "someone listed the cases that may go on a list",
    _A.CHANNEL_CREATED: "a supervisor defined a mediation channel and what it may receive",
    _A.CHANNELS_TRACKED: "someone read how a channel's lists are answered",
    _A.LIST_CREATED: "a draft list for a channel was started",
    _A.LIST_CHILDREN_ADDED: "children were put on a draft list",
    _A.LIST_CHILD_REMOVED: "a child was taken off a draft list",
    _A.LIST_READ: "someone read a list as its channel receives it",
    _A.LIST_EXPORTED: "a list was exported as an encrypted file (its SHA-256)",
    _A.LIST_EXPORT_DOWNLOADED: "the encrypted export of a list was downloaded",
    _A.LIST_SENT: "a list was marked sent and frozen; its verified cases moved on",
    _A.ANSWERS_IMPORTED: "the other side's answer to a list was imported (counts)",
    _A.ANSWERS_READ: "someone read a list's reconciliation",
    _A.ANSWER_CONFIRM: "a person confirmed an answer matched by names",
    _A.ANSWER_ASSIGN: "a person assigned an answer to a child's reference",
    _A.ANSWER_DISMISS: "a person dismissed an answer, saying why",
    _A.ANSWERS_APPLIED: "ready answers were applied to their cases through the workflow",
    _A.RECORD_REGISTERED: "a person registered a report or a found child by hand (the "
                          "record, its source, the intake channel, the consent given)",
    _A.RECORD_CORRECTED: "a person corrected a record: a new version, the earlier one kept "
                         "(the fields changed, never their values; the reason is kept with "
                         "the version)",
    _A.RECORD_VERSION_READ: "someone read an earlier version of a corrected record",
    _A.CONSENT_WITHDRAWN: "a reporter's consent was withdrawn: the report left matching, "
                          "review and lists",
    _A.CASE_ASSIGNED: "a supervisor gave a case to a person (or took it from them)",
    _A.CASE_CLAIMED: "a person took a case for themselves",
    _A.CASES_EXPORTED: "someone downloaded the caseload's view as a CSV file (the count)",
    _A.CASE_CONTACT_LOGGED: "a contact with a family or an office was logged on a case",
    _A.CASE_TASK_ADDED: "a task with a due date was set on a case",
    _A.CASE_TASK_DONE: "a case's task was marked done",
    _A.CASE_TASK_REOPENED: "a case's task marked done was opened again",
    _A.WORK_READ: "someone read their own (or their team's) work: pairs, cases, tasks",
    _A.DOCUMENT_UPLOADED: "an evidence document was kept: its original's SHA-256, size and "
                          "type, where it was attached, the working copy's SHA-256",
    _A.DOCUMENT_READ: "someone read a document's page: its collection record and custody "
                      "log (the original's SHA-256)",
    _A.DOCUMENT_VIEWED: "someone viewed a document's working copy (its SHA-256), or a "
                        "picture taken out of it (`picture`: its number, from 0, and the "
                        "SHA-256 of the copy shown)",
    _A.DOCUMENT_DOWNLOADED: "someone downloaded a document's original (its SHA-256)",
    _A.DOCUMENT_ATTACHED: "a document was attached to a case, record or list, or moved "
                          "(from and to, by kind and id; `by`: `mention` when a confirmed "
                          "mention moved it, `link` when a link confirmed later brought a "
                          "confirmed mention's document to the child's case, with the "
                          "mention and the record)",
    _A.DOCUMENT_RESTRICTED: "a document's restriction to named roles was set or lifted "
                            "(the roles)",
    _A.DOCUMENTS_LISTED: "someone listed documents (the filter's kind and the count)",
    _A.PHOTO_FLAGGED: "a new photograph was found near one the agency already held: a "
                      "flag for a person (the two pictures' ids and distances), never a link",
    _A.PHOTO_FLAG_CONFIRMED: "a person said two flagged pictures are the same photograph",
    _A.PHOTO_FLAG_DISMISSED: "a person said two flagged pictures are not the same photograph",
    _A.PHOTO_FLAGS_LISTED: "someone listed flagged photographs (the statuses and the count)",
    _A.PHOTO_VIEWED: "someone viewed a case photograph shown beside a flag (its id)",
    _A.PHOTOS_HASHED: "existing documents and case photographs were hashed (the counts)",
    _A.DOCUMENT_BUNDLED: "a document's original went into an evidence bundle (its SHA-256 "
                         "and the bundle's)",
    _A.EVIDENCE_BUNDLE_MADE: "someone made the evidence bundle of a case: the bundle's "
                             "SHA-256, its size, the counts of files and documents, whether "
                             "encrypted and time-stamped, and when a configured time-stamp "
                             "authority gave no stamp the code of why (`timestamp_problem`)",
    _A.DOCUMENT_TEXT_EXTRACTED: "a document's text was extracted: the text's SHA-256, the "
                                "tool and version, the codes of any warning",
    _A.DOCUMENT_SCREENED: "a document's text was screened for the names of children (how "
                          "many records, how many new mentions)",
    _A.MENTIONS_LISTED: "someone read the mentions waiting for review (the count)",
    _A.MENTION_CONFIRMED: "a person confirmed that a document mentions a record's child "
                          "(the mention, the record, where the document was attached)",
    _A.MENTION_REJECTED: "a person rejected a mention of a record's child in a document",
    _A.STATISTICS_PREPARED: "someone prepared a release of public statistics (its id, "
                            "as-of day, the counts of tables, cases and cells suppressed)",
    _A.STATISTICS_PREVIEWED: "someone read a release with its raw counts, before or after "
                             "publishing it (its id)",
    _A.STATISTICS_PUBLISHED: "a release of public statistics was published: the public "
                             "page shows it from now on (its id, the one it replaced)",
    _A.STATISTICS_WITHDRAWN: "a release of public statistics was withdrawn (its id)",
    _A.STATISTICS_SWITCHED: "an agency's public statistics page was switched on or off",
    _A.HOLD_PLACED: "a supervisor placed a legal hold on a case, record, list or document (the "
                    "hold's id, what it is on); its reference and reason stay with the hold",
    _A.HOLD_LIFTED: "a supervisor lifted a legal hold (its id, what it was on); the reason stays "
                    "with the hold",
    _A.HOLDS_LISTED: "someone listed legal holds (the count)",
    _A.DATA_ERASED: "a record, reporter, list, document, case's notes or photograph was erased "
                    "(kind, id, basis, rule, how many fields, the tombstone's id), never a value",
    _A.ERASURE_REFUSED: "an erasure was refused because a legal hold covers the thing (kind, id, "
                        "the hold's id)",
    _A.RETENTION_RULE_SET: "a retention rule was added, or put in or out of force (its id, group, "
                           "anchor, days)",
    _A.RETENTION_PLANNED: "someone asked what the retention rules would erase (how many due, how "
                          "many held)",
    _A.RETENTION_RUN: "the retention rules were applied (how many erased, how many held and "
                      "skipped)",
    _A.STORE_COMPACTED: "the store was compacted after erasure so erased values leave its files "
                        "(the backend, how many tables, how many older transactions were "
                        "still open)",
}
