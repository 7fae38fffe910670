"""Words for codes: roles, kinds of list, sexes, statuses — marked for translation.

Each table maps a stored code to an English label marked with ``N_``; templates show
``label(table, code)``, translated into the reader's language. An unknown code is shown
as it is.
"""

from __future__ import annotations

from kinlink.web.i18n import N_

__all__ = ["JOB_STATUS", "KINDS", "RECORD_ROLES", "RUN_STATUS", "SEVERITY", "SEXES",
           "USER_ROLES", "VERDICTS"]

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
