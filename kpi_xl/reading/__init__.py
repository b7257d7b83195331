"""Reading files people hand us, defensively: within limits, only what is asked for."""
