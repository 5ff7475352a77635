//! Typed AWS identifiers.
