"""A client's own audio, checked and made into files songgate serves."""
