"""What :func:`kinlink.evidence.bundle.verify_bundle` finds, in words (coded, translated)."""

from __future__ import annotations

from kinlink.i18n import N_, Wording

__all__ = ["ADDED", "ALTERED", "BAD_TIMESTAMP", "BAG_INFO_CHANGED", "ENCRYPTED", "MISSING",
           "NOT_A_BUNDLE", "OXUM", "TIMESTAMP_NOT_GRANTED", "TIMESTAMP_OTHER_FILE",
           "TIMESTAMP_UNREACHABLE", "TWICE", "UNREADABLE"]

MISSING = Wording("bundle.missing", N_("{path} is missing: it was removed after the bundle "
                                       "was made"))
ADDED = Wording("bundle.added", N_("{path} was added after the bundle was made"))
ALTERED = Wording("bundle.altered", N_("{path} was altered after the bundle was made"))
TWICE = Wording("bundle.twice", N_("{path} is in the bundle twice"))
UNREADABLE = Wording("bundle.unreadable",
                     N_("{path} cannot be read: the bundle's file is damaged"))
BAG_INFO_CHANGED = Wording(
    "bundle.bag_info_changed",
    N_("the bundle's description (bag-info.txt: who made it, when, for which case) was "
       "changed after the bundle was made"))
OXUM = Wording("bundle.oxum", N_("the bundle says its files hold {declared} (bytes.files) "
                                 "but they hold {actual}"))
BAD_TIMESTAMP = Wording("bundle.bad_timestamp",
                        N_("the time-stamp token is damaged or its signature does not "
                           "verify"))
TIMESTAMP_OTHER_FILE = Wording(
    "bundle.timestamp_other_file",
    N_("the time-stamp token stamps another tag manifest than this bundle's"))
NOT_A_BUNDLE = Wording("bundle.not_a_bundle", N_("the file is not an evidence bundle"))
ENCRYPTED = Wording("bundle.encrypted",
                    N_("the bundle is encrypted: give its password to verify it"))
TIMESTAMP_UNREACHABLE = Wording(
    "bundle.timestamp_unreachable",
    N_("the time-stamp authority {url} could not be reached ({reason}): the bundle was "
       "made without a time stamp (KINLINK_TSA_URL)"))
TIMESTAMP_NOT_GRANTED = Wording(
    "bundle.timestamp_not_granted",
    N_("the time-stamp authority {url} did not grant a time stamp: the bundle was made "
       "without one (KINLINK_TSA_URL)"))
