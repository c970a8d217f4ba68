//! The Android side: manifests, Gradle files and XML resources into a project model
//! ([`project::Project`]), Java and Kotlin source into a code model ([`code::Code`]).

pub mod apk;
pub mod axml;
pub mod code;
pub mod code_util;
pub mod gradle;
pub mod manifest;
pub mod permissions;
pub mod platform;
pub mod project;
pub mod resources;
pub mod sensitive;
