"""Name handling for kinlink: transliteration, and later canonical forms and keys."""
