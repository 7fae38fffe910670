"""Synthetic demo and test data: lists of sought and found children with known truth.

Use :func:`generate` for a small world of linked lists (family reports, adoption
registry, camp roster, institution list, and ``truth.csv``) and :func:`generate_flat`
for one large file for benchmarks; :func:`generate_linkage_pair` writes two lists to link
(family reports against found lists) with their truth. Everything is synthetic and
reproducible from a seed.
"""

from kinlink.demo.generator import DemoConfig, GeneratedFile, generate, generate_flat
from kinlink.demo.linkage_pair import generate_linkage_pair

__all__ = ["DemoConfig", "GeneratedFile", "generate", "generate_flat", "generate_linkage_pair"]
