"""Who knows the code: authorship, truck factor and complexity against ownership, per repository,
module and ML pipeline."""
