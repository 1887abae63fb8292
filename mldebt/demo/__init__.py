"""The bundled example ML repository that `mldebt demo` writes and checks."""
