"""Review: people decide on candidate pairs; children are rebuilt from their decisions."""

from kinlink.review.service import ChildRecords, child_records, record_decision, take_back

__all__ = ["ChildRecords", "child_records", "record_decision", "take_back"]
