"""Every number mldebt computes from facts and history, each documented beside its formula:
the complexity of a pipeline's code (complexity), the risk of its ownership (risk), and the
debt score of a run (debt)."""
