"""Collectors: one concern of fact extraction each, all visitors of the same walk.

A collector is built on the module's SemanticModel, defines the `visit_<Node>` and
`leave_<Node>` methods it needs (``mldebt.parse.walk`` calls them), and hands its facts over
once the walk is over, placed by ``mldebt.parse.positions.Places``. It reads the model, and
writes to it only what the model documents as filled by collectors. A call another call's
access already covers (``SemanticModel.call_covered``) is no call of its own to any of them.
"""
