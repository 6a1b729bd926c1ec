// The GCP Workflows language: definitions, expressions, the standard library and a deterministic
// interpreter. No I/O lives here: everything non-deterministic is an effect the host performs.
