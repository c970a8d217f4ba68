//! The iOS side: Info.plist files.

pub mod plist;
