"""Words for codes: roles, kinds of list, sexes, statuses — marked for translation.

Each table maps the members of one of the domain's enums (the only vocabulary: stored
codes are their values) to an English label marked with ``N_``; templates show
``label(table, code)``, translated into the reader's language. :data:`LABELLED` says
which table names which enum; a test fails when a member has no label in English or
Ukrainian, or when an enum of the domain has no table.
"""

from __future__ import annotations

from enum import StrEnum

from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.casework import ContactChannel
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.documents import AttachmentKind, CollectionMethod
from kinlink.domain.imports import ImportStatus, Severity
from kinlink.domain.mediation import (
    AnswerHow,
    AnswerOutcome,
    AnswerState,
    AnswerStatus,
    ApplyResult,
    ChannelKind,
    ExportFormat,
    ListField,
    ListStatus,
)
from kinlink.domain.mentions import MentionStatus
from kinlink.domain.permissions import Action
from kinlink.domain.progress import Stage
from kinlink.domain.records import Role, Sex, SourceKind
from kinlink.domain.registration import IntakeChannel
from kinlink.domain.retention import Anchor, ErasureBasis, ErasureKind, FieldGroup, HoldTarget
from kinlink.domain.users import UserRole
from kinlink.names.compare import Verdict
from kinlink.names.variance import Kind
from kinlink.statistics.release import Reason
from kinlink.web.i18n import N_

__all__ = [
    "ANCHORS",
    "ANSWER_HOW",
    "ANSWER_OUTCOMES",
    "ANSWER_STATES",
    "ANSWER_STATUS",
    "APPLY_RESULTS",
    "CASE_STATUS",
    "CHANNEL_KINDS",
    "CONTACT_CHANNELS",
    "DECISIONS",
    "DEFAULT_AGENCY",
    "ERASED_TABLES",
    "ERASURE_BASES",
    "ERASURE_KINDS",
    "EVIDENCE",
    "EXPORT_FORMATS",
    "FIELD_GROUPS",
    "FORM_TITLES",
    "HOLD_TARGETS",
    "INTAKE_CHANNELS",
    "JOB_STATUS",
    "KINDS",
    "LABELLED",
    "LIST_FIELDS",
    "LIST_STATUS",
    "MENTION_STATUS",
    "PERMISSIONS",
    "RECORD_ROLES",
    "RELEASE_STATUS",
    "RUN_STATUS",
    "SEVERITY",
    "SEXES",
    "STAGES",
    "SUPPRESSION_REASONS",
    "SYSTEMS",
    "USER_ROLES",
    "VARIANCES",
    "VERDICTS",
]

DEFAULT_AGENCY = N_("Home agency")
"""The name the first migration gives the first agency: shown in the reader's language
until an administrator renames the agency (any other name is shown as it was given)."""

USER_ROLES = {
    "admin": N_("administrator"),
    "supervisor": N_("supervisor"),
    "case_worker": N_("case worker"),
    "reviewer": N_("reviewer"),
    "analyst": N_("analyst"),
    "mediator_liaison": N_("mediator liaison"),
    "viewer": N_("viewer"),
}

KINDS = {
    "list": N_("list"),
    "family_reports": N_("family reports"),
    "form": N_("form"),
    "adoption_registry": N_("adoption registry"),
    "camp_list": N_("camp list"),
    "institution_list": N_("institution list"),
    "mediator_list": N_("mediator's list"),
    "media": N_("media"),
}

RECORD_ROLES = {"sought": N_("reported missing"), "found": N_("found")}

SEXES = {"M": N_("boy"), "F": N_("girl")}

