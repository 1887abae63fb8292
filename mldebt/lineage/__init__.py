"""Column lineage: which columns a data-frame-like value has, as a lattice (``columnset``).

Pure values and their operations, with no knowledge of syntax, files or catalogs: the parser's
dataflow collector (``mldebt.parse.collectors.dataflow``) computes sets with them on a file's
walk, and the graph resolves what a file could not know (column lists imported from another
module) once every file's facts are in.
"""
