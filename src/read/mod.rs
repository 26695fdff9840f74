//! Input readers: bytes of files, directories, JSON Lines, WARC/WET records
//! and HTML documents to decoded [`crate::page::Page`]s.
//!
//! In: paths, stdin, or bytes of one record. Out: [`input::Record`]s whose
//! payload becomes a `Page` — text pages decoded by [`decode`], HTML pages
//! parsed and cut into blocks by [`html`]; [`warc`] reads WARC and WET files
//! record by record.

pub mod decode;
pub mod html;
pub mod input;
pub mod record;
pub mod warc;
