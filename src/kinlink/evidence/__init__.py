"""Documents kept as evidence, and the names of sought children found in them."""
