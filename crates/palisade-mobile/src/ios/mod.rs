//! The iOS side: Info.plist and entitlements files, XML or binary.

pub mod binary;
pub mod plist;