RUN_STATUS = {
    "queued": N_("queued"),
    "running": N_("running"),
    "completed": N_("completed"),
    "refused": N_("refused"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
    "interrupted": N_("interrupted"),
}

JOB_STATUS = RUN_STATUS

STAGES = {
    "reading": N_("Reading the list"),
    "linking": N_("Linking with the store"),
    "opening_cases": N_("Opening cases"),
}

SEVERITY = {"rejected": N_("row rejected"), "field": N_("field not understood")}

VERDICTS = {"same": N_("same name"), "unsure": N_("similar name"),
            "different": N_("different name")}

VARIANCES = {
    "same": N_("as typed"),
    "letters": N_("Ukrainian and Russian letters"),
    "latin": N_("Latin"),
    "russian_form": N_("Russian form"),
    "diminutive": N_("diminutive"),
    "gender_form": N_("male or female form"),
    "letter_shift": N_("і/и/е shift"),
    "one_letter": N_("one letter differs"),
    "spelling": N_("similar spelling"),
    "different": N_("different"),
}
"""How a part of a name found differs from the one typed (:class:`kinlink.names.variance.Kind`)."""

SYSTEMS = {
    "kmu_2010": N_("Ukrainian passport 2010"),
    "ua_passport_2007": N_("passport 2007"),
    "ua_german": N_("German transcription"),
    "ua_national_1996": N_("Ukrainian 1996 system"),
    "ua_bgn_1965": N_("BGN 1965"),
    "ua_french": N_("French transcription"),
    "ru_icao_9303": N_("Russian passport since 2013"),
    "ru_gost_52535": N_("Russian passport 2010–2013"),
    "ru_mvd_310": N_("Russian passport 1997–2010"),
    "ru_mvd_310_fr": N_("Soviet passport"),
    "ru_bgn_pcgn": N_("BGN/PCGN"),
    "ru_wikipedia": N_("English habit"),
    "ru_english": N_("English habit"),
}
"""The transliteration systems (:class:`kinlink.names.System`, not a ``StrEnum``: a test
checks this table against it)."""

CASE_STATUS = {
    "reported": N_("reported"),
    "located": N_("located"),
    "identity_verified": N_("identity verified"),
    "return_requested": N_("return requested"),
    "in_return": N_("in return"),
    "returned": N_("returned"),
    "reunited": N_("reunited"),
    "found_with_family": N_("found with family"),
    "reached_adulthood": N_("reached adulthood"),
    "deceased": N_("deceased"),
    "withdrawn": N_("withdrawn"),
}

EVIDENCE = {
    "documents": N_("documents"),
    "dna": N_("DNA"),
    "family_confirmation": N_("confirmed by the family"),
    "channel_list": N_("channel list"),
    "return_record": N_("record of the return"),
    "official_record": N_("official record"),
}

DECISIONS = {"same": N_("the same child"), "different": N_("different children"),
             "unsure": N_("unsure"), "none": N_("no decision")}

CHANNEL_KINDS = {
    "state_mediator": N_("state mediator"),
    "international_organisation": N_("international organisation"),
    "envoy": N_("envoy's office"),
    "ngo": N_("non-governmental organisation"),
    "other": N_("other"),
}

RELEASE_STATUS = {"draft": N_("draft"), "published": N_("published"),
                  "withdrawn": N_("withdrawn")}
"""Where a release of public statistics stands."""

SUPPRESSION_REASONS = {"primary": N_("under 10"),
                       "secondary": N_("hidden to protect a cell under 10")}
"""Why disclosure control suppressed a cell (the preparer's page only)."""

CONTACT_CHANNELS = {
    "phone": N_("phone call"),
    "visit": N_("visit"),
    "message": N_("message"),
    "email": N_("email"),
    "letter": N_("letter"),
    "other": N_("other way"),
}

LIST_FIELDS = {
    "name_uk": N_("name in Ukrainian"),
    "name_ru": N_("name in Russian forms"),
    "name_latin": N_("name in Latin letters (Ukrainian passport)"),
    "name_latin_ru": N_("name in Latin letters (Russian passport)"),
    "sex": N_("sex"),
    "birth_date": N_("date of birth"),
    "birth_place": N_("place of birth"),
    "last_known_place": N_("last known place"),
    "removal_date": N_("date of removal"),
    "found_as": N_("name on the list of found children"),
    "remote_match": N_("its record on another party's list (party and reference, no name)"),
    "family_request": N_("the family's request (dossiers only)"),
    "photo": N_("photograph (dossiers only)"),
}

RECORD_FIELDS = {
    "record_id": N_("record number"), "given_name": N_("given name"),
    "surname": N_("surname"), "patronymic": N_("patronymic"),
    "full_name": N_("full name"), "sex": N_("sex"), "birth_date": N_("date of birth"),
    "birth_place": N_("place of birth"), "last_known_place": N_("last known place"),
    "event_date": N_("date of the event"), "source": N_("source"), "notes": N_("notes"),
    "reporter_name": N_("who reported"), "reporter_relationship": N_("reporter's relation"),
    "reporter_contact": N_("reporter's contact"), "institution": N_("institution"),
    "moved_on": N_("date moved"), "group": N_("group"),
    "siblings_count": N_("number of siblings"),
}
"""The record list format's fields (:data:`kinlink.listfiles.columns.FIELDS`), as the
import preview names them."""

LIST_STATUS = {"draft": N_("draft"), "sent": N_("sent"), "closed": N_("closed")}

EXPORT_FORMATS = {
    "xlsx": N_("spreadsheet (XLSX)"),
    "csv": N_("table (CSV)"),
    "pdf": N_("printable list (PDF)"),
    "dossiers": N_("one dossier per child (PDF)"),
}

ANSWER_STATUS = {
    "located": N_("located"),
    "not_found": N_("not found"),
    "with_relatives": N_("with relatives"),
    "adult": N_("now an adult"),
    "to_be_returned": N_("to be returned"),
    "returned": N_("returned"),
}

ANSWER_OUTCOMES = {"matched": N_("matched"), "contradiction": N_("contradiction"),
                   "unknown": N_("not on the list"), "rejected": N_("row not read")}

ANSWER_HOW = {"reference": N_("by reference"), "names": N_("by names"),
              "person": N_("by a person")}

ANSWER_STATES = {
    "pending": N_("waits for a person"),
    "ready": N_("ready to apply"),
    "applied": N_("applied"),
    "no_change": N_("nothing to change"),
    "dismissed": N_("dismissed"),
}

APPLY_RESULTS = {"applied": N_("applied"), "no_change": N_("nothing to change"),
                 "pending": N_("left for a person")}

PERMISSIONS = {
    "account.self": N_("Manage your own account"),
    "dashboard.view": N_("See the dashboard"),
    "records.search": N_("Search records"),
    "records.read": N_("Read records"),
    "records.contact": N_("See who reported a child and how to reach them"),
    "records.register": N_("Register a report or a found child"),
    "records.correct": N_("Correct a record"),
    "records.consent": N_("Record or withdraw a reporter's consent"),
    "sources.view": N_("See the lists"),
    "sources.share": N_("Share lists with other agencies"),
    "imports.view": N_("See imports"),
    "imports.create": N_("Import lists"),
    "admin.users": N_("Manage users"),
    "admin.agencies": N_("Manage agencies"),
    "child.view": N_("Read a child's file"),
    "review.view": N_("See the review queue"),
    "review.decide": N_("Decide whether two records are the same child"),
    "cases.view": N_("Read cases"),
    "cases.transition": N_("Move a case to its next status"),
    "cases.assign": N_("Assign a case to a person"),
    "cases.work": N_("Take a case, log contacts and set tasks"),
    "mediation.view": N_("See mediation channels and lists"),
    "mediation.channels": N_("Define mediation channels"),
    "mediation.lists": N_("Build, export and send lists for mediation"),
    "mediation.answers": N_("Import, settle and apply answers to lists"),
    "mediation.photos": N_("Attach photographs to cases"),
    "documents.view": N_("Read evidence documents"),
    "documents.add": N_("Add evidence documents or attach them"),
    "documents.restrict": N_("Restrict evidence documents to named roles"),
    "evidence.bundle": N_("Make the evidence bundle of a case"),
    "model.view": N_("See the linkage model"),
    "audit.verify": N_("Verify the audit log or write its checkpoint"),
    "audit.keys": N_("Replace the audit log's key"),
    "statistics.publish": N_("Prepare, publish or withdraw public statistics"),
    "statistics.switch": N_("Switch the public statistics page on or off"),
    "holds.view": N_("See legal holds"),
    "holds.manage": N_("Place and lift legal holds"),
    "data.erase": N_("Erase personal data"),
    "retention.view": N_("See the retention rules"),
    "retention.manage": N_("Set and apply the retention rules"),
    "store.backup": N_("Back up and restore the whole store"),
}
"""What each permission lets a person do, as their account page lists it (the codes,
:class:`kinlink.domain.permissions.Action`, are shown beside as a hint)."""

DOC_KINDS = {"inbox": N_("inbox (nothing yet)"), "case": N_("case"), "record": N_("record"),
             "source": N_("list")}
"""What an evidence document can be attached to."""

DOC_CUSTODY = {"document.uploaded": N_("kept (uploaded)"), "document.read": N_("page read"),
               "document.viewed": N_("working copy viewed"),
               "document.downloaded": N_("original downloaded"),
               "document.attached": N_("attached or moved"),
               "document.restricted": N_("restriction changed"),
               "document.text_extracted": N_("text extracted"),
               "document.screened": N_("screened for children's names"),
               "mention.confirmed": N_("mention confirmed"),
               "mention.rejected": N_("mention rejected")}
"""The steps of a document's chain of custody, keyed by their audit action."""

DOC_TYPES = {"text": N_("plain text")}
"""Document types shown as a word (the others by their format's name, upper case)."""

DOC_METHODS = {"download": N_("downloaded"), "scan": N_("scanned"), "photo": N_("photographed"),
               "handed_over": N_("handed over"), "screenshot": N_("screenshot")}
"""How an evidence document was collected."""

MENTION_STATUS = {"waiting": N_("waiting for review"), "confirmed": N_("mention confirmed"),
                  "rejected": N_("mention rejected")}
"""Where a mention of a child in a document stands."""

INTAKE_CHANNELS = {"hotline": N_("hotline"), "visit": N_("visit"), "online": N_("online"),
                   "other": N_("other")}

FORM_TITLES = {
    "Report (hotline)": N_("Report taken on the hotline"),
    "Report (visit)": N_("Report taken at a visit"),
    "Report (online)": N_("Report sent online"),
    "Report (other)": N_("Report taken another way"),
    "Found child (hotline)": N_("Found child, reported on the hotline"),
    "Found child (visit)": N_("Found child, reported at a visit"),
    "Found child (online)": N_("Found child, reported online"),
    "Found child (other)": N_("Found child, reported another way"),
}
"""The words for the title of a list made by the registration form, keyed by the title
it is kept under (:func:`kinlink.domain.registration.form_title`: one per role and
channel); lists uploaded from a file keep the title they were given."""


HOLD_TARGETS = {"case": N_("case"), "record": N_("record"), "source": N_("list"),
                "document": N_("document")}
"""What a legal hold is placed on."""

ERASURE_KINDS = {"record": N_("record"), "reporter": N_("reporter"), "source": N_("list"),
                 "document": N_("document"), "case_notes": N_("case notes"),
                 "case_photo": N_("case photograph")}
"""What an erasure reaches."""

ERASURE_BASES = {"request": N_("on request"), "retention": N_("by a retention rule"),
                 "consent_withdrawn": N_("after consent was withdrawn")}
"""Why something was erased."""

FIELD_GROUPS = {"record": N_("the whole record"), "reporter_contact": N_("reporter's contact"),
                "notes": N_("contact log and tasks"), "photographs": N_("photographs"),
                "documents": N_("evidence documents")}
"""The groups of fields a retention rule keeps for a time."""

ANCHORS = {"case_closed": N_("after the case is closed"),
           "received": N_("after the list was received"),
           "consent_withdrawn": N_("after the consent was withdrawn")}
"""The moment a retention period counts from."""

ERASED_TABLES = {
    "records": N_("the child's fields and the row as imported"),
    "reporters": N_("who reported the child and how to reach them"),
    "consents": N_("the reason given when consent was withdrawn"),
    "record_versions": N_("earlier versions of the record and their reasons"),
    "import_issues": N_("values quoted in import warnings"),
    "search_keys": N_("search keys"), "linkage_keys": N_("linkage keys"),
    "mentions": N_("mentions in documents"),
    "candidate_pairs": N_("values shown in the record's pairs"),
    "decisions": N_("notes of decisions on its pairs"),
    "case_contacts": N_("the case's contact log"), "case_tasks": N_("the case's task titles"),
    "case_photos": N_("the case's photograph"), "photo_hashes": N_("photograph hashes"),
    "case_events": N_("reasons of the case's steps"),
    "list_children": N_("what was sent to mediators"),
    "answer_rows": N_("what mediators answered"),
    "documents": N_("documents' file names, origin and descriptions"),
    "evidence": N_("documents' files"), "sources": N_("the list's file name"),
}
"""What an erasure takes, by the table it is taken from (the confirmation step)."""

LABELLED: tuple[tuple[type[StrEnum], dict[str, str]], ...] = (
    (UserRole, USER_ROLES),
    (AttachmentKind, DOC_KINDS),
    (CollectionMethod, DOC_METHODS),
    (MentionStatus, MENTION_STATUS),
    (SourceKind, KINDS),
    (Role, RECORD_ROLES),
    (Sex, SEXES),
    (ImportStatus, RUN_STATUS),
    (Stage, STAGES),
    (Severity, SEVERITY),
    (Verdict, VERDICTS),
    (CaseStatus, CASE_STATUS),
    (EvidenceKind, EVIDENCE),
    (DecisionVerdict, DECISIONS),
    (ChannelKind, CHANNEL_KINDS),
    (ContactChannel, CONTACT_CHANNELS),
    (ListField, LIST_FIELDS),
    (ListStatus, LIST_STATUS),
    (ExportFormat, EXPORT_FORMATS),
    (AnswerStatus, ANSWER_STATUS),
    (AnswerOutcome, ANSWER_OUTCOMES),
    (AnswerHow, ANSWER_HOW),
    (AnswerState, ANSWER_STATES),
    (ApplyResult, APPLY_RESULTS),
    (IntakeChannel, INTAKE_CHANNELS),
    (Kind, VARIANCES),
    (Action, PERMISSIONS),
    (Reason, SUPPRESSION_REASONS),
    (HoldTarget, HOLD_TARGETS),
    (ErasureKind, ERASURE_KINDS),
    (ErasureBasis, ERASURE_BASES),
    (FieldGroup, FIELD_GROUPS),
    (Anchor, ANCHORS),
)
"""Each enum shown to people, and the table of its labels (keyed by the members' values)."""
