"""Review: people decide on candidate pairs; children are rebuilt from their decisions."""
