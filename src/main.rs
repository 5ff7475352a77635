//! The `cloudtrail-policy` command-line tool.
fn main() {}
