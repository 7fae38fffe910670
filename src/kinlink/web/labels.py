"""Words for codes: roles, kinds of list, sexes, statuses — marked for translation.

Each table maps a stored code to an English label marked with ``N_``; templates show
``label(table, code)``, translated into the reader's language. An unknown code is shown
as it is.
"""

from __future__ import annotations

from kinlink.web.i18n import N_

__all__ = ["CASE_STATUS", "DECISIONS", "EVIDENCE", "JOB_STATUS", "KINDS", "RECORD_ROLES",
           "RUN_STATUS", "SEVERITY", "SEXES", "USER_ROLES", "VERDICTS"]

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
    "running": N_("running"),
    "completed": N_("completed"),
    "refused": N_("refused"),
    "failed": N_("failed"),
    "interrupted": N_("interrupted"),
}

JOB_STATUS = RUN_STATUS

SEVERITY = {"rejected": N_("row rejected"), "field": N_("field not understood")}

VERDICTS = {"same": N_("same name"), "unsure": N_("similar name"),
            "different": N_("different name")}

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
